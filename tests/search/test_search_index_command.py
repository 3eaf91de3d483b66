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
