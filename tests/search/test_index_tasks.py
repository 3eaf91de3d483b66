"""Index refreshes that can wait go through the task queue: a renamed sector's organisations
are re-indexed by a task, and what an engine missed is queued for it until it is back."""

import pytest
from django_tasks_db.models import DBTaskResult

from members.models import Sector
from search.engines.base import SearchEngine
from search.tasks import EngineStillUnavailable, reindex_organisations
from tests.factories import make_organisation
from tests.queue_support import DATABASE_QUEUE

pytestmark = pytest.mark.django_db


class SometimesDownEngine(SearchEngine):
    """An indexing engine whose service is up or down as the test says; it records what
    it was given."""

    name = "sometimes-down"
    up = True
    indexed: list[int] = []

    def is_available(self) -> bool:
        return type(self).up

    def index(self, obj) -> None:
        type(self).indexed.append(obj.pk)

    def remove(self, obj) -> None:
        type(self).indexed.append(-obj.pk)


@pytest.fixture
def sometimes_down(settings):
    settings.SEARCH_ENGINE = f"{__name__}.SometimesDownEngine"
    SometimesDownEngine.up = True
    SometimesDownEngine.indexed = []
    return SometimesDownEngine


def queued_reindexing():
    return [
        row.args_kwargs["kwargs"]
        for row in DBTaskResult.objects.filter(task_path="search.tasks.reindex_organisations")
    ]


def test_renaming_a_sector_reindexes_its_organisations_from_the_queue(
    settings, api_client, database_engine, django_capture_on_commit_callbacks
):
    energy = Sector.objects.create(name="Energy", slug="energy")
    organisation = make_organisation(name="Nordic Cluster", sectors=[energy])
    database_engine.rebuild()
    settings.TASKS = DATABASE_QUEUE

    with django_capture_on_commit_callbacks(execute=True):
        energy.name = "Hydrogen valleys"
        energy.save()

    assert queued_reindexing() == [{"organisation_ids": [organisation.pk]}]
    found = api_client.get("/api/search/partners/", {"q": "valleys"}).json()["results"]
    assert found == []  # not yet: the worker has not run the task

    reindex_organisations.call(organisation_ids=[organisation.pk])
    found = api_client.get("/api/search/partners/", {"q": "valleys"}).json()["results"]
    assert [result["name"] for result in found] == ["Nordic Cluster"]


def test_on_the_immediate_backend_the_renamed_sector_is_found_right_after_the_commit(
    api_client, database_engine, django_capture_on_commit_callbacks
):
    energy = Sector.objects.create(name="Energy", slug="energy")
    make_organisation(name="Nordic Cluster", sectors=[energy])
    database_engine.rebuild()

    with django_capture_on_commit_callbacks(execute=True):
        energy.name = "Hydrogen valleys"
        energy.save()

    found = api_client.get("/api/search/partners/", {"q": "valleys"}).json()["results"]
    assert [result["name"] for result in found] == ["Nordic Cluster"]


def test_what_an_unreachable_engine_missed_is_queued_for_it_and_indexed_once_it_is_back(
    settings, sometimes_down, django_capture_on_commit_callbacks
):
    settings.TASKS = DATABASE_QUEUE
    sometimes_down.up = False
    with django_capture_on_commit_callbacks(execute=True):
        organisation = make_organisation(name="Baltic Cluster")

    assert sometimes_down.indexed == []
    # (Keys that earlier rolled-back transactions left pending may ride along.)
    (queued,) = queued_reindexing()
    assert queued["engine"] == "sometimes-down"
    assert organisation.pk in queued["organisation_ids"]
    # While the engine is still down, the task fails, so that the worker tries again later.
    with pytest.raises(EngineStillUnavailable):
        reindex_organisations.call(organisation_ids=[organisation.pk], engine="sometimes-down")

    sometimes_down.up = True
    assert (
        reindex_organisations.call(organisation_ids=[organisation.pk], engine="sometimes-down") == 1
    )
    assert sometimes_down.indexed == [organisation.pk]


def test_a_reachable_engine_gets_the_change_at_once_and_nothing_is_queued(
    settings, sometimes_down, django_capture_on_commit_callbacks
):
    settings.TASKS = DATABASE_QUEUE
    with django_capture_on_commit_callbacks(execute=True):
        organisation = make_organisation(name="Baltic Cluster")
    assert organisation.pk in sometimes_down.indexed
    assert queued_reindexing() == []
