"""Keeping the search index in step with the database: after commit, once per object.

Receivers (``search.receivers``) call ``schedule_organisation(pk)`` as often as they like
while a transaction runs (an organisation's save, its sectors and its technologies each
send signals); ``flush`` runs after the commit, reads each organisation once as committed
and hands it to every engine that must stay in sync. A rolled-back change leaves nothing
to index: a pending key whose transaction rolled back is flushed with the next commit,
which simply re-reads the committed row.
"""

import logging
import threading

from django.db import transaction

from members.models import Organisation
from search.engines.base import indexing_engines
from search.indexing import searchable_organisations
from taskqueue.tasks import enqueue

logger = logging.getLogger(__name__)

_state = threading.local()

#: Organisations per re-indexing task: small enough for a task to finish in seconds.
REINDEX_BATCH = 500


def _pending() -> set[int]:
    if not hasattr(_state, "organisations"):
        _state.organisations = set()
    return _state.organisations


def schedule_organisation(pk: int | None) -> None:
    """(Re)indexes organisation ``pk`` once the current transaction commits (at once when
    no transaction is open)."""
    if pk is None:
        return
    _pending().add(pk)
    transaction.on_commit(flush, robust=True)


def flush() -> None:
    """Indexes (or removes) every organisation scheduled so far, in every indexing engine.

    What an engine could not take (Elasticsearch unreachable or failing) is handed to the
    task queue, which tries again with back-off until the engine is back.
    """
    pks = set(_pending())
    if not pks:
        return
    _pending().clear()
    for engine in indexing_engines():
        missed = index_in(engine, pks)
        if missed:
            from search.tasks import reindex_organisations

            logger.warning(
                "search engine %s missed %d organisation(s); the task queue will retry "
                "(after a long outage, run `manage.py search_index --rebuild`)",
                engine.name,
                len(missed),
            )
            enqueue(reindex_organisations, organisation_ids=sorted(missed), engine=engine.name)


def index_in(engine, pks) -> set[int]:
    """Index (or remove) organisations ``pks`` in ``engine`` as committed now; returns the
    ones it could not take."""
    if not engine.is_available():
        return set(pks)
    found = {
        organisation.pk: organisation
        for organisation in searchable_organisations().filter(pk__in=pks)
    }
    missed = set()
    for pk in sorted(pks):
        try:
            if pk in found:
                engine.index(found[pk])
            else:
                engine.remove(Organisation(pk=pk))
        except Exception:
            # One engine failing must not stop the others nor the request that committed.
            logger.exception("could not index organisation %s in %s", pk, engine.name)
            missed.add(pk)
    return missed


def schedule_many(pks) -> None:
    """(Re)indexes many organisations from the task queue, in batches, once the current
    transaction commits: what a renamed sector or technology touches can wait a moment
    rather than hold up the editor's request."""
    from search.tasks import reindex_organisations

    pks = sorted({pk for pk in pks if pk is not None})
    for start in range(0, len(pks), REINDEX_BATCH):
        enqueue(reindex_organisations, organisation_ids=pks[start : start + REINDEX_BATCH])
