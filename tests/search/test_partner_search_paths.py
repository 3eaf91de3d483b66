"""The database engine's two ways of searching agree, and stored answers never go stale.

On PostgreSQL the engine answers a partner search in one statement for the matches and
the page (``search.engines.database_pg``) and counts from the facet bitsets
(``search.engines.facet_bitsets``); the ORM version answers on SQLite. Both must give the
same count, page, scores and facet counts for every kind of search.
"""

import itertools
import random

import pytest

from search.indexing import organisation_data
from tests.search.conftest import give_label

pytestmark = pytest.mark.django_db

SECTORS = ["Energy", "Automotive", "Tourism", "Water technologies"]
TECHNOLOGIES = ["hydrogen", "batteries", "photonics", "fuel cells", "robotics"]
COUNTRIES = ["DE", "FR", "DK", "ES"]
WORDS = ["Hydrogen", "Maritime", "Photonics", "Valley", "Nordic"]


@pytest.fixture
def many(indexed):
    """Thirty organisations of varied countries, sectors, technologies and labels."""
    chance = random.Random(7)  # noqa: S311 (test data, not secrets)
    organisations = []
    for n in range(30):
        organisations.append(
            indexed.organisation(
                name=f"{chance.choice(WORDS)} {chance.choice(WORDS)} Cluster {n}",
                country=chance.choice(COUNTRIES),
                sectors=chance.sample(SECTORS, chance.randint(0, 2)),
                technologies=chance.sample(TECHNOLOGIES, chance.randint(0, 3)),
                label=chance.choice([None, None, "gold", "silver", "bronze"]),
                label_expired=chance.random() < 0.2,
                description="Works with partners across Europe on " + chance.choice(WORDS),
            )
        )
    # A second, current label on some: each organisation counts once per level.
    for organisation in organisations[:5]:
        give_label(organisation, "bronze")
    indexed.reindex()
    return organisations


SEARCHES = [
    {},
    {"text": "hydrogen"},
    {"text": "nordic valley"},
    {"text": "clustr"},
    {"filters": {"country": ("DE", "FR")}},
    {"filters": {"label": ("gold",)}},
    {"filters": {"country": ("DE",), "sector": ("energy",)}},
    {"filters": {"sector": ("energy", "tourism"), "technology": ("hydrogen",)}},
    {
        "text": "cluster",
        "filters": {"country": ("DE", "FR", "ES"), "label": ("gold", "silver")},
    },
    {"text": "cluster", "filters": {"technology": ("robotics",)}},
    {"filters": {"country": ("XX",)}},  # a value nobody has stays listed with 0
    {"page": 2, "page_size": 7},
    {"text": "cluster", "page": 3, "page_size": 5},
    {"like": 0},
    {"like": 3, "filters": {"country": ("DE", "FR")}},
    {"like": 5, "text": "cluster"},
    # Small pages: the bitsets leave PostgreSQL only the candidates that can reach them.
    {"like": 1, "page_size": 3},
    {"like": 7, "page": 2, "page_size": 4},
    {"like": 9, "page_size": 2, "filters": {"label": ("gold", "silver", "bronze")}},
]


def facet_counts(found):
    return {facet: [(v.value, v.count) for v in values] for facet, values in found.facets.items()}


@pytest.mark.postgres
@pytest.mark.parametrize("search", SEARCHES, ids=[str(s) for s in SEARCHES])
def test_the_one_statement_search_answers_as_the_orm_search(many, database_engine, search):
    asked = {"text": "", "filters": {}, "page": 1, "page_size": 20, "like": None} | search
    if asked["like"] is not None:
        asked["like"] = organisation_data(many[asked["like"]])

    by_orm = database_engine._partner_search_orm(**asked)
    in_one = database_engine._partner_search_postgres(**asked)

    assert in_one.count == by_orm.count
    assert [(hit.pk, hit.score) for hit in in_one.hits] == [
        (hit.pk, hit.score) for hit in by_orm.hits
    ]
    # Facet values of equal counts may come in another order; the counts must be equal.
    for facet in by_orm.facets:
        assert sorted(facet_counts(in_one)[facet]) == sorted(facet_counts(by_orm)[facet])
    names = {(v.value, v.name) for values in by_orm.facets.values() for v in values}
    assert {(v.value, v.name) for values in in_one.facets.values() for v in values} == names


@pytest.mark.postgres
def test_some_searches_find_something_so_that_the_comparison_means_something(many, database_engine):
    found = [
        database_engine._partner_search_postgres(
            **({"text": "", "filters": {}, "page": 1, "page_size": 20, "like": None} | search)
        )
        for search in SEARCHES
        if "like" not in search
    ]
    assert all(f.count > 0 for f in found[:4])
    assert sum(1 for f in found if 0 < f.count < 30) >= 4


@pytest.fixture
def stored_answers(settings):
    settings.SEARCH_RESULTS_CACHE_SECONDS = 300


@pytest.mark.parametrize("how", ["new", "changed", "unpublished", "label"])
def test_a_stored_answer_is_replaced_after_any_indexing_change(
    stored_answers, indexed, database_engine, how
):
    first = indexed.organisation(name="Hydrogen Valley", country="DE")
    other = indexed.organisation(name="Solar Coast", country="ES")
    indexed.reindex()

    def search():
        found = database_engine.partner_search(text="", filters={}, page=1, page_size=20, like=None)
        return found.count, {v.value: v.count for v in found.facets["country"]}

    assert search() == (2, {"DE": 1, "ES": 1})
    if how == "new":
        indexed.organisation(name="Wind Harbour", country="DK")
        expected = (3, {"DE": 1, "ES": 1, "DK": 1})
    elif how == "changed":
        other.country = "DE"
        other.save()
        expected = (2, {"DE": 2})
    elif how == "unpublished":
        other.is_published = False
        other.save()
        expected = (1, {"DE": 1})
    else:
        give_label(first, "gold")
        expected = (2, {"DE": 1, "ES": 1})
    for organisation in (first, other):
        database_engine.index(type(organisation).objects.get(pk=organisation.pk))
    if how == "new":
        database_engine.rebuild()
    assert search() == expected
    if how == "label":
        labelled = database_engine.partner_search(
            text="", filters={"label": ("gold",)}, page=1, page_size=20, like=None
        )
        assert [hit.pk for hit in labelled.hits] == [first.pk]


def test_answers_are_stored_per_search(stored_answers, indexed, database_engine):
    indexed.organisation(name="Hydrogen Valley", country="DE")
    indexed.organisation(name="Solar Coast", country="ES")
    indexed.reindex()
    answers = {}
    for country, page in itertools.product(("DE", "ES"), (1, 2)):
        answers[country, page] = database_engine.partner_search(
            text="", filters={"country": (country,)}, page=page, page_size=1, like=None
        )
    assert [hit.pk for hit in answers["DE", 1].hits] != [hit.pk for hit in answers["ES", 1].hits]
    assert answers["DE", 2].hits == [] and answers["ES", 2].hits == []
    assert answers["DE", 1].count == answers["ES", 1].count == 1


@pytest.mark.postgres
def test_a_like_search_finds_a_partner_whose_bonuses_outscore_more_shared_items(
    indexed, database_engine
):
    """The bitsets pass PostgreSQL only the organisations that can reach the page: one that
    shares less but adds complementary technologies, or another country, must be one."""
    liked = indexed.organisation(
        name="Hydrogen Valley", country="DE", sectors=["Energy"], technologies=["hydrogen"]
    )
    one_technology = indexed.organisation(  # 3
        name="Hydrogen Works", country="DE", technologies=["hydrogen"]
    )
    one_sector_and_complements = indexed.organisation(  # 2 + 2 (4 more technologies)
        name="Energy Coast",
        country="DE",
        sectors=["Energy"],
        technologies=["robotics", "photonics", "batteries", "fuel cells"],
    )
    one_sector_abroad = indexed.organisation(  # 2 + 1.5 (another country)
        name="Energy Fjord", country="DK", sectors=["Energy"]
    )
    indexed.reindex()
    asked = {
        "text": "",
        "filters": {},
        "page": 1,
        "page_size": 1,
        "like": organisation_data(liked),
    }

    pages = [
        database_engine._partner_search_postgres(**(asked | {"page": page})) for page in (1, 2, 3)
    ]

    assert [[(hit.pk, hit.score) for hit in found.hits] for found in pages] == [
        [(one_sector_and_complements.pk, 4.0)],
        [(one_sector_abroad.pk, 3.5)],
        [(one_technology.pk, 3.0)],
    ]
    assert pages[0].count == 3
    by_orm = database_engine._partner_search_orm(**asked)
    assert [(hit.pk, hit.score) for hit in by_orm.hits] == [(one_sector_and_complements.pk, 4.0)]
