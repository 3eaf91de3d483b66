"""The conventions every list endpoint shares (webapi.conventions), seen through a real endpoint."""

import pytest

from tests.factories import make_organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisations():
    return [make_organisation(name=f"Cluster {n:02}") for n in range(5)]


def test_lists_page_with_count_next_and_previous(api_client, organisations):
    body = api_client.get("/api/organisations/", {"page_size": 2}).json()
    assert body["count"] == 5
    assert len(body["results"]) == 2
    assert body["previous"] is None
    assert "page=2" in body["next"]


@pytest.mark.parametrize("page_size", ["null", "-1", "0", "two", "1.5", "²"])
def test_a_page_size_that_is_not_a_whole_number_is_a_400(api_client, organisations, page_size):
    response = api_client.get("/api/organisations/", {"page_size": page_size})
    assert response.status_code == 400
    assert "page_size" in response.json()


def test_a_page_size_given_twice_is_a_400(api_client, organisations):
    response = api_client.get("/api/organisations/?page_size=1&page_size=2")
    assert response.status_code == 400


def test_a_large_page_size_is_capped(api_client, organisations):
    response = api_client.get("/api/organisations/", {"page_size": 10_000})
    assert response.status_code == 200
    assert len(response.json()["results"]) == 5


def test_a_page_past_the_end_is_a_json_404(api_client, organisations):
    response = api_client.get("/api/organisations/", {"page": 99})
    assert response.status_code == 404
    assert "detail" in response.json()


def test_unknown_query_parameters_are_a_400_naming_them(api_client, organisations):
    response = api_client.get("/api/organisations/", {"colour": "blue"})
    assert response.status_code == 400
    assert "colour" in response.json()["detail"]
