"""Fixtures of the events tests: an event index and a factory of event pages."""

import itertools
from datetime import timedelta

import pytest
from django.utils import timezone

_numbers = itertools.count(1)


def make_index():
    from wagtail.models import Locale, Page

    from events.models import EventIndexPage

    existing = EventIndexPage.objects.first()
    if existing:
        return existing
    # transaction=True tests flush the tree that Wagtail's migrations created.
    Locale.objects.get_or_create(language_code="en")
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    home = root.get_children().first() or root
    index = EventIndexPage(title="Events", slug="events")
    home.add_child(instance=index)
    return index


def make_event(
    *,
    index=None,
    title=None,
    starts_in=timedelta(days=10),
    duration=timedelta(hours=8),
    questions=(),
    sessions=(),
    publish=True,
    **fields,
):
    """A published event page; ``questions`` are dicts of RegistrationQuestion fields."""
    from events.models import EventPage, EventSession, RegistrationQuestion

    index = index or make_index()
    n = next(_numbers)
    start = fields.pop("start", None) or timezone.now() + starts_in
    end = fields.pop("end", None) or start + duration
    fields.setdefault("timezone", "Europe/Copenhagen")
    event = EventPage(
        title=title or f"Cluster event {n}",
        slug=fields.pop("slug", None) or f"cluster-event-{n}",
        start=start,
        end=end,
        **fields,
    )
    for i, question in enumerate(questions):
        event.questions.add(RegistrationQuestion(sort_order=i, **question))
    for i, session in enumerate(sessions):
        event.sessions.add(EventSession(sort_order=i, **session))
    index.add_child(instance=event)
    if not publish:
        event.live = False
        event.save()
    return EventPage.objects.get(pk=event.pk)


@pytest.fixture
def event_factory(db):
    return make_event


@pytest.fixture
def event(db):
    return make_event(capacity=2, city="Copenhagen", country="DK")


@pytest.fixture
def approved_member(db):
    from members.models import Membership
    from tests.factories import make_member, make_organisation

    profile = make_member(username="clustermanager")
    Membership.objects.create(
        member=profile, organisation=make_organisation(), status=Membership.Status.APPROVED
    )
    return profile


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Hundreds of accounts are made here; hashing their passwords properly is not tested."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
