"""Fixtures shared by every test folder, and the rule for tests that need a service.

A test marked ``postgres``, ``redis`` or ``browser`` is skipped with a stated reason where
that service is missing (a newcomer's laptop). CI sets ``CLUB_REQUIRE_SERVICES=1``: there
such a skip fails the run, so a missing service can never pass for a green build.
"""

import os
import shutil

import pytest
from django.conf import settings

from tests.factories import make_member, make_organisation, make_user

# The fixtures of the query-count tests (a member and an anonymous client, fast passwords).
pytest_plugins = ["tests.query_counts"]

SERVICE_SKIP_PREFIX = "needs service:"


def postgres_missing_reason() -> str | None:
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        return f"{SERVICE_SKIP_PREFIX} PostgreSQL (set DATABASE_URL=postgres://...)"
    return None


def redis_missing_reason() -> str | None:
    if not settings.REDIS_URL:
        return f"{SERVICE_SKIP_PREFIX} Redis (set REDIS_URL=redis://...)"
    import redis

    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2).ping()
    except Exception as error:
        return f"{SERVICE_SKIP_PREFIX} Redis at REDIS_URL does not answer ({error})"
    return None


def chromium_missing_reason() -> str | None:
    if not shutil.which("chromium"):
        return f"{SERVICE_SKIP_PREFIX} Chromium (apt-get install chromium)"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return f"{SERVICE_SKIP_PREFIX} Playwright (pip install playwright)"
    return None


SERVICE_CHECKS = {
    "postgres": postgres_missing_reason,
    "redis": redis_missing_reason,
    "browser": chromium_missing_reason,
}


def pytest_runtest_setup(item):
    for marker, check in SERVICE_CHECKS.items():
        if item.get_closest_marker(marker):
            reason = check()
            if reason:
                pytest.skip(reason)


def pytest_collection_modifyitems(items):
    """Every transactional test restores the migrated database (serialized rollback).

    A transactional test ends with a flush. Without serialized rollback Django's flush
    re-runs post_migrate, which recreates content types and permissions under new ids but
    not the groups and pages that data migrations made; a later test that restores the
    serialized database then collides with those new rows. Making every transactional test
    serialized keeps one rule for all of them: each starts from the migrated database.
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        kwargs = dict(marker.kwargs) if marker else {}
        fixtures = set(getattr(item, "fixturenames", ()))
        if not (
            kwargs.get("transaction")
            or kwargs.get("reset_sequences")
            or fixtures & {"transactional_db", "live_server"}
        ):
            continue
        kwargs.update(transaction=True, serialized_rollback=True)
        item.add_marker(pytest.mark.django_db(**kwargs), append=False)


_service_skips: list[str] = []


def pytest_runtest_logreport(report):
    if report.skipped and isinstance(report.longrepr, tuple):
        reason = str(report.longrepr[2])
        if SERVICE_SKIP_PREFIX in reason:
            _service_skips.append(f"{report.nodeid}: {reason}")


def pytest_sessionfinish(session, exitstatus):
    if os.environ.get("CLUB_REQUIRE_SERVICES") == "1" and _service_skips:
        session.exitstatus = 1


def pytest_terminal_summary(terminalreporter):
    if os.environ.get("CLUB_REQUIRE_SERVICES") == "1" and _service_skips:
        terminalreporter.section("services missing in CI", sep="=", red=True)
        for line in _service_skips:
            terminalreporter.write_line(line)
        terminalreporter.write_line(
            f"{len(_service_skips)} test(s) skipped for a missing service: CI fails on that."
        )


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's default language. A request to /de/... activates German
    in the test's thread, and since every HTML path exists in each language, reverse() and
    get_absolute_url() would give the next test German addresses."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: a test's rolled-back rows must not live on in
    cached site root paths or cached pages (the cache is Redis itself when REDIS_URL is set)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploads in tests go to a throwaway folder, never into the project's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _default_site(request):
    """Every test with a database starts with the default Wagtail site that migrations make.

    A transactional test flushes the site that Wagtail's migrations made; it is made again
    here so that no test depends on the order the suite runs in.
    """
    marker = request.node.get_closest_marker("django_db")
    fixtures = set(request.fixturenames)
    if marker is None and not fixtures & {"db", "transactional_db"}:
        return
    transactional = "transactional_db" in fixtures or (
        marker is not None and marker.kwargs.get("transaction")
    )
    request.getfixturevalue("transactional_db" if transactional else "db")
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Locale, Page, Site

    if Site.objects.filter(is_default_site=True).exists():
        return
    # A flush recreated the content types with new ids; forget the cached ones.
    ContentType.objects.clear_cache()
    Locale.objects.get_or_create(language_code="en")
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    Site.objects.create(hostname="localhost", root_page=root, is_default_site=True)


@pytest.fixture
def user_factory(db):
    return make_user


@pytest.fixture
def member_factory(db):
    return make_member


@pytest.fixture
def organisation_factory(db):
    return make_organisation


@pytest.fixture
def member(db):
    return make_member(username="member")


@pytest.fixture
def other_member(db):
    return make_member(username="other")


@pytest.fixture
def ariadne(db):
    """A member whose name the pages show."""
    return make_member(username="ariadne", display_name="Ariadne Alpha").user


@pytest.fixture
def bertram(db):
    """Another member, to see that nothing of Ariadne's reaches him."""
    return make_member(username="bertram", display_name="Bertram Beta").user


@pytest.fixture
def editor(db):
    """A Wagtail editor: staff, in the Editors group, not a superuser."""
    from django.contrib.auth.models import Group

    user = make_user(username="editor", is_staff=True)
    group = Group.objects.filter(name="Editors").first()
    if group:
        user.groups.add(group)
    return user


@pytest.fixture
def superuser(db):
    return make_user(username="admin", is_staff=True, is_superuser=True)


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test database; at the end, the sessions still open on it are ended
    before it is dropped.

    A connection opened in another thread or context (a browser test, a consumer) is not
    closed by pytest-django, and PostgreSQL refuses to drop a database in use. By the time
    this runs every test and live server is done, so what is left is a leak.
    """
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture
def page_cache(settings):
    """The page cache on, and empty before and after the test."""
    from django.core.cache import cache

    settings.PAGE_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()
