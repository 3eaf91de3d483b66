"""Every engine ranks "partners like this one" by the one rule of ``search.ranking``.

The same cases run against each engine: the portable database engine (SQLite, or any
database), the PostgreSQL engine (its one statement, with the bitsets' shortlist of
candidates on small pages), and Elasticsearch against a real cluster when
ELASTICSEARCH_URL is set; without one, the query bodies it builds are checked to carry the
rule's weights and order.
"""

import datetime
import os

import pytest

from search import ranking
from search.engines.database import PortableDatabaseEngine, PostgresEngine
from search.engines.elasticsearch import ElasticsearchEngine, build_partner_search
from search.indexing import OrganisationData, organisation_data

#: The organisation whose partners are sought.
LIKED = {
    "name": "Home Cluster",
    "country": "DE",
    "sectors": ["Energy", "Water technologies"],
    "technologies": ["hydrogen", "batteries"],
}
#: name: (country, sectors, technologies, label); in the order every engine must list them.
CANDIDATES = {
    # 2 technologies: 6
    "Bravo Cluster": ("DE", [], ["hydrogen", "batteries"], None),
    # 2 sectors and another country: 4 + 1.5
    "Alpha Cluster": ("ES", ["Energy", "Water technologies"], [], None),
    # 1 technology and 5 sectors "Home" lacks, of which 4 count: 3 + 4 * 0.5
    "Charlie Cluster": (
        "DE",
        ["Automotive", "Tourism", "Maritime", "Health", "Space"],
        ["hydrogen"],
        None,
    ),
    # 1 sector, another country, 2 technologies "Home" lacks: 2 + 1.5 + 2 * 0.5; ranks
    # before Delta's equal score by its more complete profile (sectors and technologies)
    "Echo Cluster": ("DK", ["Energy"], ["robotics", "photonics"], None),
    # 1 technology and another country: 3 + 1.5
    "Delta Cluster": ("FR", [], ["hydrogen"], None),
    # 1 sector: 2; before Foxtrot's equal score by its current label
    "Golf Cluster": ("DE", ["Water technologies"], [], "gold"),
    "Foxtrot Cluster": ("DE", ["Energy"], [], None),
}
EXPECTED_SCORES = [6.0, 5.5, 5.0, 4.5, 4.5, 2.0, 2.0]
#: Never listed: they share nothing, or are not published.
LEFT_OUT = {
    "Hotel Cluster": {"country": "FR", "sectors": ["Health"], "technologies": ["robotics"]},
    "India Cluster": {"country": "FR", "technologies": ["hydrogen"], "is_published": False},
}

CASES = {
    "every partner": {"filters": {}, "expected": list(CANDIDATES)},
    "with a filter": {
        "filters": {"country": ("DE", "DK")},
        "expected": [
            name for name, (country, *_rest) in CANDIDATES.items() if country in ("DE", "DK")
        ],
    },
}


@pytest.fixture
def world(indexed):
    liked = indexed.organisation(**LIKED)
    named = {}
    for name, (country, sectors, technologies, label) in CANDIDATES.items():
        named[name] = indexed.organisation(
            name=name, country=country, sectors=sectors, technologies=technologies, label=label
        )
    for name, fields in LEFT_OUT.items():
        indexed.organisation(name=name, **fields)
    return liked, named


def listed(engine, like, *, text="", filters=None, page_size=20):
    """Every hit of the search, page after page, as ``(pk, score)``, and the count."""
    hits, page = [], 1
    while True:
        found = engine.partner_search(
            text=text, filters=filters or {}, page=page, page_size=page_size, like=like
        )
        hits += [(hit.pk, hit.score) for hit in found.hits]
        if page * page_size >= found.count:
            return hits, found.count
        page += 1


def expected_hits(named, names):
    return [(named[name].pk, EXPECTED_SCORES[list(CANDIDATES).index(name)]) for name in names]


def test_the_rule_scores_the_cases_as_stated(world):
    liked, named = world
    like = organisation_data(liked)

    scores = []
    for name in CANDIDATES:
        data = organisation_data(named[name])
        match = ranking.like_match(
            like,
            sectors=data.sector_slugs,
            technologies=data.technology_slugs,
            country=data.country,
        )
        assert match.shares_something
        scores.append(ranking.like_score(match))

    assert scores == EXPECTED_SCORES
    assert ranking.LIKE_COMPLEMENTS_AT_MOST == 2.0


def database_engines():
    return [
        pytest.param(PortableDatabaseEngine, id="portable"),
        pytest.param(PostgresEngine, id="postgres", marks=pytest.mark.postgres),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("engine_class", database_engines())
@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
@pytest.mark.parametrize("page_size", [20, 2, 1])
def test_every_database_engine_ranks_like_searches_by_the_rule(
    world, engine_class, case, page_size
):
    liked, named = world
    engine = engine_class()
    engine.rebuild()

    hits, count = listed(
        engine, organisation_data(liked), filters=CASES[case]["filters"], page_size=page_size
    )

    assert hits == expected_hits(named, CASES[case]["expected"])
    assert count == len(CASES[case]["expected"])


@pytest.mark.django_db
@pytest.mark.parametrize("engine_class", database_engines())
def test_text_relevance_comes_after_the_like_score(world, engine_class):
    """Every candidate has "cluster" once in its name: the text ties, the like score
    decides."""
    liked, named = world
    engine = engine_class()
    engine.rebuild()

    hits, _count = listed(engine, organisation_data(liked), text="cluster")

    assert [pk for pk, _score in hits] == [pk for pk, _score in expected_hits(named, CANDIDATES)]


# --- Elasticsearch ------------------------------------------------------------------------

TODAY = datetime.date(2026, 6, 1)


def like_data():
    return OrganisationData(
        pk=3,
        slug="home",
        name="Home Cluster",
        country="DE",
        country_name="Germany",
        city="",
        region="",
        description="",
        sector_slugs=["energy", "water-technologies"],
        technology_slugs=["hydrogen", "batteries"],
    )


def es_body(**kwargs):
    asked = {"text": "", "filters": {}, "page": 1, "page_size": 20, "today": TODAY} | kwargs
    return build_partner_search(index="club_organisations", **asked).to_dict()


def test_elasticsearch_sorts_like_searches_by_the_rules_score_then_as_the_database_does():
    request = es_body(like=like_data())
    script = request["sort"][0]["_script"]

    assert script["order"] == "desc" and script["type"] == "number"
    assert script["script"]["params"] == {
        "technologies": ["hydrogen", "batteries"],
        "sectors": ["energy", "water-technologies"],
        "country": "DE",
        "shared_technology": ranking.SHARED_TECHNOLOGY,
        "shared_sector": ranking.SHARED_SECTOR,
        "other_country": ranking.OTHER_COUNTRY,
        "complement": ranking.COMPLEMENT,
        "complements_counted": ranking.COMPLEMENTS_COUNTED,
    }
    # Ties: text relevance with the label's boost, completeness, name.
    assert request["sort"][1:] == ["_score", {"completeness": "desc"}, {"name.sort": "asc"}]
    assert request["track_scores"] is True
    query = request["query"]["function_score"]["query"]["bool"]
    assert query["must_not"] == [{"ids": {"values": ["3"]}}]
    assert "should" not in query  # the like score is the sort's, not added to the text's


def test_the_elasticsearch_script_reads_every_weight_from_its_parameters():
    """No weight is written into the script itself."""
    source = es_body(like=like_data())["sort"][0]["_script"]["script"]["source"]

    for weight in ("3", "2", "1.5", "0.5", "4"):
        assert f" {weight}" not in source and f"{weight};" not in source
    for parameter in (
        "shared_technology",
        "shared_sector",
        "other_country",
        "complement",
        "complements_counted",
    ):
        assert f"params.{parameter}" in source


def test_elasticsearch_boosts_fields_by_the_text_weights_and_sorts_by_relevance_without_like():
    request = es_body(text="hydrogen")
    fields = request["query"]["function_score"]["query"]["bool"]["should"][0]["multi_match"][
        "fields"
    ]

    assert "_script" not in str(request["sort"])
    assert f"name^{ranking.text_boost('name')}" in fields
    assert f"technologies^{ranking.text_boost('topics')}" in fields
    assert f"description^{ranking.text_boost('body')}" in fields
    assert ranking.text_boost("name") == 5.0 and ranking.text_boost("topics") == 2.0
    assert ranking.TS_RANK_WEIGHTS == [0.1, 0.2, 0.4, 1.0]  # PostgreSQL's defaults


@pytest.mark.skipif(
    not os.environ.get("ELASTICSEARCH_URL"),
    reason="round trip needs a real Elasticsearch 8 cluster: set ELASTICSEARCH_URL",
)
@pytest.mark.django_db
@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_elasticsearch_ranks_like_searches_by_the_rule(settings, world, case):
    settings.ELASTICSEARCH_INDEX_PREFIX = f"club_test_ranking_{os.getpid()}"
    liked, named = world
    engine = ElasticsearchEngine()
    try:
        engine.rebuild()

        hits, count = listed(engine, organisation_data(liked), filters=CASES[case]["filters"])

        assert hits == expected_hits(named, CASES[case]["expected"])
        assert count == len(CASES[case]["expected"])
    finally:
        engine.client.options(ignore_status=404).indices.delete(
            index=f"{settings.ELASTICSEARCH_INDEX_PREFIX}_organisations*"
        )
