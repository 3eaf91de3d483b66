"""The events' pages cost the same number of queries with one item listed as with a full
page: the event index, and an event with its speakers, programme and ticket types."""

import io
from datetime import timedelta

import pytest
from django.core.files.images import ImageFile
from django.utils import timezone
from wagtail.images import get_image_model

from events.models import EventSession, EventSpeaker, TicketQuestion, TicketType
from members.models import Organisation
from tests.factories import make_event, make_index, make_member, make_organisation
from tests.query_counts import assert_flat

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]


def photo(n):
    from PIL import Image as PILImage

    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 30), (11, 79, n)).save(buffer, format="PNG")
    return get_image_model().objects.create(
        title=f"Portrait {n}", file=ImageFile(buffer, name=f"portrait-{n}.png")
    )


def test_the_event_index_costs_the_same_for_a_full_page(clients, django_assert_max_num_queries):
    index = make_index()

    def add(numbers):
        for n in numbers:
            make_event(
                index=index,
                title=f"Event number {n:02}",
                starts_in=timedelta(days=n + 1),
                capacity=30,
                country="DE",
                organiser=make_organisation(name=f"Organiser {n:02}"),
            )

    add([0])
    assert_flat(
        django_assert_max_num_queries,
        path=index.url,
        clients=clients,
        grow=lambda: add(range(1, 25)),
        shows=[f"Event number {n:02}" for n in range(20)],
    )
    assert Organisation.objects.count() == 25


def test_an_event_costs_the_same_for_fifty_speakers_sessions_and_ticket_types(
    clients, django_assert_max_num_queries
):
    event = make_event(title="Cluster summit", capacity=500, guests_allowed=True)
    start = timezone.now() + timedelta(days=10)

    def add(numbers):
        for n in numbers:
            profile = make_member(display_name=f"Speaker {n:02}")
            EventSpeaker.objects.create(
                page=event,
                sort_order=n,
                name=f"Speaker {n:02}",
                affiliation="A cluster",
                photo=photo(n),
                member=profile,
            )
            session = EventSession(
                page=event,
                sort_order=n,
                start=start + timedelta(hours=n),
                title=f"Session number {n:02}",
                room="Hall A",
            )
            session.save()
            panellist = make_member(display_name=f"Panellist {n:02}")
            EventSession.speakers.through.objects.bulk_create(
                EventSession.speakers.through(eventsession=session, memberprofile=speaker)
                for speaker in (profile, panellist)
            )
            ticket_type = TicketType.objects.create(
                event=event, name=f"Ticket {n:02}", kind=TicketType.Kind.OTHER, capacity=10
            )
            TicketQuestion.objects.create(
                ticket_type=ticket_type, label=f"Diet {n}", key=f"diet-{n}"
            )

    add([0])
    assert_flat(
        django_assert_max_num_queries,
        path=event.url,
        clients=clients,
        grow=lambda: add(range(1, 50)),
        shows=[f"Session number {n:02}" for n in range(50)]
        + [f"Panellist {n:02}" for n in range(50)]
        + [f"Ticket {n:02}" for n in range(50)],
    )
