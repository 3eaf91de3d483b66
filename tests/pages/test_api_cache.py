"""Anonymous reads of the public APIs come from the page cache; changes make them fresh."""

import pytest
from rest_framework.authtoken.models import Token

from events import services as event_services
from members import services as member_services
from tests.factories import make_event, make_member, make_organisation, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache")]

HIT = "X-Page-Cache"
JSON = {"HTTP_ACCEPT": "application/json"}


def names(response) -> list[str]:
    return [item["name"] for item in response.json()["results"]]


def test_the_organisations_list_is_served_from_the_cache_without_queries(
    client, django_assert_num_queries
):
    make_organisation(name="Aalborg Robotics", is_published=True)
    first = client.get("/api/organisations/", **JSON)
    assert first.status_code == 200
    assert HIT not in first
    with django_assert_num_queries(0):
        second = client.get("/api/organisations/", **JSON)
    assert second[HIT] == "hit"
    assert second.json() == first.json()
    assert second["Content-Type"] == first["Content-Type"]
    assert names(second) == ["Aalborg Robotics"]


def test_a_change_to_an_organisation_its_sectors_or_a_new_one_is_seen_at_once(client):
    organisation = make_organisation(name="Aalborg Robotics", is_published=True)
    client.get("/api/organisations/", **JSON)
    assert client.get("/api/organisations/", **JSON)[HIT] == "hit"

    staff = make_user(is_staff=True)
    member_services.update_organisation(
        organisation=organisation, actor=staff, changes={"name": "Aalborg Robotics Cluster"}
    )
    assert names(client.get("/api/organisations/", **JSON)) == ["Aalborg Robotics Cluster"]

    make_organisation(name="Bilbao Maritime", is_published=True)
    assert names(client.get("/api/organisations/", **JSON)) == [
        "Aalborg Robotics Cluster",
        "Bilbao Maritime",
    ]

    client.get(f"/api/organisations/{organisation.slug}/", **JSON)
    organisation.sectors.clear()  # a many-to-many change, without saving the organisation
    make_organisation(name="Sector holder", sectors=["Energy"])
    organisation.sectors.add(
        *organisation.__class__.objects.get(name="Sector holder").sectors.all()
    )
    detail = client.get(f"/api/organisations/{organisation.slug}/", **JSON)
    assert HIT not in detail
    assert [sector["name"] for sector in detail.json()["sectors"]] == ["Energy"]


def test_filters_are_cached_per_query_string(client):
    make_organisation(name="Aalborg Robotics", country="DK", is_published=True)
    make_organisation(name="Bilbao Maritime", country="ES", is_published=True)
    assert names(client.get("/api/organisations/?country=DK", **JSON)) == ["Aalborg Robotics"]
    assert names(client.get("/api/organisations/?country=ES", **JSON)) == ["Bilbao Maritime"]
    again = client.get("/api/organisations/?country=DK", **JSON)
    assert again[HIT] == "hit"
    assert names(again) == ["Aalborg Robotics"]


def test_signed_in_and_token_clients_always_reach_the_view_and_are_never_stored(client):
    member = make_member()
    hidden = make_organisation(name="Draft cluster", is_published=False)
    hidden.co_admins.add(member.user)
    token = Token.objects.create(user=member.user)

    anonymous = client.get("/api/organisations/", **JSON)
    assert names(anonymous) == []

    with_token = client.get("/api/organisations/", HTTP_AUTHORIZATION=f"Token {token.key}", **JSON)
    assert HIT not in with_token
    assert names(with_token) == ["Draft cluster"]

    client.force_login(member.user)
    signed_in = client.get("/api/organisations/", **JSON)
    assert HIT not in signed_in
    assert names(signed_in) == ["Draft cluster"]

    client.logout()
    client.cookies.clear()
    again = client.get("/api/organisations/", **JSON)
    assert again[HIT] == "hit"
    assert names(again) == []


def test_the_browsable_api_html_is_never_cached(client):
    for _ in range(2):
        response = client.get("/api/organisations/", HTTP_ACCEPT="text/html")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/html")
        assert HIT not in response
    # JSON asked for after the HTML is stored and served on its own.
    client.get("/api/organisations/", **JSON)
    assert client.get("/api/organisations/", **JSON)["Content-Type"] == "application/json"


def test_a_registration_shows_at_once_in_the_seats_left_of_the_events_api(
    client, django_capture_on_commit_callbacks
):
    event = make_event(capacity=2)
    url = f"/api/events/{event.pk}/"
    assert client.get(url, **JSON).json()["seats_left"] == 2
    assert client.get(url, **JSON)[HIT] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        event_services.register_for_event(event=event, member=make_member())
    fresh = client.get(url, **JSON)
    assert HIT not in fresh
    assert fresh.json()["seats_left"] == 1


def test_the_pages_api_is_fresh_after_publishing(client, news_index, news_page):
    url = "/api/v2/pages/?type=club.NewsPage&fields=title"
    assert [item["title"] for item in client.get(url, **JSON).json()["items"]] == [news_page.title]
    assert client.get(url, **JSON)[HIT] == "hit"
    news_page.title = "A fresher headline"
    news_page.save_revision().publish()
    fresh = client.get(url, **JSON)
    assert HIT not in fresh
    assert [item["title"] for item in fresh.json()["items"]] == ["A fresher headline"]


def test_errors_are_not_cached(client):
    for _ in range(2):
        response = client.get("/api/organisations/?page_size=zero", **JSON)
        assert response.status_code == 400
        assert HIT not in response
