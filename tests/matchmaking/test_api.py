"""The matchmaking API: settings and slots, opting in, browsing, requesting and answering
meetings, and the HTTP answers of refusals."""

import pytest
from rest_framework.test import APIClient

from events import services as event_services
from matchmaking.models import Meeting
from members.models import Membership
from tests.factories import make_member, make_organisation
from tests.matchmaking.brokerage import make_matchmaking, make_participant

pytestmark = pytest.mark.django_db


def client_of(member):
    client = APIClient()
    client.force_authenticate(member.user)
    return client


@pytest.fixture
def brokerage():
    return make_matchmaking(slots=3, tables=2)


def test_the_settings_list_slots_in_the_events_time_zone(brokerage):
    answer = APIClient().get(f"/api/events/{brokerage.event.pk}/matchmaking/")
    assert answer.status_code == 200
    data = answer.json()
    assert data["slot_minutes"] == 20 and len(data["slots"]) == 3
    assert data["slots"][0]["start"].endswith(("+01:00", "+02:00"))
    assert [table["name"] for table in data["tables"]] == ["Table 1", "Table 2"]


def test_an_event_without_matchmaking_is_404(brokerage):
    from tests.factories import make_event

    other = make_event()
    assert APIClient().get(f"/api/events/{other.pk}/matchmaking/").status_code == 404
    assert APIClient().get("/api/events/999999999/matchmaking/").status_code == 404


def test_a_confirmed_registrant_opts_in_with_their_organisation(brokerage):
    member = make_member()
    organisation = make_organisation(name="Robotics Valley", technologies=["Robotics"])
    Membership.objects.create(member=member, organisation=organisation, status="approved")
    client = client_of(member)
    url = f"/api/events/{brokerage.event.pk}/matchmaking/participants/"
    assert client.post(url, {"offer": "Robots"}, format="json").status_code == 409
    event_services.register_for_event(event=brokerage.event, member=member)
    answer = client.post(url, {"offer": "Robots", "looking_for": "Farms"}, format="json")
    assert answer.status_code == 201
    assert answer.json()["organisation"]["name"] == "Robotics Valley"
    assert client.post(url, {"offer": "More robots"}, format="json").status_code == 200
    bad = client.post(url, {"organisation": 10**12}, format="json")
    assert bad.status_code == 400


def test_participants_browse_with_facets_and_see_suggestions_with_reasons(brokerage):
    robots = make_organisation(name="Robots", country="DK", technologies=["Robotics"])
    farms = make_organisation(
        name="Farms", country="FR", technologies=["Robotics"], sectors=["Agrifood"]
    )
    alice = make_participant(brokerage, organisation=robots, offer="Arms")
    bob = make_participant(brokerage, organisation=farms, looking_for="Arms")
    url = f"/api/events/{brokerage.event.pk}/matchmaking/participants/"
    answer = client_of(alice).get(url, {"country": "FR"})
    assert answer.status_code == 200
    data = answer.json()
    assert [item["member"] for item in data["results"]] == [bob.pk]
    assert {value["value"] for value in data["facets"]["country"]} == {"DK", "FR"}
    suggested = client_of(alice).get(url, {"suggested": "true"}).json()["results"]
    assert suggested[0]["member"] == bob.pk
    assert any("Robotics" in reason for reason in suggested[0]["reasons"])
    assert client_of(alice).get(url, {"suggested": "maybe"}).status_code == 400
    assert client_of(alice).get(url, {"unknown": "1"}).status_code == 400
    assert client_of(make_member()).get(url).status_code == 403


def test_a_meeting_is_requested_accepted_and_a_taken_slot_is_409(brokerage):
    alice, bob, carol = (make_participant(brokerage) for _ in range(3))
    url = f"/api/events/{brokerage.event.pk}/matchmaking/meetings/"
    answer = client_of(alice).post(url, {"with": bob.pk, "message": "Hello"}, format="json")
    assert answer.status_code == 201
    assert answer.json()["status"] == "requested"
    meeting_id = answer.json()["id"]
    second = client_of(carol).post(url, {"with": bob.pk}, format="json").json()["id"]
    slot = brokerage.slots.first()
    meeting_url = f"/api/matchmaking/meetings/{meeting_id}/"
    assert (
        client_of(alice).patch(meeting_url, {"status": "accepted", "slot": slot.pk}).status_code
        == 403
    )
    assert client_of(carol).get(meeting_url).status_code == 404
    accepted = client_of(bob).patch(meeting_url, {"status": "accepted", "slot": slot.pk})
    assert accepted.status_code == 200
    assert accepted.json()["table"]["name"] == "Table 1"
    assert accepted.json()["with"]["id"] == alice.pk
    conflict = client_of(bob).patch(
        f"/api/matchmaking/meetings/{second}/", {"status": "accepted", "slot": slot.pk}
    )
    assert conflict.status_code == 409
    assert client_of(alice).get(url).json()["count"] == 1
    cancelled = client_of(alice).patch(meeting_url, {"status": "cancelled"})
    assert cancelled.json()["status"] == "cancelled"
    assert Meeting.objects.get(pk=second).status == "requested"


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"with": "x"},
        {"with": None},
        {"with": 10**30},
        {"with": True},
        {"with": 1, "message": ["a"]},
        {"with": 1, "message": "x" * 5000},
    ],
)
def test_bad_requests_are_400(brokerage, body):
    alice = make_participant(brokerage)
    url = f"/api/events/{brokerage.event.pk}/matchmaking/meetings/"
    assert client_of(alice).post(url, body, format="json").status_code == 400


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"status": "maybe"},
        {"status": "accepted"},
        {"status": "accepted", "slot": "x"},
        {"status": "accepted", "slot": 10**30},
        {"status": "accepted", "slot": 999999},
    ],
)
def test_bad_changes_are_400(brokerage, body):
    alice, bob = make_participant(brokerage), make_participant(brokerage)
    meeting = (
        client_of(alice)
        .post(
            f"/api/events/{brokerage.event.pk}/matchmaking/meetings/",
            {"with": bob.pk},
            format="json",
        )
        .json()["id"]
    )
    answer = client_of(bob).patch(f"/api/matchmaking/meetings/{meeting}/", body, format="json")
    assert answer.status_code == 400


def test_the_agenda_calendar_has_each_meeting_at_its_table(brokerage, client):
    alice, bob = make_participant(brokerage), make_participant(brokerage)
    from matchmaking import services

    meeting = services.request_meeting(event=brokerage.event, requester=alice, recipient_id=bob.pk)
    services.accept_meeting(meeting=meeting, member=bob, slot_id=brokerage.slots.first().pk)
    client.force_login(alice.user)
    answer = client.get(f"/events/{brokerage.event.pk}/agenda.ics")
    assert answer.status_code == 200
    body = answer.content.decode()
    assert body.count("BEGIN:VEVENT") == 1
    assert "LOCATION:Table 1" in body
    assert bob.name in body
    assert "TZID=Europe/Copenhagen" in body


def test_the_label_facet_counts_the_current_labels_of_the_participants_organisations(brokerage):
    from datetime import timedelta

    from django.utils import timezone

    from members.models import QualityLabel

    today = timezone.localdate()
    gold = make_organisation(name="Gold Cluster", country="DK")
    bronze = make_organisation(name="Bronze Cluster", country="FR")
    expired = make_organisation(name="Once Silver", country="FR")
    QualityLabel.objects.create(
        organisation=gold, level="gold", awarded_on=today, valid_until=today + timedelta(days=9)
    )
    QualityLabel.objects.create(
        organisation=bronze, level="bronze", awarded_on=today, valid_until=today
    )
    QualityLabel.objects.create(
        organisation=expired,
        level="silver",
        awarded_on=today - timedelta(days=30),
        valid_until=today - timedelta(days=1),
    )
    alice = make_participant(brokerage, organisation=gold)
    bob = make_participant(brokerage, organisation=bronze)
    carol = make_participant(brokerage, organisation=expired)
    url = f"/api/events/{brokerage.event.pk}/matchmaking/participants/"

    data = client_of(carol).get(url).json()
    assert [(v["value"], v["count"]) for v in data["facets"]["label"]] == [
        ("gold", 1),
        ("bronze", 1),
    ]
    assert data["facets"]["label"][0]["name"] == "Gold"
    labels = {item["member"]: item["organisation"]["label"] for item in data["results"]}
    assert labels == {alice.pk: "gold", bob.pk: "bronze"}

    data = client_of(carol).get(url, {"label": "gold"}).json()
    assert [item["member"] for item in data["results"]] == [alice.pk]
    # A facet's own filter leaves its counts alone; the other facets count the filtered.
    assert {v["value"] for v in data["facets"]["label"]} == {"gold", "bronze"}
    assert [(v["value"], v["count"]) for v in data["facets"]["country"]] == [("DK", 1)]
    assert client_of(carol).get(url, {"label": "silver"}).json()["results"] == []


def test_facets_and_text_are_answered_by_the_database_in_the_same_queries_for_any_crowd(
    brokerage,
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    viewer = make_participant(brokerage)
    url = f"/api/events/{brokerage.event.pk}/matchmaking/participants/"
    query = {"q": "cluster", "country": "DK,FR", "technology": "robotics"}

    def queries_for(crowd: int) -> int:
        for n in range(crowd):
            organisation = make_organisation(
                name=f"Cluster {crowd}-{n}",
                country=["DK", "FR", "ES"][n % 3],
                sectors=["Agrifood"] if n % 2 else [],
                technologies=["Robotics"],
            )
            make_participant(brokerage, organisation=organisation)
        client = client_of(viewer)
        client.get(url, query)  # warm caches that are not the answer's (content types)
        with CaptureQueriesContext(connection) as captured:
            answer = client.get(url, query)
        assert answer.status_code == 200
        return len(captured.captured_queries), answer.json()

    few, small = queries_for(3)
    many, large = queries_for(12)
    assert few == many
    assert large["count"] == small["count"] + 8  # DK and FR: two thirds of the twelve
    assert sum(v["count"] for v in large["facets"]["country"]) == 15


@pytest.mark.postgres  # SQLite takes no row locks: there is no FOR UPDATE to find
def test_an_accept_reads_no_page_and_only_the_rows_of_the_rule_under_its_locks(brokerage):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    alice, bob = make_participant(brokerage), make_participant(brokerage)
    url = f"/api/events/{brokerage.event.pk}/matchmaking/meetings/"
    meeting_id = client_of(alice).post(url, {"with": bob.pk}, format="json").json()["id"]
    client = client_of(bob)
    with CaptureQueriesContext(connection) as captured:
        answer = client.patch(
            f"/api/matchmaking/meetings/{meeting_id}/",
            {"status": "accepted", "slot": brokerage.slots.first().pk},
        )
    assert answer.status_code == 200 and answer.json()["status"] == "accepted"
    queries = [query["sql"] for query in captured.captured_queries]
    locked = next(i for i, sql in enumerate(queries) if "FOR UPDATE" in sql)
    # Under the locks: the two participants, the slot, the seats, a free table, the
    # update, the seats' insert and the e-mail task (savepoints aside).
    under_locks = [sql for sql in queries[locked:] if "SAVEPOINT" not in sql]
    assert len(under_locks) <= 8, under_locks
    assert not any("wagtailcore_page" in sql for sql in under_locks)
    assert len([sql for sql in queries if "SAVEPOINT" not in sql]) <= 11, queries
