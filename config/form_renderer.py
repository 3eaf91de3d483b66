"""How every form of the site is drawn: one template for a form, one for a field.

The form template puts an error summary at the top (a heading and a link to each field
in error, focused when the page loads), the field template ties each field's help text
and errors to its input with ``aria-describedby`` (Django sets ``aria-invalid``). Forms
are looked up through the project's ``TEMPLATES``, so ``templates/forms/`` is the one place
to change how forms look.
"""

from django.forms.renderers import TemplatesSetting


class SiteFormRenderer(TemplatesSetting):
    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
