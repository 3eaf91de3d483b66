"""“Partners like my cluster”: /api/search/partners/?like=<slug>."""

import pytest

URL = "/api/search/partners/"

pytestmark = pytest.mark.django_db


@pytest.fixture
def mine(indexed):
    return indexed.organisation(
        name="Mine", country="DK", sectors=["Energy"], technologies=["Hydrogen", "AI"]
    )


def test_shared_technologies_count_more_than_shared_sectors_and_others_are_left_out(
    indexed, api_client, mine
):
    indexed.organisation(name="Same sector", country="DE", sectors=["Energy"])
    indexed.organisation(name="Two technologies", country="DE", technologies=["Hydrogen", "AI"])
    indexed.organisation(name="Nothing shared", country="DE", sectors=["Health"])
    indexed.reindex()

    response = api_client.get(URL, {"like": mine.slug})

    assert [r["name"] for r in response.json()["results"]] == ["Two technologies", "Same sector"]
    # Facets count what can be listed: not the organisation itself, nor "Nothing shared".
    assert response.json()["count"] == 2
    assert {f["value"]: f["count"] for f in response.json()["facets"]["sector"]} == {"energy": 1}
    assert {f["value"]: f["count"] for f in response.json()["facets"]["country"]} == {"DE": 2}


def test_another_country_ranks_above_the_same_country(indexed, api_client, mine):
    indexed.organisation(name="Danish twin", country="DK", sectors=["Energy"])
    indexed.organisation(name="Spanish twin", country="ES", sectors=["Energy"])
    indexed.reindex()

    response = api_client.get(URL, {"like": mine.slug})

    assert [r["name"] for r in response.json()["results"]] == ["Spanish twin", "Danish twin"]


def test_each_match_explains_what_is_shared_and_what_complements(indexed, api_client, mine):
    indexed.organisation(
        name="Partner", country="PL", sectors=["Maritime"], technologies=["Hydrogen", "Robotics"]
    )
    indexed.reindex()

    match = api_client.get(URL, {"like": mine.slug}).json()["results"][0]["match"]

    assert match == {
        "shared_sectors": [],
        "shared_technologies": ["Hydrogen"],
        "complementary_sectors": ["Maritime"],
        "complementary_technologies": [],
        "other_country": True,
    }


def test_like_combines_with_filters_and_never_returns_the_organisation_itself(
    indexed, api_client, mine
):
    indexed.organisation(name="German", country="DE", sectors=["Energy"])
    indexed.organisation(name="French", country="FR", sectors=["Energy"])
    indexed.reindex()

    response = api_client.get(URL, {"like": mine.slug, "country": "FR,DK"})

    assert [r["name"] for r in response.json()["results"]] == ["French"]


def test_an_unknown_or_unpublished_organisation_is_a_400(indexed, api_client):
    hidden = indexed.organisation(name="Hidden", is_published=False)
    indexed.reindex()

    for slug in ["no-such-cluster", hidden.slug]:
        response = api_client.get(URL, {"like": slug})
        assert response.status_code == 400
        assert "like" in response.json()
