"""Background work of search: index refreshes that can wait, and retries of those that
an engine missed."""

from django_tasks import task


class EngineStillUnavailable(Exception):
    """The engine could not take every organisation yet; the worker tries again later."""


@task()
def reindex_organisations(*, organisation_ids: list[int], engine: str | None = None) -> int:
    """Index organisations ``organisation_ids`` as they are now, in the engine named
    ``engine`` (every indexing engine when None); returns how many were indexed."""
    from search.engines.base import indexing_engines
    from search.sync import index_in

    engines = [e for e in indexing_engines() if engine is None or e.name == engine]
    missed = set()
    for target in engines:
        missed |= index_in(target, organisation_ids)
    if missed:
        raise EngineStillUnavailable(
            f"{len(missed)} of {len(organisation_ids)} organisation(s) not indexed yet"
        )
    return len(organisation_ids)
