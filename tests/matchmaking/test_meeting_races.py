"""The one-meeting-per-slot invariant under real concurrency, on PostgreSQL: racing
accepts for the same slot, the same person and the same table. Threads start together at a
barrier and share a bounded number of database connections (tests/events' pattern)."""

import threading

import pytest
from django.db import connection

from domain.exceptions import Conflict
from matchmaking import services
from matchmaking.models import Meeting, MeetingSeat
from tests.events.test_capacity_races import race
from tests.matchmaking.brokerage import make_matchmaking, make_participant

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def accept_all(pairs):
    """Accept every (meeting, member, slot) at once; return the refusals' codes and any
    other error."""
    refusals, lock = [], threading.Lock()

    def accept(meeting, member, slot):
        try:
            services.accept_meeting(meeting=meeting, member=member, slot_id=slot.pk)
        except Conflict as conflict:
            with lock:
                refusals.append(conflict.code)

    errors = race([lambda p=p: accept(*p) for p in pairs])
    return refusals, errors


def assert_no_double_booking(matchmaking):
    accepted = list(Meeting.objects.filter(matchmaking=matchmaking, status="accepted"))
    per_slot_member, per_slot_table = set(), set()
    for meeting in accepted:
        for member_id in (meeting.requester_id, meeting.recipient_id):
            assert (meeting.slot_id, member_id) not in per_slot_member
            per_slot_member.add((meeting.slot_id, member_id))
        assert (meeting.slot_id, meeting.table_id) not in per_slot_table
        per_slot_table.add((meeting.slot_id, meeting.table_id))
    seats = set(MeetingSeat.objects.values_list("slot_id", "member_id"))
    assert seats == per_slot_member


def test_forty_requests_to_one_member_accepted_in_the_same_slot_make_one_meeting(db):
    brokerage = make_matchmaking(slots=2, tables=40)
    host = make_participant(brokerage)
    guests = [make_participant(brokerage) for _ in range(40)]
    meetings = [
        services.request_meeting(event=brokerage.event, requester=guest, recipient_id=host.pk)
        for guest in guests
    ]
    slot = brokerage.slots.first()

    refusals, errors = accept_all([(meeting, host, slot) for meeting in meetings])

    assert errors == []
    assert Meeting.objects.filter(status="accepted").count() == 1
    assert Meeting.objects.filter(status="requested").count() == 39
    assert refusals == ["slot_taken"] * 39
    assert_no_double_booking(brokerage)


def test_one_requester_accepted_by_thirty_members_in_the_same_slot_meets_one(db):
    brokerage = make_matchmaking(slots=2, tables=30)
    requester = make_participant(brokerage)
    hosts = [make_participant(brokerage) for _ in range(30)]
    pairs = []
    slot = brokerage.slots.first()
    for host in hosts:
        meeting = services.request_meeting(
            event=brokerage.event, requester=requester, recipient_id=host.pk
        )
        pairs.append((meeting, host, slot))

    refusals, errors = accept_all(pairs)

    assert errors == []
    assert Meeting.objects.filter(status="accepted").count() == 1
    assert sorted(refusals) == ["slot_taken"] * 29
    assert_no_double_booking(brokerage)


def test_thirty_pairs_racing_for_three_tables_in_one_slot_fill_exactly_three(db):
    brokerage = make_matchmaking(slots=2, tables=3)
    pairs = []
    slot = brokerage.slots.first()
    for _ in range(30):
        guest, host = make_participant(brokerage), make_participant(brokerage)
        meeting = services.request_meeting(
            event=brokerage.event, requester=guest, recipient_id=host.pk
        )
        pairs.append((meeting, host, slot))

    refusals, errors = accept_all(pairs)

    assert errors == []
    accepted = Meeting.objects.filter(status="accepted")
    assert accepted.count() == 3
    assert sorted(accepted.values_list("table__name", flat=True)) == [
        "Table 1",
        "Table 2",
        "Table 3",
    ]
    assert refusals == ["no_table"] * 27
    assert_no_double_booking(brokerage)


def test_crossing_requests_and_accepts_across_slots_never_double_book_and_lose_nothing(db):
    """Twelve members, each pair requested once, all accepted at once over four slots and
    four tables: whatever wins, no one and no table is in two meetings of a slot, and every
    meeting is either accepted or still a request (none lost, none half-made)."""
    brokerage = make_matchmaking(slots=4, tables=4)
    members = [make_participant(brokerage) for _ in range(12)]
    slots = list(brokerage.slots.all())
    pairs = []
    for i, guest in enumerate(members):
        for host in members[i + 1 :]:
            meeting = services.request_meeting(
                event=brokerage.event, requester=guest, recipient_id=host.pk
            )
            pairs.append((meeting, host, slots[(guest.pk + host.pk) % len(slots)]))

    refusals, errors = accept_all(pairs)

    assert errors == []
    statuses = list(Meeting.objects.values_list("status", flat=True))
    assert len(statuses) == len(pairs) == 66
    accepted = statuses.count("accepted")
    assert accepted + statuses.count("requested") == 66
    assert accepted + len(refusals) == 66
    assert accepted >= 4
    assert MeetingSeat.objects.count() == 2 * accepted
    assert_no_double_booking(brokerage)


def test_a_member_cancelling_while_others_accept_leaves_consistent_seats(db):
    brokerage = make_matchmaking(slots=1, tables=10)
    host = make_participant(brokerage)
    guests = [make_participant(brokerage) for _ in range(10)]
    slot = brokerage.slots.first()
    first = services.request_meeting(
        event=brokerage.event, requester=guests[0], recipient_id=host.pk
    )
    services.accept_meeting(meeting=first, member=host, slot_id=slot.pk)
    others = [
        services.request_meeting(event=brokerage.event, requester=guest, recipient_id=host.pk)
        for guest in guests[1:]
    ]
    outcomes = []

    def cancel():
        services.cancel_meeting(meeting=first, member=guests[0])

    def accept(meeting):
        try:
            services.accept_meeting(meeting=meeting, member=host, slot_id=slot.pk)
            outcomes.append("accepted")
        except Conflict:
            outcomes.append("refused")
        finally:
            connection.close()

    errors = race([cancel] + [lambda m=m: accept(m) for m in others])

    assert errors == []
    assert Meeting.objects.filter(status="accepted").count() <= 1
    assert (
        outcomes.count("accepted")
        == Meeting.objects.filter(status="accepted", pk__in=[m.pk for m in others]).count()
    )
    assert_no_double_booking(brokerage)
