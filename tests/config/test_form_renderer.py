"""Select boxes drawn in Python are the HTML that Django's templates draw."""

import pytest
from django import forms
from django.forms.renderers import TemplatesSetting

from config.form_renderer import SiteFormRenderer
from members.forms import OrganisationFilterForm


class Choices(forms.Form):
    plain = forms.ChoiceField(choices=[("", "All"), ("a", "Alpha & <b>"), ("q", 'Quote "q"')])
    grouped = forms.ChoiceField(
        required=False,
        choices=[
            ("Nordic", [("dk", "Denmark"), ("se", "Sweden")]),
            ("Other", [("fr", "France")]),
            ("xx", "Nowhere"),
        ],
    )
    several = forms.MultipleChoiceField(choices=[(1, "One"), (2, "Two"), (3, "Three")])
    maybe = forms.NullBooleanField()
    disabled = forms.ChoiceField(choices=[("x", "X")], disabled=True)


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"plain": "a", "grouped": "se", "several": ["1", "3"], "maybe": "true"},
        {"plain": "<script>", "grouped": "dk", "several": ["9"], "maybe": "unknown"},
    ],
)
def test_select_boxes_are_the_html_of_djangos_templates(data):
    form = Choices(data)
    form.is_valid()
    for name in form.fields:
        bound = form[name]
        drawn = bound.as_widget(attrs={"aria-describedby": f"{name}-help", "data-x": True})
        widget = bound.field.widget
        context = widget.get_context(
            bound.html_name, bound.value(), widget.build_attrs(widget.attrs, {"id": name})
        )
        ours = SiteFormRenderer().render(widget.template_name, context)
        theirs = TemplatesSetting().render(widget.template_name, context)
        assert ours == theirs, name
        assert drawn  # and the field draws through the site's renderer without error


@pytest.mark.django_db
def test_the_directory_filter_draws_the_same_with_a_country_chosen():
    form = OrganisationFilterForm({"country": "DK", "kind": "cluster"})
    form.is_valid()
    for name in ("country", "sector", "kind", "label"):
        widget = form[name].field.widget
        context = widget.get_context(name, form[name].value(), {"id": f"id_{name}"})
        ours = SiteFormRenderer().render(widget.template_name, context)
        assert ours == TemplatesSetting().render(widget.template_name, context)
    assert '<option value="DK" selected>' in str(form["country"])
