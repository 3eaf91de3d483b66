"""Partner search through /api/search/partners/ with the database engine."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.search.conftest import give_label

URL = "/api/search/partners/"

pytestmark = pytest.mark.django_db


def names(response):
    assert response.status_code == 200, response.content
    return [result["name"] for result in response.json()["results"]]


def facet(response, name):
    return {entry["value"]: entry["count"] for entry in response.json()["facets"][name]}


@pytest.mark.postgres
def test_a_typo_still_finds_the_cluster(indexed, api_client):
    indexed.organisation(name="Nordic Cluster for Energy")
    indexed.organisation(name="Baltic Maritime Network")
    indexed.reindex()

    assert names(api_client.get(URL, {"q": "clustr"})) == ["Nordic Cluster for Energy"]


@pytest.mark.postgres
def test_accents_and_case_do_not_matter(indexed, api_client):
    indexed.organisation(name="Mälardalen Industrial Technology Center", country="SE")
    indexed.organisation(name="Baltic Maritime Network")
    indexed.reindex()

    assert names(api_client.get(URL, {"q": "MALARDALEN"})) == [
        "Mälardalen Industrial Technology Center"
    ]


def test_the_beginning_of_a_word_finds_the_whole_word(indexed, api_client):
    indexed.organisation(name="Nordic Cluster for Energy")
    indexed.organisation(name="Baltic Maritime Network")
    indexed.reindex()

    assert names(api_client.get(URL, {"q": "clust"})) == ["Nordic Cluster for Energy"]


def test_technologies_sectors_and_descriptions_are_searched(indexed, api_client):
    indexed.organisation(name="Alpha", technologies=["Hydrogen"])
    indexed.organisation(name="Beta", sectors=["Aerospace"])
    indexed.organisation(name="Gamma", description="We build offshore wind farms together.")
    indexed.organisation(name="Delta")
    indexed.reindex()

    assert names(api_client.get(URL, {"q": "hydrogen"})) == ["Alpha"]
    assert names(api_client.get(URL, {"q": "aerospace"})) == ["Beta"]
    assert names(api_client.get(URL, {"q": "offshore"})) == ["Gamma"]


@pytest.mark.postgres
def test_a_name_match_ranks_above_a_description_match(indexed, api_client):
    indexed.organisation(
        name="Wind Power Alliance", description="Maritime companies working on offshore wind."
    )
    indexed.organisation(name="Offshore Wind Cluster", description="Companies of the coast.")
    indexed.reindex()

    assert names(api_client.get(URL, {"q": "offshore"})) == [
        "Offshore Wind Cluster",
        "Wind Power Alliance",
    ]


@pytest.mark.parametrize("q", ["", "robotics"])
def test_at_equal_relevance_gold_ranks_above_silver_above_bronze_and_expired_labels_count_not(
    indexed, api_client, q, settings
):
    if q and connection.vendor != "postgresql":
        pytest.skip("needs service: PostgreSQL for text ranking")
    text = {"technologies": ["Robotics"], "description": "Robotics in manufacturing."}
    indexed.organisation(name="Expired Gold", label="gold", label_expired=True, **text)
    indexed.organisation(name="Bronze", label="bronze", **text)
    indexed.organisation(name="Gold", label="gold", **text)
    indexed.organisation(name="Silver", label="silver", **text)
    indexed.reindex()

    assert names(api_client.get(URL, {"q": q})) == ["Gold", "Silver", "Bronze", "Expired Gold"]


def test_at_equal_label_the_more_complete_profile_ranks_first(indexed, api_client):
    indexed.organisation(name="A Sparse", label="silver")
    indexed.organisation(
        name="B Complete",
        label="silver",
        website="https://example.org",
        city="Aarhus",
        region="Midtjylland",
        contact_email="info@example.org",
        year_founded=2004,
        description="A cluster organisation " * 5,
    )
    indexed.reindex()

    assert names(api_client.get(URL)) == ["B Complete", "A Sparse"]


def test_values_of_one_facet_combine_with_or_and_facets_with_and(indexed, api_client):
    indexed.organisation(name="DK energy", country="DK", sectors=["Energy"])
    indexed.organisation(name="DE energy", country="DE", sectors=["Energy"])
    indexed.organisation(name="FR energy", country="FR", sectors=["Energy"])
    indexed.organisation(name="DE health", country="DE", sectors=["Health"])
    indexed.reindex()

    repeated = api_client.get(URL + "?country=DK&country=DE&sector=energy")
    comma_separated = api_client.get(URL, {"country": "dk,DE", "sector": "energy"})

    assert sorted(names(repeated)) == ["DE energy", "DK energy"]
    assert sorted(names(comma_separated)) == ["DE energy", "DK energy"]


def test_each_facet_counts_with_the_other_facets_filters_but_not_its_own(indexed, api_client):
    indexed.organisation(name="DK energy", country="DK", sectors=["Energy"], technologies=["AI"])
    indexed.organisation(name="DE energy", country="DE", sectors=["Energy"])
    indexed.organisation(name="DE health", country="DE", sectors=["Health"], label="gold")
    indexed.organisation(name="FR health", country="FR", sectors=["Health"], technologies=["AI"])
    indexed.reindex()

    response = api_client.get(URL, {"country": "DE", "sector": "energy"})

    assert names(response) == ["DE energy"]
    # Countries are counted within the energy sector only, ignoring the ticked country.
    assert facet(response, "country") == {"DK": 1, "DE": 1}
    # Sectors are counted within Germany only, ignoring the ticked sector.
    assert facet(response, "sector") == {"energy": 1, "health": 1}
    # Other facets are counted with both filters.
    assert facet(response, "technology") == {}
    assert facet(response, "label") == {}


def test_facet_values_carry_their_display_names(indexed, api_client):
    indexed.organisation(name="A", country="DE", sectors=["Blue Economy"], technologies=["AI"])
    indexed.reindex()

    facets = api_client.get(URL).json()["facets"]

    assert facets["country"] == [{"value": "DE", "count": 1, "name": "Germany"}]
    assert facets["sector"] == [{"value": "blue-economy", "count": 1, "name": "Blue Economy"}]
    assert facets["technology"] == [{"value": "ai", "count": 1, "name": "AI"}]


def test_a_ticked_value_without_results_stays_listed_with_zero(indexed, api_client):
    indexed.organisation(name="A", country="DE")
    indexed.reindex()

    response = api_client.get(URL, {"country": "PT", "label": "gold"})

    assert response.json()["count"] == 0
    assert facet(response, "label") == {"gold": 0}
    assert facet(response, "country") == {"PT": 0}


def test_only_current_labels_filter_and_count(indexed, api_client):
    indexed.organisation(name="Gold now", label="gold")
    indexed.organisation(name="Gold before", label="gold", label_expired=True)
    indexed.reindex()

    response = api_client.get(URL, {"label": "gold"})

    assert names(response) == ["Gold now"]
    assert facet(response, "label") == {"gold": 1}


def test_unpublished_organisations_are_never_found_nor_counted(indexed, api_client):
    indexed.organisation(name="Visible Cluster", country="DK")
    indexed.organisation(name="Draft Cluster", country="SE", is_published=False)
    indexed.reindex()

    for params in ({}, {"q": "cluster"}, {"q": "draft"}, {"country": "SE"}):
        response = api_client.get(URL, params)
        assert "Draft Cluster" not in names(response)
        assert "SE" not in facet(response, "country") or facet(response, "country")["SE"] == 0


def test_results_page_with_next_and_previous_links(indexed, api_client):
    for n in range(5):
        indexed.organisation(name=f"Cluster {n}")
    indexed.reindex()

    first = api_client.get(URL, {"page_size": 2}).json()
    second = api_client.get(first["next"]).json()
    last = api_client.get(second["next"]).json()

    assert first["count"] == 5
    assert [r["name"] for r in first["results"]] == ["Cluster 0", "Cluster 1"]
    assert [r["name"] for r in second["results"]] == ["Cluster 2", "Cluster 3"]
    assert [r["name"] for r in last["results"]] == ["Cluster 4"]
    assert first["previous"] is None and last["next"] is None
    assert api_client.get(second["previous"]).json()["results"] == first["results"]


def test_a_page_after_the_last_is_404_and_a_bad_page_is_400(indexed, api_client):
    indexed.organisation(name="Only")
    indexed.reindex()

    assert api_client.get(URL, {"page": 2}).status_code == 404
    assert api_client.get(URL, {"page": "two"}).status_code == 400
    assert api_client.get(URL, {"page": 0}).status_code == 400
    assert api_client.get(URL, {"page_size": -1}).status_code == 400


def test_results_link_to_the_organisation_profile(indexed, api_client):
    indexed.organisation(name="Linked", slug="linked-cluster")
    indexed.reindex()

    result = api_client.get(URL).json()["results"][0]

    assert result["url"] == "http://testserver/organisations/linked-cluster/"


def test_the_number_of_queries_does_not_grow_with_the_page_size(indexed, api_client):
    for n in range(12):
        give_label(
            indexed.organisation(
                name=f"Cluster {n}", sectors=["Energy", f"S{n}"], technologies=["AI", f"T{n}"]
            ),
            "silver",
        )
    indexed.reindex()

    def queries(page_size):
        with CaptureQueriesContext(connection) as context:
            response = api_client.get(URL, {"page_size": page_size, "q": "cluster"})
        assert len(response.json()["results"]) == page_size
        return len(context)

    api_client.get(URL)  # the once-a-day label refresh is not part of a list's cost
    assert queries(2) == queries(12)


def test_a_change_is_searchable_after_commit(db, api_client, django_capture_on_commit_callbacks):
    from tests.factories import make_organisation

    with django_capture_on_commit_callbacks(execute=True):
        organisation = make_organisation(name="Fresh Cluster", technologies=["Photonics"])
    assert names(api_client.get(URL, {"q": "photonics"})) == ["Fresh Cluster"]

    with django_capture_on_commit_callbacks(execute=True):
        give_label(organisation, "gold")
    assert facet(api_client.get(URL), "label") == {"gold": 1}

    with django_capture_on_commit_callbacks(execute=True):
        organisation.is_published = False
        organisation.save()
    assert names(api_client.get(URL, {"q": "photonics"})) == []


def test_the_search_entry_is_written_once_per_commit_however_many_signals(
    db, django_capture_on_commit_callbacks
):
    from search.models import OrganisationIndexEntry
    from tests.factories import make_organisation

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        make_organisation(name="Busy", sectors=["Aero", "Bio"], technologies=["Xenon", "Yttrium"])
        assert not OrganisationIndexEntry.objects.exists()

    assert len(callbacks) >= 3
    entry = OrganisationIndexEntry.objects.get()
    if entry.vector is None:  # SQLite keeps the text itself
        assert entry.topics == "aero bio xenon yttrium"
    else:  # PostgreSQL keeps it only in the vector, as topics (weight B)
        for lexeme in ("aero", "bio", "xenon", "yttrium"):
            assert (
                f"'{lexeme}':" in entry.vector
                and "B" in entry.vector.split(f"'{lexeme}':")[1].split()[0]
            ), entry.vector


def test_a_label_that_expires_stops_counting_for_the_order_the_day_after(indexed, api_client):
    import datetime

    from django.utils import timezone

    from search.engines.database import refresh_label_ranks
    from search.models import OrganisationIndexEntry

    gold = indexed.organisation(name="A Gold until today", label="gold")
    gold.labels.update(valid_until=timezone.localdate())
    indexed.organisation(name="B Bronze", label="bronze")
    indexed.reindex()
    assert names(api_client.get(URL)) == ["A Gold until today", "B Bronze"]

    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert refresh_label_ranks(today=tomorrow) == 1
    assert refresh_label_ranks(today=tomorrow) == 0

    assert OrganisationIndexEntry.objects.get(pk=gold.pk).label_rank == 0


def test_cached_facet_counts_follow_every_indexed_change(
    db, api_client, django_capture_on_commit_callbacks
):
    from tests.factories import make_organisation

    with django_capture_on_commit_callbacks(execute=True):
        make_organisation(name="First", country="DK")
    assert facet(api_client.get(URL), "country") == {"DK": 1}

    with django_capture_on_commit_callbacks(execute=True):
        second = make_organisation(name="Second", country="SE")
    assert facet(api_client.get(URL), "country") == {"DK": 1, "SE": 1}

    with django_capture_on_commit_callbacks(execute=True):
        second.delete()
    assert facet(api_client.get(URL), "country") == {"DK": 1}


@pytest.mark.postgres
def test_a_typo_in_a_technology_finds_it_and_a_word_spelt_right_finds_no_lookalikes(
    indexed, api_client
):
    indexed.organisation(name="Valley", technologies=["Hydrogen"])
    indexed.organisation(name="Coast", technologies=["Hydrology"])
    indexed.reindex()

    assert names(api_client.get(URL, {"q": "hydrogne"})) == ["Valley"]
    assert names(api_client.get(URL, {"q": "hydrogen"})) == ["Valley"]


def test_country_facet_names_are_in_the_language_of_each_request(indexed, database_engine):
    from django.utils import translation

    indexed.organisation(name="Alpha", country="DE")
    indexed.reindex()

    def country_name():
        found = database_engine.partner_search(text="", filters={}, page=1, page_size=20)
        return {value.value: value.name for value in found.facets["country"]}["DE"]

    with translation.override("de"):
        assert country_name() == "Deutschland"
    with translation.override("fr"):
        assert country_name() == "Allemagne"
    with translation.override("en"):
        assert country_name() == "Germany"
