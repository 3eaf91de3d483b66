"""Project-wide views: the health check, error pages that answer JSON to API clients, and
the styleguide of the design system."""

from types import SimpleNamespace

from django import forms
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from webapi.errors import api_error_detail


def wants_json(request) -> bool:
    return request.path.startswith("/api/") or "application/json" in request.headers.get(
        "Accept", ""
    )


def health(request):
    """For the load balancer: 200 while the database answers, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        return JsonResponse({"status": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


def page_not_found(request, exception=None):
    if wants_json(request):
        return JsonResponse({"detail": api_error_detail(404)}, status=404)
    # An error page offers no other languages: its links would repeat a path that
    # answers nothing (or that the visitor may not see) under every prefix.
    return render(request, "404.html", {"error_page": True}, status=404)


def server_error(request):
    if wants_json(request):
        return JsonResponse({"detail": api_error_detail(500)}, status=500)
    return render(request, "500.html", {"error_page": True}, status=500)


# The colour tokens of static/css/site.css, in the order the styleguide shows them.
STYLEGUIDE_COLOURS = [
    "ink",
    "muted",
    "surface",
    "line",
    "line-strong",
    "accent",
    "accent-dark",
    "accent-soft",
    "success",
    "success-soft",
    "warning",
    "warning-soft",
    "danger",
    "danger-soft",
    "focus",
    "gold",
    "silver",
    "bronze",
]


class StyleguideExampleForm(forms.Form):
    """The form shown on the styleguide, sent back with its errors."""

    # Its summary is an example: it does not take the focus when the page loads.
    example = True
    name = forms.CharField(label=_("Name"), help_text=_("As it appears on your badge."))
    email = forms.EmailField(label=_("E-mail address"))
    newsletter = forms.BooleanField(label=_("Send me the newsletter"), required=False)


def styleguide(request):
    """The design system: its tokens and every component, as the templates draw them."""
    example_form = StyleguideExampleForm(data={"name": "", "email": "not-an-address"})
    example_form.is_valid()
    context = {
        "example_form": example_form,
        "colour_tokens": STYLEGUIDE_COLOURS,
        "type_tokens": ["sm", "base", "md", "lg", "xl", "2xl"],
        "space_tokens": range(1, 8),
        "label_levels": ["bronze", "silver", "gold"],
        # Examples without pictures: they show the initials that stand in for them.
        "example_organisation": SimpleNamespace(name="Lyon Urban Mobility Cluster", logo=None),
        "example_profile": SimpleNamespace(name="Ana Ruiz", avatar=None),
    }
    return render(request, "styleguide.html", context)
