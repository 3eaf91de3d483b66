"""A member who asks to delete their account meets nobody: their matchmaking meetings are
cancelled at once, the slot is free again and the other side is told by e-mail, while the
meeting still exists to be described."""

import pytest
from django.core import mail

from matchmaking import services as matchmaking_services
from matchmaking.models import Meeting, MeetingSeat
from privacy import services
from tests.factories import DEFAULT_PASSWORD, make_organisation
from tests.matchmaking.brokerage import make_matchmaking, make_participant

pytestmark = pytest.mark.django_db


def test_asking_for_deletion_cancels_the_meetings_and_tells_the_other_side(
    django_capture_on_commit_callbacks,
):
    brokerage = make_matchmaking()
    leaving = make_participant(brokerage, username="leaving", organisation=make_organisation())
    staying = make_participant(brokerage, username="staying", organisation=make_organisation())
    meeting = matchmaking_services.request_meeting(
        event=brokerage.event, requester=staying, recipient_id=leaving.pk, message="Shall we meet?"
    )
    slot = brokerage.slots.order_by("start").first()
    matchmaking_services.accept_meeting(meeting=meeting, member=leaving, slot_id=slot.pk)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.request_account_deletion(user=leaving.user, password=DEFAULT_PASSWORD)

    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED
    assert not MeetingSeat.objects.filter(slot=slot).exists()  # both seats free again
    told = [message for message in mail.outbox if message.to == [staying.user.email]]
    assert len(told) == 1
