"""How every form of the site is drawn: one template for a form, one for a field.

The form template puts an error summary at the top (a heading and a link to each field
in error, focused when the page loads), the field template ties each field's help text
and errors to its input with ``aria-describedby`` (Django sets ``aria-invalid``). Forms
are looked up through the project's ``TEMPLATES``, so ``templates/forms/`` is the one place
to change how forms look.

Select boxes are the exception: Django draws each option with a template of its own, so a
country list (~250 options) cost ~20 ms of a directory page's rendering. The renderer draws
Django's select and option templates in Python instead, to the same HTML.
"""

from django.forms.renderers import TemplatesSetting
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


def _attrs(attrs: dict) -> str:
    """Django's widgets/attrs.html: ``True`` is a bare attribute, ``False`` none at all."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {conditional_escape(name)}")
        else:
            parts.append(f' {conditional_escape(name)}="{conditional_escape(str(value))}"')
    return "".join(parts)


def _option(option: dict) -> str:
    return format_html(
        '<option value="{}"{}>{}</option>',
        str(option["value"]),
        mark_safe(_attrs(option["attrs"])),  # noqa: S308 - escaped by _attrs
        option["label"],
    )


def render_select(widget: dict) -> str | None:
    """Django's widgets/select.html with its options, whitespace included; None when an
    option has a template of its own (then the templates draw it)."""
    attrs = mark_safe(_attrs(widget["attrs"]))  # noqa: S308 - escaped by _attrs
    html = [format_html('<select name="{}"{}>', widget["name"], attrs)]
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            html.append(format_html('\n  <optgroup label="{}">', group_name))
        for option in group_choices:
            if option.get("template_name", OPTION_TEMPLATE) != OPTION_TEMPLATE:
                return None
            # The option template ends with a newline of its own.
            html.append("\n  " + _option(option) + "\n")
        if group_name:
            html.append("\n  </optgroup>")
    html.append("\n</select>")
    return "".join(html)


class SiteFormRenderer(TemplatesSetting):
    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"

    def render(self, template_name, context, request=None):
        if template_name == SELECT_TEMPLATE:
            html = render_select(context["widget"])
            if html is not None:
                return mark_safe(html)  # noqa: S308 - every value escaped above
        return super().render(template_name, context, request)
