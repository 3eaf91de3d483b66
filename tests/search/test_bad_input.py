"""Whatever a client sends to the search API, the answer is results or a 4xx message."""

import pytest

pytestmark = pytest.mark.django_db

PARTNERS = "/api/search/partners/"
AUTOCOMPLETE = "/api/search/autocomplete/"

NASTY_QUERIES = [
    '"unbalanced',
    "100%",
    "%_%",
    "a & b | !c",
    "cluster:* & (energy | !wind)",
    "()",
    "<->",
    "'; drop table members_organisation; --",
    "nul\x00byte",
    "\x00",
    "     ",
    "émoji 🚀 ∞",
]


@pytest.fixture
def some_organisations(indexed):
    indexed.organisation(name="Nordic Cluster for Energy", technologies=["AI"])
    indexed.organisation(name="100% Green Cluster")
    indexed.reindex()


@pytest.mark.parametrize("q", NASTY_QUERIES)
def test_operators_quotes_percent_and_nul_bytes_are_searched_as_plain_text(
    some_organisations, api_client, q
):
    for url in (PARTNERS, AUTOCOMPLETE):
        response = api_client.get(url, {"q": q})
        assert response.status_code in (200, 400), (url, response.content)
        assert response["Content-Type"] == "application/json"


def test_percent_is_not_a_wildcard(some_organisations, api_client):
    response = api_client.get(PARTNERS, {"q": "%"})

    # No words: the query is ignored rather than matching everything through LIKE.
    assert response.status_code == 200
    assert response.json()["count"] == 2
    assert api_client.get(PARTNERS, {"q": "%xyz%"}).json()["count"] == 0


def test_a_ten_thousand_character_query_is_a_400_with_a_message(some_organisations, api_client):
    for url in (PARTNERS, AUTOCOMPLETE):
        response = api_client.get(url, {"q": "cluster " * 1250})
        assert response.status_code == 400
        assert "200 characters" in response.json()["q"][0]


def test_an_unknown_country_code_or_label_is_a_400_naming_the_value(some_organisations, api_client):
    country = api_client.get(PARTNERS, {"country": "DK,XX"})
    label = api_client.get(PARTNERS, {"label": "platinum"})

    assert country.status_code == 400 and "XX" in country.json()["country"][0]
    assert label.status_code == 400 and "platinum" in label.json()["label"][0]


def test_an_unknown_sector_or_technology_gives_an_empty_result(some_organisations, api_client):
    for params in ({"sector": "no-such-sector"}, {"technology": "\x00%'"}):
        response = api_client.get(PARTNERS, params)
        assert response.status_code == 200
        assert response.json()["count"] == 0


def test_an_unknown_parameter_is_a_400_listing_the_allowed_ones(some_organisations, api_client):
    response = api_client.get(PARTNERS, {"contry": "DK"})

    assert response.status_code == 400
    assert "contry" in response.json()["detail"]


def test_too_many_values_for_one_facet_is_a_400(some_organisations, api_client):
    response = api_client.get(PARTNERS, {"sector": ",".join(f"s{n}" for n in range(31))})

    assert response.status_code == 400


def test_a_huge_page_size_is_capped(indexed, api_client):
    for n in range(3):
        indexed.organisation(name=f"C{n}")
    indexed.reindex()

    response = api_client.get(PARTNERS, {"page_size": 10**12})

    assert response.status_code == 200
    assert response.json()["count"] == 3


def test_autocomplete_without_a_query_is_a_400(api_client, db):
    assert api_client.get(AUTOCOMPLETE).status_code == 400


@pytest.mark.parametrize(
    "query",
    [
        "page=",
        "page_size=",
        "page=1.5",
        "page=-3",
        "page=%D9%A1",
        "page=1&page=2",
        "page=999999999999999999999",
    ],
)
def test_paging_that_is_not_one_whole_number_or_too_deep_is_a_400(db, api_client, query):
    for url in (PARTNERS, "/api/search/?q=cluster&kind=organisations"):
        separator = "&" if "?" in url else "?"
        response = api_client.get(f"{url}{separator}{query}")
        assert response.status_code == 400, (url, query, response.content)
