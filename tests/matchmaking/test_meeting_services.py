"""Requesting, accepting, declining and cancelling meetings through the services."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import TestCase

from domain.exceptions import Conflict
from events import services as event_services
from events.models import Registration
from matchmaking import services
from matchmaking.models import Meeting, MeetingSeat
from tests.factories import make_member
from tests.matchmaking.brokerage import make_matchmaking, make_participant

pytestmark = pytest.mark.django_db


@pytest.fixture
def brokerage():
    return make_matchmaking(slots=3, tables=1)


def test_a_request_is_accepted_in_a_slot_at_a_free_table_and_both_are_told(brokerage):
    alice, bob = make_participant(brokerage), make_participant(brokerage)
    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        meeting = services.request_meeting(
            event=brokerage.event, requester=alice, recipient_id=bob.pk, message="Robots?"
        )
    assert meeting.status == "requested"
    assert [m.to for m in mail.outbox] == [[bob.user.email]]
    slot = brokerage.slots.first()
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.accept_meeting(meeting=meeting, member=bob, slot_id=slot.pk)
    meeting.refresh_from_db()
    assert (meeting.status, meeting.slot, meeting.table.name) == ("accepted", slot, "Table 1")
    assert sorted(MeetingSeat.objects.values_list("member_id", flat=True)) == sorted(
        [alice.pk, bob.pk]
    )
    assert mail.outbox[-1].to == [alice.user.email]


def test_only_the_recipient_accepts_or_declines(brokerage):
    alice, bob = make_participant(brokerage), make_participant(brokerage)
    meeting = services.request_meeting(event=brokerage.event, requester=alice, recipient_id=bob.pk)
    slot = brokerage.slots.first()
    with pytest.raises(PermissionDenied):
        services.accept_meeting(meeting=meeting, member=alice, slot_id=slot.pk)
    with pytest.raises(PermissionDenied):
        services.decline_meeting(meeting=meeting, member=alice)
    services.decline_meeting(meeting=meeting, member=bob)
    with pytest.raises(Conflict):
        services.accept_meeting(meeting=meeting, member=bob, slot_id=slot.pk)


def test_a_member_busy_in_a_slot_cannot_accept_another_meeting_in_it(brokerage):
    alice, bob, carol = (make_participant(brokerage) for _ in range(3))
    first = services.request_meeting(event=brokerage.event, requester=alice, recipient_id=bob.pk)
    second = services.request_meeting(event=brokerage.event, requester=carol, recipient_id=bob.pk)
    slot = brokerage.slots.first()
    services.accept_meeting(meeting=first, member=bob, slot_id=slot.pk)
    with pytest.raises(Conflict) as refused:
        services.accept_meeting(meeting=second, member=bob, slot_id=slot.pk)
    assert refused.value.code == "slot_taken"
    services.accept_meeting(meeting=second, member=bob, slot_id=brokerage.slots.all()[1].pk)


def test_a_slot_without_a_free_table_is_refused(brokerage):
    a, b, c, d = (make_participant(brokerage) for _ in range(4))
    slot = brokerage.slots.first()
    first = services.request_meeting(event=brokerage.event, requester=a, recipient_id=b.pk)
    second = services.request_meeting(event=brokerage.event, requester=c, recipient_id=d.pk)
    services.accept_meeting(meeting=first, member=b, slot_id=slot.pk)
    with pytest.raises(Conflict) as refused:
        services.accept_meeting(meeting=second, member=d, slot_id=slot.pk)
    assert refused.value.code == "no_table"


def test_cancelling_frees_the_slot_and_tells_the_other_side(brokerage):
    alice, bob, carol = (make_participant(brokerage) for _ in range(3))
    slot = brokerage.slots.first()
    meeting = services.request_meeting(event=brokerage.event, requester=alice, recipient_id=bob.pk)
    services.accept_meeting(meeting=meeting, member=bob, slot_id=slot.pk)
    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.cancel_meeting(meeting=meeting, member=bob)
    assert meeting.status == "cancelled"
    assert [m.to for m in mail.outbox] == [[alice.user.email]]
    assert not MeetingSeat.objects.exists()
    again = services.request_meeting(event=brokerage.event, requester=carol, recipient_id=bob.pk)
    services.accept_meeting(meeting=again, member=bob, slot_id=slot.pk)
    with pytest.raises(PermissionDenied):
        services.cancel_meeting(meeting=again, member=alice)


def test_the_most_meetings_per_participant_is_kept():
    brokerage = make_matchmaking(slots=3, tables=3, max_meetings=1)
    alice, bob, carol = (make_participant(brokerage) for _ in range(3))
    first = services.request_meeting(event=brokerage.event, requester=alice, recipient_id=bob.pk)
    second = services.request_meeting(event=brokerage.event, requester=carol, recipient_id=bob.pk)
    services.accept_meeting(meeting=first, member=bob, slot_id=brokerage.slots.all()[0].pk)
    with pytest.raises(Conflict) as refused:
        services.accept_meeting(meeting=second, member=bob, slot_id=brokerage.slots.all()[1].pk)
    assert refused.value.code == "too_many_meetings"


def test_only_confirmed_registrants_opt_in_and_only_participants_are_asked(brokerage):
    stranger = make_member()
    with pytest.raises(Conflict):
        services.opt_in(event=brokerage.event, member=stranger)
    alice = make_participant(brokerage)
    with pytest.raises(ValidationError):
        services.request_meeting(event=brokerage.event, requester=alice, recipient_id=stranger.pk)
    with pytest.raises(Conflict):
        services.request_meeting(event=brokerage.event, requester=stranger, recipient_id=alice.pk)
    for bad in (None, "7", True, -1, 10**20):
        with pytest.raises(ValidationError):
            services.request_meeting(event=brokerage.event, requester=alice, recipient_id=bad)
    with pytest.raises(ValidationError):
        services.request_meeting(event=brokerage.event, requester=alice, recipient_id=alice.pk)


def test_a_second_open_request_between_the_same_two_is_refused(brokerage):
    alice, bob = make_participant(brokerage), make_participant(brokerage)
    services.request_meeting(event=brokerage.event, requester=alice, recipient_id=bob.pk)
    with pytest.raises(Conflict):
        services.request_meeting(event=brokerage.event, requester=bob, recipient_id=alice.pk)


def test_cancelling_the_registration_cancels_the_meetings_and_tells_the_other_side(brokerage):
    alice, bob = make_participant(brokerage), make_participant(brokerage)
    meeting = services.request_meeting(event=brokerage.event, requester=alice, recipient_id=bob.pk)
    services.accept_meeting(meeting=meeting, member=bob, slot_id=brokerage.slots.first().pk)
    mail.outbox.clear()
    registration = Registration.objects.get(event=brokerage.event, member=alice)
    with TestCase.captureOnCommitCallbacks(execute=True):
        event_services.cancel_registration(registration=registration)
    meeting.refresh_from_db()
    assert meeting.status == "cancelled"
    assert not MeetingSeat.objects.exists()
    assert bob.user.email in [m.to[0] for m in mail.outbox]
    assert not brokerage.participants.get(member=alice).active


def test_the_database_refuses_a_second_seat_of_a_member_in_a_slot(brokerage):
    alice, bob, carol = (make_participant(brokerage) for _ in range(3))
    slot = brokerage.slots.first()
    meeting = services.request_meeting(event=brokerage.event, requester=alice, recipient_id=bob.pk)
    services.accept_meeting(meeting=meeting, member=bob, slot_id=slot.pk)
    other = Meeting.objects.create(matchmaking=brokerage, requester=carol, recipient=bob)
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingSeat.objects.create(meeting=other, slot=slot, member=bob)


def test_reminders_go_once_to_both_sides(brokerage):
    from datetime import timedelta

    from django.utils import timezone

    alice, bob = make_participant(brokerage), make_participant(brokerage)
    slot = brokerage.slots.first()
    meeting = services.request_meeting(event=brokerage.event, requester=alice, recipient_id=bob.pk)
    services.accept_meeting(meeting=meeting, member=bob, slot_id=slot.pk)
    slot.start = timezone.now() + timedelta(minutes=10)
    slot.save()
    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert services.send_meeting_reminders() == 1
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert services.send_meeting_reminders() == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted([alice.user.email, bob.user.email])
