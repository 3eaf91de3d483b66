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

logger = logging.getLogger(__name__)

_state = threading.local()


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
    """Indexes (or removes) every organisation scheduled so far, in every indexing engine."""
    pks = set(_pending())
    if not pks:
        return
    _pending().clear()
    found = {
        organisation.pk: organisation
        for organisation in searchable_organisations().filter(pk__in=pks)
    }
    for engine in indexing_engines():
        if not engine.is_available():
            logger.warning(
                "search engine %s is unreachable: %d organisation(s) not indexed there; "
                "run `manage.py search_index --rebuild` once it is back",
                engine.name,
                len(pks),
            )
            continue
        for pk in sorted(pks):
            try:
                if pk in found:
                    engine.index(found[pk])
                else:
                    engine.remove(Organisation(pk=pk))
            except Exception:
                # One engine failing (Elasticsearch down) must not stop the others nor
                # the request that committed; `search_index --rebuild` catches up.
                logger.exception("could not index organisation %s in %s", pk, engine.name)
