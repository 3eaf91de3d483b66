"""Search-box suggestions: /api/search/autocomplete/?q=."""

import pytest

URL = "/api/search/autocomplete/"

pytestmark = pytest.mark.django_db


def test_suggests_organisation_names_and_technologies_that_start_with_the_text(indexed, api_client):
    indexed.organisation(name="Hydrogen Valley", slug="hydrogen-valley", technologies=["AI"])
    indexed.organisation(name="Baltic Network", technologies=["Hydrogen storage"])
    indexed.organisation(name="Hidden Hydro", is_published=False)
    indexed.reindex()

    results = api_client.get(URL, {"q": "hydro"}).json()["results"]

    assert {(r["kind"], r["value"]) for r in results} == {
        ("organisation", "Hydrogen Valley"),
        ("technology", "Hydrogen storage"),
    }
    organisation = next(r for r in results if r["kind"] == "organisation")
    assert organisation["url"] == "http://testserver/organisations/hydrogen-valley/"


@pytest.mark.postgres
def test_a_misspelt_name_is_still_suggested(indexed, api_client):
    indexed.organisation(name="Mälardalen Technology Center")
    indexed.reindex()

    results = api_client.get(URL, {"q": "malardalne"}).json()["results"]

    assert [r["value"] for r in results] == ["Mälardalen Technology Center"]
