"""Ticket types and guests under real concurrency, on PostgreSQL: the event's capacity and
each ticket type's hold however many members and guests race for the seats."""

from collections import Counter

import pytest
from django.db.models import Count

from events import guests, services
from events.models import GuestRegistration, Registration, TicketType
from tests.events.test_capacity_races import race
from tests.factories import make_event, make_member

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_members_racing_for_ticket_types_never_exceed_a_types_seats_or_the_events(db):
    event = make_event(capacity=30)
    small = TicketType.objects.create(event=event, name="Small", kind="other", capacity=10)
    large = TicketType.objects.create(event=event, name="Large", kind="other", capacity=40)
    members = [(make_member(), small if n % 2 else large) for n in range(100)]

    errors = race(
        [
            lambda m=m, t=t: services.register_for_event(event=event, member=m, ticket_type=t)
            for m, t in members
        ]
    )

    assert errors == []
    by_type = dict(
        Registration.objects.filter(event=event, status="confirmed")
        .values_list("ticket_type__name")
        .annotate(n=Count("pk"))
    )
    assert by_type == {"Small": 10, "Large": 20}
    for ticket_type in (small, large):
        positions = sorted(
            Registration.objects.filter(ticket_type=ticket_type, status="waitlisted").values_list(
                "position", flat=True
            )
        )
        assert positions == list(range(1, len(positions) + 1))


def test_guests_confirming_while_members_register_share_the_seats_without_overbooking(db):
    event = make_event(capacity=20, guests_allowed=True)
    pending = [
        guests.request_guest_registration(event=event, name=f"Guest {n}", email=f"g{n}@example.org")
        for n in range(30)
    ]
    members = [make_member() for _ in range(30)]
    actions = [lambda g=g: guests.confirm_guest_registration(token=g.token) for g in pending]
    actions += [lambda m=m: services.register_for_event(event=event, member=m) for m in members]

    errors = race(actions)

    # Guests who came too late are told the event is full; nothing else fails.
    assert all("full" in error.lower() or "Conflict" in error for error in errors)
    confirmed_guests = GuestRegistration.objects.filter(event=event, status="confirmed").count()
    statuses = Counter(Registration.objects.filter(event=event).values_list("status", flat=True))
    assert confirmed_guests + statuses["confirmed"] == 20
    assert len(errors) == 30 - confirmed_guests
    assert statuses["waitlisted"] == 30 - statuses["confirmed"]
