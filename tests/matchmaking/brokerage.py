"""A brokerage day for tests: an event with matchmaking, slots, tables and participants."""

from datetime import timedelta

from events import services as event_services
from matchmaking import services
from matchmaking.models import Matchmaking, MeetingBlock, Table
from members.models import Membership
from tests.factories import make_event, make_member, make_organisation


def make_matchmaking(*, event=None, slots=4, tables=2, slot_minutes=20, break_minutes=0, **fields):
    """Matchmaking on ``event`` (a new one by default): one block of ``slots`` slots from
    the event's start, ``tables`` tables."""
    event = event or make_event()
    matchmaking = Matchmaking.objects.create(
        event=event, slot_minutes=slot_minutes, break_minutes=break_minutes, **fields
    )
    length = timedelta(minutes=slot_minutes + break_minutes)
    MeetingBlock.objects.create(
        matchmaking=matchmaking,
        start=event.start,
        end=event.start + length * slots - timedelta(minutes=break_minutes),
        sort_order=0,
    )
    Table.objects.bulk_create(
        [
            Table(matchmaking=matchmaking, name=f"Table {n}", sort_order=n)
            for n in range(1, tables + 1)
        ]
    )
    services.generate_slots(matchmaking=matchmaking)
    return matchmaking


def make_participant(
    matchmaking, *, member=None, organisation=None, offer="", looking_for="", **member_fields
):
    """A member registered for the event (confirmed) who opted in to its matchmaking."""
    member = member or make_member(**member_fields)
    if organisation is not None:
        Membership.objects.get_or_create(
            member=member,
            organisation=organisation,
            defaults={"status": Membership.Status.APPROVED, "is_primary": True},
        )
    event_services.register_for_event(event=matchmaking.event, member=member)
    services.opt_in(event=matchmaking.event, member=member, offer=offer, looking_for=looking_for)
    return member


def organisation(**fields):
    return make_organisation(**fields)
