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


def test_the_events_edit_view_shows_the_brokerage_figures_and_chart(editor_client):
    brokerage = make_matchmaking(slots=2, tables=2)
    dk = make_organisation(name="Danish Robots", country="DK")
    fr = make_organisation(name="French Farms", country="FR")
    es = make_organisation(name="Spanish Sun", country="ES")
    alice = make_participant(brokerage, organisation=dk)
    bob = make_participant(brokerage, organisation=fr)
    carol = make_participant(brokerage, organisation=es)
    first, second = brokerage.slots.order_by("start")
    held = services.request_meeting(event=brokerage.event, requester=alice, recipient_id=bob.pk)
    services.accept_meeting(meeting=held, member=bob, slot_id=first.pk)
    missed = services.request_meeting(event=brokerage.event, requester=carol, recipient_id=alice.pk)
    services.accept_meeting(meeting=missed, member=alice, slot_id=second.pk)
    services.mark_no_show(meeting=missed, no_show=True)

    page = editor_client.get(f"/admin/pages/{brokerage.event.pk}/edit/").content.decode()
    section = page.split('id="brokerage-figures"')[1].split("</figure>")[0]
    assert "Meetings booked: 2" in section and "Meetings held: 1" in section
    assert "No-shows: 1" in section and "Organisations met: 2" in section
    assert "Countries: 2 (DK, FR)" in section
    assert section.count("<rect") == 2 and "<svg" in section


def test_an_event_without_matchmaking_has_no_brokerage_section_in_its_edit_view(editor_client):
    event = make_event()
    page = editor_client.get(f"/admin/pages/{event.pk}/edit/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="brokerage-figures"' not in html and "Meetings held" not in html
    # The create view of an event asks no section either.
    parent = event.get_parent()
    answer = editor_client.get(f"/admin/pages/add/events/eventpage/{parent.pk}/")
    assert answer.status_code == 200 and "Meetings held" not in answer.content.decode()


def test_the_brokerage_section_needs_the_right_to_see_the_overview(client):
    brokerage = make_matchmaking()
    moderator = make_user(username="pages-only", is_staff=True)
    group = Group.objects.create(name="Page editors without brokerage")
    from django.contrib.auth.models import Permission
    from wagtail.models import GroupPagePermission, Page

    group.permissions.add(Permission.objects.get(codename="access_admin"))
    GroupPagePermission.objects.create(
        group=group,
        page=Page.objects.get(pk=brokerage.event.pk),
        permission=Permission.objects.get(codename="change_page"),
    )
    moderator.groups.add(group)
    client.force_login(moderator)
    answer = client.get(f"/admin/pages/{brokerage.event.pk}/edit/")
    assert answer.status_code == 200
    assert "Meetings held" not in answer.content.decode()
