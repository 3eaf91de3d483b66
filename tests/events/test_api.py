"""/api/events/, /api/events/<id>/ and /api/events/<id>/registration/ as DESIGN.md says."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token

from events.models import Registration
from tests.factories import make_member

pytestmark = pytest.mark.django_db


def as_member(api_client, profile):
    api_client.force_authenticate(user=profile.user)
    return api_client


def test_the_list_shows_upcoming_events_soonest_first_then_past_ones(api_client, event_factory):
    later = event_factory(title="Later", starts_in=timedelta(days=30))
    sooner = event_factory(title="Sooner", starts_in=timedelta(days=3))
    old = event_factory(title="Old", starts_in=timedelta(days=-300))
    older = event_factory(title="Older", starts_in=timedelta(days=-600))
    response = api_client.get("/api/events/")
    assert response.status_code == 200
    ids = [item["id"] for item in response.json()["results"]]
    assert ids == [sooner.pk, later.pk, old.pk, older.pk]
    assert set(response.json()) == {"count", "next", "previous", "results"}


def test_event_json_has_the_contract_fields_in_the_events_time_zone(api_client, event_factory):
    event = event_factory(
        timezone="Europe/Bucharest", capacity=12, city="Bucharest", country="RO", kind="training"
    )
    data = api_client.get(f"/api/events/{event.pk}/").json()
    for name in (
        "id",
        "title",
        "kind",
        "start",
        "end",
        "timezone",
        "city",
        "country",
        "capacity",
        "seats_left",
        "registration_opens",
        "registration_closes",
        "url",
    ):
        assert name in data
    assert data["id"] == event.pk and data["kind"] == "training" and data["country"] == "RO"
    assert data["timezone"] == "Europe/Bucharest"
    assert data["start"].endswith(("+02:00", "+03:00"))
    assert data["seats_left"] == 12
    assert data["url"] == f"http://testserver{event.url}"


def test_filters_narrow_the_list(api_client, event_factory):
    training = event_factory(kind="training", country="RO", starts_in=timedelta(days=40))
    conference = event_factory(kind="conference", country="DK", starts_in=timedelta(days=5))

    def results(query):
        return [e["id"] for e in api_client.get(f"/api/events/?{query}").json()["results"]]

    assert results("type=training") == [training.pk]
    assert results("country=dk") == [conference.pk]
    day = (timezone.now() + timedelta(days=20)).date().isoformat()
    assert results(f"from={day}") == [training.pk]
    assert results(f"to={day}") == [conference.pk]


@pytest.mark.parametrize(
    "query",
    [
        "type=party",
        "country=XX",
        "from=2012-13-01",
        "to=yesterday",
        "from=2013-01-01&to=2012-01-01",
        "colour=red",
        "from=" + "9" * 500,
    ],
)
def test_bad_filters_are_a_400_with_a_message(api_client, event, query):
    response = api_client.get(f"/api/events/?{query}")
    assert response.status_code == 400
    assert response.json()


@pytest.mark.parametrize(
    "path", ["/api/events/999999/", "/api/events/abc/", "/api/events/99999999999999999999/"]
)
def test_unknown_event_ids_are_404(api_client, path):
    assert api_client.get(path).status_code == 404


def test_unpublished_events_are_not_served(api_client, event_factory, member):
    hidden = event_factory(publish=False)
    assert api_client.get(f"/api/events/{hidden.pk}/").status_code == 404
    assert hidden.pk not in [e["id"] for e in api_client.get("/api/events/").json()["results"]]
    response = as_member(api_client, member).post(f"/api/events/{hidden.pk}/registration/", {})
    assert response.status_code == 404


def test_anonymous_clients_must_sign_in_to_register(api_client, event):
    path = f"/api/events/{event.pk}/registration/"
    assert api_client.post(path, {}).status_code == 401
    assert api_client.delete(path).status_code == 401
    assert api_client.get(path).status_code == 401
    assert not Registration.objects.exists()


def test_registering_answers_201_then_200_with_the_same_registration(api_client, event, member):
    token = Token.objects.create(user=member.user)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    path = f"/api/events/{event.pk}/registration/"
    first = api_client.post(path, {}, format="json")
    assert first.status_code == 201
    assert first.json()["status"] == "confirmed" and first.json()["position"] is None
    again = api_client.post(path, {}, format="json")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert api_client.get(path).json()["ticket_code"] == first.json()["ticket_code"]


def test_a_full_event_puts_the_member_on_the_waitlist_with_a_position(api_client, event):
    for _ in range(2):
        as_member(api_client, make_member()).post(f"/api/events/{event.pk}/registration/", {})
    response = as_member(api_client, make_member()).post(
        f"/api/events/{event.pk}/registration/", {}
    )
    assert response.status_code == 201
    assert (response.json()["status"], response.json()["position"]) == ("waitlisted", 1)
    assert api_client.get(f"/api/events/{event.pk}/").json()["seats_left"] == 0


def test_delete_cancels_and_promotes_the_waitlist(api_client, event):
    members = [make_member() for _ in range(3)]
    for profile in members:
        as_member(api_client, profile).post(f"/api/events/{event.pk}/registration/", {})
    response = as_member(api_client, members[0]).delete(f"/api/events/{event.pk}/registration/")
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    promoted = as_member(api_client, members[2]).get(f"/api/events/{event.pk}/registration/")
    assert promoted.json()["status"] == "confirmed"


def test_another_member_cannot_cancel_someone_elses_registration(
    api_client, event, member, other_member
):
    as_member(api_client, member).post(f"/api/events/{event.pk}/registration/", {})
    response = as_member(api_client, other_member).delete(f"/api/events/{event.pk}/registration/")
    assert response.status_code == 404
    assert Registration.objects.get(member=member).status == "confirmed"


def test_staff_register_like_any_member(api_client, event, superuser):
    response = as_member(api_client, superuser.profile).post(
        f"/api/events/{event.pk}/registration/", {}
    )
    assert response.status_code == 201


def test_closed_registration_is_a_409_with_a_message(api_client, event_factory, member):
    event = event_factory(registration_closes=timezone.now() - timedelta(hours=1))
    response = as_member(api_client, member).post(f"/api/events/{event.pk}/registration/", {})
    assert response.status_code == 409
    assert response.json()["code"] == "registration_closed" and response.json()["detail"]


def test_members_only_without_membership_is_a_409(api_client, event_factory, member):
    event = event_factory(members_only=True)
    response = as_member(api_client, member).post(f"/api/events/{event.pk}/registration/", {})
    assert response.status_code == 409 and response.json()["code"] == "members_only"


@pytest.mark.parametrize(
    "body",
    [
        {"answers": {"diet": "Fish"}},
        {"answers": ["Vegan"]},
        {"answers": "Vegan"},
        {"answers": {"diet": "Vegan", "unknown": 1}},
        {},
        ["not", "an", "object"],
    ],
)
def test_malformed_answers_are_a_400_and_store_nothing(api_client, event_factory, member, body):
    event = event_factory(
        questions=[
            {
                "label": "Diet",
                "key": "diet",
                "kind": "choice",
                "choices": "None\nVegan",
                "required": True,
            }
        ]
    )
    response = as_member(api_client, member).post(
        f"/api/events/{event.pk}/registration/", body, format="json"
    )
    assert response.status_code == 400
    assert response.json()
    assert not Registration.objects.exists()


def test_malformed_json_is_a_400(api_client, event, member):
    response = as_member(api_client, member).post(
        f"/api/events/{event.pk}/registration/", "{not json", content_type="application/json"
    )
    assert response.status_code == 400


def test_deleting_without_a_registration_is_a_404(api_client, event, member):
    assert (
        as_member(api_client, member).delete(f"/api/events/{event.pk}/registration/").status_code
        == 404
    )


def test_the_page_api_exposes_event_fields(api_client, event):
    response = api_client.get("/api/v2/pages/", {"type": "events.EventPage", "fields": "*"})
    assert response.status_code == 200
    item = response.json()["items"][0]
    assert item["timezone"] == "Europe/Copenhagen" and item["seats_left"] == 2
    assert item["country"] == "DK"


def test_the_schema_documents_the_event_endpoints(api_client):
    response = api_client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert b"/api/events/{id}/registration/" in response.content
