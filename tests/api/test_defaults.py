"""The API's defaults are closed: a view that does not say who may use it is for signed-in
clients only, and every client is throttled, anonymous ones by address (whatever their
X-Forwarded-For says), signed-in ones by account.

The test suite runs with high rates (tests/settings.py); these tests put the site's
defaults back.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.permissions import IsAuthenticated
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from tests.factories import make_member
from tests.process import run_manage

pytestmark = pytest.mark.django_db

DEFAULT_RATES = {"anon": "60/min", "user": "600/min"}


def api_views():
    """(route, view class) of every DRF view the site serves."""

    def walk(patterns, prefix=""):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern):
                view_class = getattr(pattern.callback, "cls", None)
                if view_class is not None and issubclass(view_class, APIView):
                    yield route, view_class

    # Wagtail's admin serves its own API to signed-in editors; the club's API is under api/.

    return [
        (route, view_class)
        for route, view_class in walk(get_resolver().url_patterns)
        if route.startswith("api/")
    ]


def test_the_default_permission_is_signed_in_clients_only():
    classes = api_settings.DEFAULT_PERMISSION_CLASSES
    assert classes == [IsAuthenticated]


def test_every_api_view_says_who_may_use_it():
    """No view relies on the default: a public one opts in where it is written."""
    views = api_views()
    relying = sorted(
        route
        for route, view_class in views
        if view_class.permission_classes is APIView.permission_classes
        and view_class.get_permissions is APIView.get_permissions
    )
    assert len(views) > 20
    assert relying == []


def test_the_default_rates_are_sixty_a_minute_anonymous_and_six_hundred_signed_in():
    # Empty values stand for unset ones: the suite's own environment sets high rates.
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; "
        "r = settings.REST_FRAMEWORK; "
        "print(r['DEFAULT_THROTTLE_RATES']['anon'], r['DEFAULT_THROTTLE_RATES']['user'], "
        "*r['DEFAULT_THROTTLE_CLASSES'])",
        API_THROTTLE_ANON="",
        API_THROTTLE_USER="",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == [
        "60/min",
        "600/min",
        "security.throttling.AnonymousThrottle",
        "security.throttling.MemberThrottle",
    ]


def test_a_malformed_rate_stops_start_up_naming_the_variable():
    result = run_manage("check", API_THROTTLE_ANON="sixty")
    assert result.returncode != 0
    assert "API_THROTTLE_ANON" in result.stderr


@pytest.fixture
def site_rates(monkeypatch):
    """The site's default rates, as a deployment without the variables runs."""
    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", {**SimpleRateThrottle.THROTTLE_RATES, **DEFAULT_RATES}
    )
    # One instant for the whole flood: on a busy machine sixty requests can outlast the
    # minute, and the first would leave the window before the last arrives.
    monkeypatch.setattr(SimpleRateThrottle, "timer", lambda self: 1_000_000.0)


def test_an_anonymous_flood_gets_429_with_retry_after_whatever_its_forwarded_for(
    site_rates, client
):
    answers = [
        client.get("/api/events/", HTTP_X_FORWARDED_FOR=f"198.51.100.{n % 250}").status_code
        for n in range(61)
    ]
    assert answers[:60] == [200] * 60
    assert answers[60] == 429

    again = client.get("/api/organisations/", HTTP_X_FORWARDED_FOR="203.0.113.99")
    assert again.status_code == 429
    assert int(again["Retry-After"]) > 0
    assert again["Content-Type"].startswith("application/json")


def test_a_signed_in_member_is_counted_by_account_not_by_the_anonymous_rate(site_rates, client):
    for _ in range(60):
        client.get("/api/events/")
    assert client.get("/api/events/").status_code == 429

    member = make_member(username="flooded-neighbour")
    client.force_login(member.user)
    assert client.get("/api/events/").status_code == 200
