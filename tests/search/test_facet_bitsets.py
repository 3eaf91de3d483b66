"""Counts from the facet bitsets (``search.engines.facet_bitsets``) follow the index.

On PostgreSQL the engine counts a search's results and facets from per-value bitsets built
once per index generation; these tests change the index between searches, with stored
answers off, so that every search is computed afresh from the bitsets.
"""

import pytest
from django.core.cache import cache

from members.models import Organisation
from search.engines.facet_bitsets import FacetBitsets, bits_of

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture(autouse=True)
def computed_answers(settings):
    settings.SEARCH_RESULTS_CACHE_SECONDS = 0


def search(engine, **asked):
    found = engine.partner_search(
        **({"text": "", "filters": {}, "page": 1, "page_size": 20, "like": None} | asked)
    )
    return {
        "count": found.count,
        "pks": [hit.pk for hit in found.hits],
        "countries": {v.value: v.count for v in found.facets["country"]},
        "sectors": {v.value: v.count for v in found.facets["sector"]},
    }


def test_bits_of_sets_one_bit_per_organisation():
    assert bits_of([]) == 0
    assert bits_of([0, 3, 9]) == 0b1000001001
    assert bits_of([70, 70]).bit_count() == 1


def test_a_built_index_holds_every_entry_and_value(indexed):
    hydrogen = indexed.organisation(name="Hydrogen Valley", country="DE", sectors=["Energy"])
    solar = indexed.organisation(name="Solar Coast", country="ES", label="gold")
    indexed.reindex()

    bitsets = FacetBitsets.build()

    assert bitsets.everything == bits_of([hydrogen.pk, solar.pk])
    assert bitsets.values["country"] == {"DE": bits_of([hydrogen.pk]), "ES": bits_of([solar.pk])}
    assert bitsets.values["sector"] == {"energy": bits_of([hydrogen.pk])}
    assert bitsets.values["label"] == {"gold": bits_of([solar.pk])}
    assert bitsets.counts("country", bitsets.everything) == {"DE": 1, "ES": 1}
    assert bitsets.counts("country", 0) == {}


def test_counts_follow_each_indexing_change(indexed, database_engine):
    hydrogen = indexed.organisation(name="Hydrogen Valley", country="DE", sectors=["Energy"])
    indexed.organisation(name="Hydrogen Coast", country="ES")
    indexed.reindex()
    assert search(database_engine, text="hydrogen")["countries"] == {"DE": 1, "ES": 1}

    hydrogen.country = "FR"
    hydrogen.save()
    database_engine.index(Organisation.objects.get(pk=hydrogen.pk))
    assert search(database_engine, text="hydrogen")["countries"] == {"FR": 1, "ES": 1}
    assert search(database_engine, filters={"country": ("FR",)})["sectors"] == {"energy": 1}

    hydrogen.is_published = False
    hydrogen.save()
    database_engine.index(Organisation.objects.get(pk=hydrogen.pk))
    assert search(database_engine, text="hydrogen")["count"] == 1
    assert search(database_engine)["countries"] == {"ES": 1}


def test_an_organisation_unpublished_behind_the_signals_back_is_neither_counted_nor_listed(
    indexed, database_engine
):
    hidden = indexed.organisation(name="Hydrogen Valley", country="DE")
    shown = indexed.organisation(name="Hydrogen Coast", country="ES")
    indexed.reindex()
    assert search(database_engine, text="hydrogen")["count"] == 2

    # A queryset update sends no signal: the entry stays until the next reindex.
    Organisation.objects.filter(pk=hidden.pk).update(is_published=False)

    for asked in ({"text": "hydrogen"}, {}, {"filters": {"country": ("DE", "ES")}}):
        found = search(database_engine, **asked)
        assert found["count"] == 1, asked
        assert found["pks"] == [shown.pk], asked
        assert found["countries"].get("DE", 0) == 0, asked


def test_counts_stay_right_after_the_cache_is_emptied(indexed, database_engine):
    """The bitsets this process holds belong to a generation; an emptied cache starts a new
    one, which must not be taken for the old one."""
    first = indexed.organisation(name="Hydrogen Valley", country="DE")
    indexed.reindex()
    assert search(database_engine)["countries"] == {"DE": 1}

    cache.clear()
    indexed.organisation(name="Solar Coast", country="ES")
    Organisation.objects.filter(pk=first.pk).update(country="DK")
    indexed.reindex()
    cache.clear()

    assert search(database_engine)["countries"] == {"DK": 1, "ES": 1}


def test_a_process_patches_its_bitsets_after_a_few_changes_instead_of_reading_every_entry(
    indexed, database_engine, monkeypatch
):
    """Rebuilding reads every entry (~1 s at 100,000): after an organisation is saved, the
    sets are patched for that organisation alone, here and in the shared cache."""
    hydrogen = indexed.organisation(name="Hydrogen Valley", country="DE", sectors=["Energy"])
    solar = indexed.organisation(name="Solar Coast", country="ES")
    indexed.reindex()
    assert search(database_engine)["countries"] == {"DE": 1, "ES": 1}

    builds = []
    real_build = FacetBitsets.build
    monkeypatch.setattr(
        FacetBitsets, "build", classmethod(lambda cls: builds.append(1) or real_build())
    )
    hydrogen.country = "FR"
    hydrogen.save()
    database_engine.index(Organisation.objects.get(pk=hydrogen.pk))
    wind = indexed.organisation(name="Wind Harbour", country="DK", sectors=["Energy"])
    database_engine.index(wind)
    solar.is_published = False
    solar.save()
    database_engine.index(Organisation.objects.get(pk=solar.pk))

    found = search(database_engine)
    assert found["countries"] == {"FR": 1, "DK": 1}
    assert found["sectors"] == {"energy": 2}
    assert search(database_engine, filters={"sector": ("energy",)})["count"] == 2
    assert builds == []

    # A rebuild lists no organisations: it reads the sets again itself, so that the first
    # search after it does not.
    indexed.reindex()
    assert builds == [1]
    assert search(database_engine)["countries"] == {"FR": 1, "DK": 1}
    assert builds == [1]


def test_the_days_label_refresh_patches_the_sets_of_the_labels_it_changed(
    indexed, database_engine, monkeypatch
):
    """The first search of a day recomputes the labels that expired overnight; the facet
    bitsets are then patched for those organisations, not read again in full."""
    import datetime

    from django.utils import timezone

    from search.engines.database import refresh_label_ranks

    expiring = indexed.organisation(name="Gold until today", country="DE", label="gold")
    expiring.labels.update(valid_until=timezone.localdate())
    indexed.organisation(name="Gold for long", country="FR", label="gold")
    indexed.reindex()
    assert search(database_engine, filters={"label": ("gold",)})["count"] == 2

    builds = []
    real_build = FacetBitsets.build
    monkeypatch.setattr(
        FacetBitsets, "build", classmethod(lambda cls: builds.append(1) or real_build())
    )
    assert refresh_label_ranks(today=timezone.localdate() + datetime.timedelta(days=1)) == 1

    assert search(database_engine, filters={"label": ("gold",)})["countries"] == {"FR": 1}
    assert builds == []
