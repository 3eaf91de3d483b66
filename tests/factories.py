"""Factory functions for tests: keyword-only arguments, sensible defaults, saved rows."""

import itertools
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

_sequence = itertools.count(1)

DEFAULT_PASSWORD = "correct-horse-battery-staple"


def make_user(*, username=None, email=None, password=DEFAULT_PASSWORD, verified=True, **fields):
    """An active account (its member profile is created by the members app)."""
    n = next(_sequence)
    username = username or f"user{n}"
    email = email or f"{username}@example.org"
    user = get_user_model().objects.create_user(
        username=username, email=email, password=password, **fields
    )
    if verified:
        from allauth.account.models import EmailAddress

        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def make_member(*, username=None, display_name=None, visibility="public", **profile_fields):
    """A member profile (and its account) with the given visibility."""
    user = make_user(username=username)
    profile = user.profile
    profile.display_name = display_name or user.username.title()
    profile.visibility = visibility
    for name, value in profile_fields.items():
        setattr(profile, name, value)
    profile.save()
    return profile


def make_organisation(*, name=None, country="DK", sectors=(), technologies=(), **fields):
    from django.utils.text import slugify

    from members.models import Organisation, Sector

    n = next(_sequence)
    name = name or f"Cluster {n}"
    organisation = Organisation.objects.create(
        name=name,
        slug=fields.pop("slug", None) or f"{slugify(name)}-{n}",
        country=country,
        **fields,
    )
    for sector_name in sectors:
        sector, _ = Sector.objects.get_or_create(
            slug=slugify(sector_name), defaults={"name": sector_name}
        )
        organisation.sectors.add(sector)
    if technologies:
        organisation.technologies.add(*technologies)
        organisation.save()
    return organisation


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
    n = next(_sequence)
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
