"""The Elasticsearch engine: its mapping and query bodies always; its round trip only
against a real cluster (ELASTICSEARCH_URL set; there is no fake server)."""

import datetime
import logging
import os

import pytest

from search.engines.elasticsearch import (
    ElasticsearchEngine,
    OrganisationDocument,
    build_partner_search,
    index_definition,
)
from search.indexing import OrganisationData

TODAY = datetime.date(2026, 6, 1)


def body(**kwargs):
    defaults = {"text": "", "filters": {}, "page": 1, "page_size": 20, "today": TODAY}
    return build_partner_search(index="club_organisations", **defaults | kwargs).to_dict()


def test_the_mapping_folds_accents_and_keeps_keywords_for_facets():
    definition = index_definition("club_organisations-1").to_dict()
    properties = definition["mappings"]["properties"]
    analysis = definition["settings"]["analysis"]

    assert analysis["analyzer"]["club_folded"]["filter"] == ["lowercase", "asciifolding"]
    assert properties["name"]["analyzer"] == "club_folded"
    assert properties["name"]["fields"]["raw"] == {"type": "keyword"}
    assert properties["name_suggest"]["type"] == "search_as_you_type"
    assert properties["country"] == {"type": "keyword"}
    for field in ("sector_slugs", "technology_slugs"):
        assert properties[field] == {"type": "keyword"}
    assert properties["sectors"]["fields"]["raw"] == {"type": "keyword"}
    assert properties["label_gold"] == {"type": "date_range", "format": "yyyy-MM-dd"}
    assert "club_english_stemmer" in analysis["analyzer"]["club_folded_english"]["filter"]


def test_a_document_carries_each_label_as_its_validity_period():
    data = OrganisationData(
        pk=7,
        slug="north",
        name="Nørd Cluster",
        country="DK",
        country_name="Denmark",
        city="Aarhus",
        region="",
        description="",
        sector_slugs=["energy"],
        sector_names=["Energy"],
        labels=[
            {
                "level": "gold",
                "awarded_on": datetime.date(2025, 1, 1),
                "valid_until": datetime.date(2027, 1, 1),
            }
        ],
    )

    document = OrganisationDocument.from_data(data).to_dict(include_meta=True)

    assert document["_id"] == 7
    assert document["_source"]["label_gold"] == [{"gte": "2025-01-01", "lte": "2027-01-01"}]
    assert "label_silver" not in document["_source"]
    assert document["_source"]["sector_slugs"] == ["energy"]


def test_filters_go_to_the_post_filter_and_each_facet_aggregates_with_the_others_only():
    request = body(filters={"country": ("DE", "FR"), "sector": ("energy",)})

    country_terms = {"terms": {"country": ["DE", "FR"]}}
    sector_terms = {"terms": {"sector_slugs": ["energy"]}}
    assert request["post_filter"] == {"bool": {"filter": [country_terms, sector_terms]}}
    aggregations = request["aggs"]
    assert aggregations["_filter_country"]["filter"] == {"bool": {"filter": [sector_terms]}}
    assert aggregations["_filter_sector"]["filter"] == {"bool": {"filter": [country_terms]}}
    assert aggregations["_filter_technology"]["filter"] == {
        "bool": {"filter": [country_terms, sector_terms]}
    }
    assert aggregations["_filter_country"]["aggs"]["country"] == {
        "terms": {"field": "country", "size": 50}
    }
    assert aggregations["_filter_country"]["aggs"]["country_selected"]["terms"]["include"] == [
        "DE",
        "FR",
    ]


def test_labels_filter_and_count_only_when_valid_on_the_day():
    request = body(filters={"label": ("gold",)})
    today = {"gte": "2026-06-01", "lte": "2026-06-01", "relation": "intersects"}

    assert request["post_filter"] == {
        "bool": {"filter": [{"bool": {"should": [{"range": {"label_gold": today}}]}}]}
    }
    label_buckets = request["aggs"]["_filter_label"]["aggs"]["label"]["filters"]["filters"]
    assert list(label_buckets) == ["gold", "silver", "bronze"]
    assert label_buckets["silver"] == {"range": {"label_silver": today}}


def test_text_is_matched_fuzzily_and_by_prefix_and_labels_raise_the_score():
    request = body(text='clustr "energy" & !x', page=3, page_size=10)
    function_score = request["query"]["function_score"]
    should = function_score["query"]["bool"]["should"]

    assert should[0]["multi_match"]["query"] == "clustr energy x"
    assert should[0]["multi_match"]["fuzziness"] == "AUTO"
    assert should[1]["multi_match"]["type"] == "bool_prefix"
    assert [f["weight"] for f in function_score["functions"]] == [0.3, 0.2, 0.1]
    assert function_score["boost_mode"] == "sum"
    assert request["from"] == 20 and request["size"] == 10
    assert request["sort"] == [
        "_score",
        {"completeness": "desc"},
        {"name.sort": "asc"},
    ]
    assert request["track_total_hits"] is True


def test_like_scores_shared_technologies_sectors_and_other_countries_and_excludes_itself():
    like = OrganisationData(
        pk=3,
        slug="mine",
        name="Mine",
        country="DK",
        country_name="Denmark",
        city="",
        region="",
        description="",
        sector_slugs=["energy"],
        technology_slugs=["hydrogen"],
    )

    request = body(like=like)
    query = request["query"]["function_score"]["query"]["bool"]
    scoring = request["sort"][0]["_script"]["script"]["params"]

    assert query["must_not"] == [{"ids": {"values": ["3"]}}]
    assert scoring["technologies"] == ["hydrogen"] and scoring["shared_technology"] == 3
    assert scoring["sectors"] == ["energy"] and scoring["shared_sector"] == 2
    assert scoring["country"] == "DK" and scoring["other_country"] == 1.5
    assert query["filter"][0]["bool"]["minimum_should_match"] == 1


@pytest.mark.django_db
def test_an_unreachable_cluster_answers_from_the_database_and_logs_a_warning(
    settings, api_client, indexed, caplog
):
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"
    settings.SEARCH_ENGINE = "search.engines.elasticsearch.ElasticsearchEngine"
    indexed.organisation(name="Nordic Cluster")
    indexed.reindex()

    with caplog.at_level(logging.WARNING, logger="search.engines.base"):
        response = api_client.get("/api/search/partners/", {"q": "nordic"})
        suggestions = api_client.get("/api/search/autocomplete/", {"q": "nord"})

    assert response.status_code == 200
    assert [r["name"] for r in response.json()["results"]] == ["Nordic Cluster"]
    assert suggestions.json()["results"][0]["value"] == "Nordic Cluster"
    assert "unreachable; answering from the database engine" in caplog.text


@pytest.mark.skipif(
    not os.environ.get("ELASTICSEARCH_URL"),
    reason="round trip needs a real Elasticsearch 8 cluster: set ELASTICSEARCH_URL",
)
@pytest.mark.django_db
def test_round_trip_against_a_real_cluster(settings, api_client, indexed):
    from search.engines.base import load_engine

    settings.SEARCH_ENGINE = "search.engines.elasticsearch.ElasticsearchEngine"
    settings.ELASTICSEARCH_INDEX_PREFIX = f"club_test_{os.getpid()}"
    engine = load_engine(settings.SEARCH_ENGINE)
    assert isinstance(engine, ElasticsearchEngine) and engine.is_available()
    indexed.organisation(name="Nørd Energi Klynge", country="DK", sectors=["Energy"], label="gold")
    indexed.organisation(name="Energy Valley", country="NL", sectors=["Energy"])
    indexed.organisation(name="Health Hub", country="DE", sectors=["Health"])
    try:
        assert engine.rebuild() == 3
        assert engine.rebuild() == 3  # the alias moves; the old index goes

        folded = api_client.get("/api/search/partners/", {"q": "nord"}).json()
        typo = api_client.get("/api/search/partners/", {"q": "enrgy"}).json()
        faceted = api_client.get(
            "/api/search/partners/", {"sector": "energy", "country": "NL"}
        ).json()

        assert [r["name"] for r in folded["results"]] == ["Nørd Energi Klynge"]
        assert {r["name"] for r in typo["results"]} >= {"Energy Valley"}
        assert [r["name"] for r in faceted["results"]] == ["Energy Valley"]
        assert {f["value"]: f["count"] for f in faceted["facets"]["country"]} == {"DK": 1, "NL": 1}
        assert {f["value"]: f["count"] for f in faceted["facets"]["sector"]} == {"energy": 1}
    finally:
        engine.client.options(ignore_status=404).indices.delete(
            index=f"{settings.ELASTICSEARCH_INDEX_PREFIX}_organisations*"
        )


@pytest.mark.django_db
def test_while_the_cluster_is_down_changes_still_reach_the_database_engine(
    settings, django_capture_on_commit_callbacks, caplog
):
    from search.models import OrganisationIndexEntry
    from tests.factories import make_organisation

    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"
    settings.SEARCH_ENGINE = "search.engines.elasticsearch.ElasticsearchEngine"

    with (
        caplog.at_level(logging.WARNING, logger="search.sync"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        organisation = make_organisation(name="Offline Cluster")

    assert OrganisationIndexEntry.objects.filter(pk=organisation.pk).exists()
    assert "the task queue will retry" in caplog.text
    assert "search_index --rebuild" in caplog.text
