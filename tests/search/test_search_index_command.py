"""``manage.py search_index``."""

import io

import pytest
from django.core.management import CommandError, call_command

from search.models import OrganisationIndexEntry
from tests.factories import make_organisation

pytestmark = pytest.mark.django_db


def test_rebuild_indexes_every_published_organisation_and_drops_stale_entries(api_client):
    make_organisation(name="One")
    make_organisation(name="Two")
    make_organisation(name="Draft", is_published=False)
    gone = make_organisation(name="Gone")
    call_command("search_index", "--rebuild", stdout=io.StringIO(), stderr=io.StringIO())
    gone.is_published = False
    gone.save()
    out, err = io.StringIO(), io.StringIO()

    call_command("search_index", "--rebuild", stdout=out, stderr=err)

    assert "database: 2 organisations indexed." in out.getvalue()
    assert "2/2" in err.getvalue()  # the progress bar
    assert sorted(OrganisationIndexEntry.objects.values_list("name", flat=True)) == ["one", "two"]


def test_without_rebuild_the_command_says_what_to_pass():
    with pytest.raises(CommandError, match="--rebuild"):
        call_command("search_index")


def test_asking_for_an_unconfigured_engine_is_a_one_line_error():
    with pytest.raises(CommandError, match="ELASTICSEARCH_URL"):
        call_command("search_index", "--rebuild", "--engine", "elasticsearch")


@pytest.mark.postgres
def test_a_rebuild_writes_the_same_entries_as_indexing_one_by_one(indexed):
    """The rebuild streams rows and computes the vectors in SQL; indexing after a save builds
    them in Python: both must store the same entry, or searches would rank differently
    after a rebuild."""
    from django.db import connection

    from search.engines.base import database_engine
    from search.models import SearchWord
    from tests.search.conftest import give_label

    organisation = indexed.organisation(
        name="Ærøskøbing Maritime Clusters",
        country="DK",
        description="Shipbuilders and offshore-wind suppliers, working together.",
        sectors=["Blue economy"],
        technologies=["hydrogen", "offshore wind"],
        label="gold",
    )
    give_label(organisation, "silver", expired=True)
    columns = (
        "name, topics, body, keywords, vector::text, completeness, country, label_rank, "
        "label_rank_until, sectors, technologies, labels"
    )

    def stored():
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {columns} FROM search_organisationindexentry "  # noqa: S608
                "WHERE organisation_id = %s",
                [organisation.pk],
            )
            return cursor.fetchone()

    engine = database_engine()
    engine.index(organisation)
    one_by_one = stored()
    SearchWord.objects.all().delete()

    assert engine.rebuild() >= 1
    assert stored() == one_by_one
    assert "shipbuild" in one_by_one[4]
    assert SearchWord.objects.filter(word="shipbuild").exists()
