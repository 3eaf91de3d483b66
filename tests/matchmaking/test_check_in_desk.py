"""The matchmaking section of the events' check-in desk: the meetings of a slot or of a
participant, and no-shows marked there."""

import pytest
from django.contrib.auth.models import Group

from events.desk import section_for
from matchmaking import services
from matchmaking.models import Meeting
from tests.factories import make_event, make_user
from tests.matchmaking.brokerage import make_matchmaking, make_participant

pytestmark = pytest.mark.django_db


@pytest.fixture
def brokerage_day():
    brokerage = make_matchmaking(slots=2, tables=2)
    alice = make_participant(brokerage, display_name="Alice Arm")
    bob = make_participant(brokerage, display_name="Bob Barn")
    carol = make_participant(brokerage, display_name="Carol Cole")
    first, second = brokerage.slots.order_by("start")
    meetings = []
    for other, slot in ((bob, first), (carol, second)):
        meeting = services.request_meeting(
            event=brokerage.event, requester=alice, recipient_id=other.pk
        )
        meetings.append(services.accept_meeting(meeting=meeting, member=other, slot_id=slot.pk))
    return brokerage, (first, second), meetings, (alice, bob, carol)


@pytest.fixture
def desk_client(client):
    user = make_user(username="desk", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    client.force_login(user)
    return client


def test_the_desk_shows_the_meetings_of_a_slot_or_of_a_participant(desk_client, brokerage_day):
    brokerage, (first, second), _, (alice, bob, carol) = brokerage_day
    desk = f"/events/{brokerage.event.pk}/check-in/"
    page = desk_client.get(desk, {"slot": second.pk}).content.decode()
    assert "Matchmaking meetings" in page
    assert "Alice Arm – Carol Cole" in page and "Alice Arm – Bob Barn" not in page

    page = desk_client.get(desk, {"participant": alice.pk}).content.decode()
    assert "Alice Arm – Carol Cole" in page and "Alice Arm – Bob Barn" in page

    page = desk_client.get(desk, {"participant": "x" * 400, "slot": "-1"}).content.decode()
    assert "Matchmaking meetings" in page


def test_a_no_show_is_marked_and_undone_at_the_desk(desk_client, brokerage_day):
    brokerage, (first, _), (meeting, _), _ = brokerage_day
    desk = f"/events/{brokerage.event.pk}/check-in/?slot={first.pk}"
    answer = desk_client.post(
        desk, {"section": "matchmaking.meetings", "meeting": meeting.pk, "no_show": "1"}
    )
    assert answer.status_code == 302 and answer["Location"] == desk
    meeting.refresh_from_db()
    assert meeting.no_show
    page = desk_client.get(desk).content.decode()
    assert "marked as a no-show" in page and "No-show: undo" in page

    desk_client.post(desk, {"section": "matchmaking.meetings", "meeting": meeting.pk})
    meeting.refresh_from_db()
    assert not meeting.no_show


def test_the_desk_of_another_event_cannot_mark_this_events_meetings(desk_client, brokerage_day):
    _, _, (meeting, _), _ = brokerage_day
    other_event = make_event()
    for bad in (meeting.pk, "abc", ""):
        answer = desk_client.post(
            f"/events/{other_event.pk}/check-in/",
            {"section": "matchmaking.meetings", "meeting": bad, "no_show": "1"},
        )
        assert answer.status_code == 302
    meeting.refresh_from_db()
    assert not meeting.no_show


def test_an_unknown_section_is_refused(desk_client, brokerage_day):
    brokerage = brokerage_day[0]
    answer = desk_client.post(
        f"/events/{brokerage.event.pk}/check-in/", {"section": "nope", "meeting": "1"}
    )
    assert answer.status_code == 403


def test_staff_without_the_meetings_permission_see_no_section(client, brokerage_day):
    from django.contrib.auth.models import Permission

    brokerage, _, (meeting, _), _ = brokerage_day
    user = make_user(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="change_registration"))
    client.force_login(user)
    desk = f"/events/{brokerage.event.pk}/check-in/"
    assert "Matchmaking meetings" not in client.get(desk).content.decode()
    answer = client.post(desk, {"section": "matchmaking.meetings", "meeting": meeting.pk})
    assert answer.status_code == 403
    assert section_for("matchmaking.meetings", user) is None
    assert Meeting.objects.get(pk=meeting.pk).no_show is False
