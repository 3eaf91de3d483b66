"""The organisers' side in Wagtail's admin: setting matchmaking up (slots laid out on
save), the overview with the table plan, no-shows and the figures, and the CSV."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group

from matchmaking import services
from matchmaking.models import Matchmaking
from tests.factories import make_event, make_organisation, make_user
from tests.matchmaking.brokerage import make_matchmaking, make_participant

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    editor = make_user(username="editor", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    return client


def test_an_editor_sets_up_matchmaking_and_the_slots_are_laid_out(editor_client):
    event = make_event()
    local = event.local_start.replace(tzinfo=None)
    fmt = "%Y-%m-%d %H:%M"
    data = {
        "event": event.pk,
        "enabled": "on",
        "slot_minutes": 20,
        "break_minutes": 10,
        "max_meetings": 6,
        "booking_opens": "",
        "booking_closes": "",
        "blocks-TOTAL_FORMS": 1,
        "blocks-INITIAL_FORMS": 0,
        "blocks-MIN_NUM_FORMS": 0,
        "blocks-MAX_NUM_FORMS": 1000,
        "blocks-0-start": local.strftime(fmt),
        "blocks-0-end": (local + timedelta(hours=2)).strftime(fmt),
        "blocks-0-ORDER": 1,
        "blocks-0-DELETE": "",
        "blocks-0-id": "",
        "tables-TOTAL_FORMS": 1,
        "tables-INITIAL_FORMS": 0,
        "tables-MIN_NUM_FORMS": 0,
        "tables-MAX_NUM_FORMS": 1000,
        "tables-0-name": "Table A",
        "tables-0-online_link": "",
        "tables-0-ORDER": 1,
        "tables-0-DELETE": "",
        "tables-0-id": "",
    }
    answer = editor_client.post("/admin/matchmaking/new/", data)
    assert answer.status_code == 302, answer.content.decode()[:3000]
    matchmaking = Matchmaking.objects.get(event=event)
    assert matchmaking.slots.count() == 4  # 20 + 10 + 20 + 10 + 20 + 10 + 20 = 110 minutes
    assert list(matchmaking.tables.values_list("name", flat=True)) == ["Table A"]
    assert editor_client.get("/admin/matchmaking/").status_code == 200


def test_the_overview_shows_the_plan_marks_no_shows_and_exports_csv(editor_client):
    brokerage = make_matchmaking(slots=2, tables=2)
    dk = make_organisation(name="Danish Robots", country="DK")
    fr = make_organisation(name="French Farms", country="FR")
    alice = make_participant(brokerage, organisation=dk, display_name="Alice Arm")
    bob = make_participant(brokerage, organisation=fr, display_name="Bob Barn")
    carol = make_participant(brokerage, display_name="Carol Alone")
    meeting = services.request_meeting(event=brokerage.event, requester=alice, recipient_id=bob.pk)
    services.accept_meeting(meeting=meeting, member=bob, slot_id=brokerage.slots.first().pk)

    page = editor_client.get(f"/admin/brokerage/{brokerage.pk}/overview/").content.decode()
    assert "Alice Arm – Bob Barn" in page
    assert "Carol Alone" in page.split("without a meeting")[1]
    assert "<svg" in page and "DK, FR" in page

    answer = editor_client.post(
        f"/admin/brokerage/meetings/{meeting.pk}/no-show/", {"no_show": "1"}
    )
    assert answer.status_code == 302
    meeting.refresh_from_db()
    assert meeting.no_show
    page = editor_client.get(f"/admin/brokerage/{brokerage.pk}/overview/").content.decode()
    assert "No-shows: 1" in page

    csv = editor_client.get(f"/admin/brokerage/{brokerage.pk}/meetings.csv").content.decode()
    assert "Alice Arm" in csv and "Table 1" in csv and carol.name not in csv


def test_members_without_admin_rights_get_no_overview(client):
    brokerage = make_matchmaking()
    participant = make_participant(brokerage)
    client.force_login(participant.user)
    answer = client.get(f"/admin/brokerage/{brokerage.pk}/overview/")
    assert answer.status_code in (302, 403)
    assert client.get(f"/admin/brokerage/{brokerage.pk}/meetings.csv").status_code in (302, 403)


def test_the_events_admin_page_leads_to_its_brokerage_overview(editor_client):
    brokerage = make_matchmaking()
    page = editor_client.get(f"/admin/pages/{brokerage.event.pk}/edit/").content.decode()
    assert f"/admin/brokerage/{brokerage.pk}/overview/" in page
    other = make_event()
    page = editor_client.get(f"/admin/pages/{other.pk}/edit/").content.decode()
    assert "/admin/matchmaking/new/" in page
