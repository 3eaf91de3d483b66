"""The search interface that every engine implements, and how the configured one is chosen.

Like Wagtail's search backends: a small base class whose methods state the contract, and
``settings.SEARCH_ENGINE`` naming the class to use by dotted path. Views never ask which
engine runs; they call ``call_engine("partner_search", ...)``, which answers from the
database engine (and logs a warning) when the configured engine cannot be reached.

The database engine is always kept in sync (``search.sync``), whatever the setting, so that
falling back to it answers with current data.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import get_language, override
from django_countries import countries

logger = logging.getLogger(__name__)

DATABASE_ENGINE = "search.engines.database.DatabaseEngine"

#: The partner-search facets, in the order the API and the HTML page show them.
FACETS = ("country", "sector", "technology", "label")


def country_names(codes) -> dict[str, str]:
    """The names of these country codes in the active language (facets, results)."""
    language = get_language()
    return {code: _country_name(language, code) for code in codes}


@lru_cache(maxsize=2048)  # 4 languages x 250 countries, and room for codes nobody has
def _country_name(language: str | None, code: str) -> str:
    # django_countries translates the whole list for each name (~50 µs a name): a search
    # names about 50 countries in its facet, ~3 ms each time, for names that never change.
    with override(language):
        return str(countries.name(code))


class EngineUnavailable(Exception):
    """The engine's service cannot be reached; the caller falls back to the database."""


@dataclass(frozen=True)
class PartnerHit:
    """One organisation in a partner-search answer: its primary key and its score."""

    pk: int
    score: float = 0.0


@dataclass(frozen=True)
class FacetValue:
    """One checkbox of a facet: the filter ``value``, how many results it gives, its name."""

    value: str
    count: int
    name: str = ""


@dataclass
class PartnerResults:
    """A page of partner-search hits, the total ``count`` and the ``facets``' counts."""

    count: int
    hits: list[PartnerHit]
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)


class SearchEngine:
    """Base class of the search engines.

    Engines index organisations (the only objects they store themselves); pages and events
    are Wagtail pages, searched through Wagtail's own backend, which follows
    ``ELASTICSEARCH_URL`` too; member profiles and forum threads are read from the database
    with the visibility rules in the query, so a stale index can never show a hidden one.
    """

    #: A short name for logs and the management command.
    name = "base"

    def is_available(self) -> bool:
        """Whether the engine's service answers now; the database engine always does."""
        return True

    def index(self, obj) -> None:
        """Adds or refreshes ``obj`` in the index, or removes it when it should no longer be
        found (an unpublished organisation). Objects the engine does not index are ignored.
        Called after commit (``search.sync``), never inside the transaction that changed it.
        """
        raise NotImplementedError

    def remove(self, obj) -> None:
        """Removes ``obj`` from the index; a no-op when it is not there."""
        raise NotImplementedError

    def partner_search(
        self,
        *,
        text: str,
        filters: dict[str, tuple[str, ...]],
        page: int,
        page_size: int,
        like=None,
    ) -> PartnerResults:
        """Published organisations matching ``text`` (already cleaned, may be empty) and
        ``filters``.

        ``filters`` maps each name in ``FACETS`` to the wanted values: values of one facet
        combine with OR, different facets with AND. Each facet's counts apply every filter
        except the facet's own, so a ticked checkbox never hides its siblings.

        Order: text relevance, then the current label's level (gold > silver > bronze),
        then profile completeness, then name. With ``like`` (the ``OrganisationData`` of
        an organisation), organisations sharing or complementing its sectors and
        technologies come first, those in other countries before its own; ``like`` itself
        is never returned.

        Returns the hits of page ``page`` (1-based) of ``page_size`` hits.
        """
        raise NotImplementedError

    def autocomplete(self, *, prefix: str, limit: int = 10) -> list[dict]:
        """Suggestions for a search box: organisation names and technologies starting with
        (or close to) ``prefix``, as ``{"kind", "value", "slug"}`` dicts, best first."""
        raise NotImplementedError

    def site_search(self, *, text: str, user, request=None, kinds=None, offset=0, limit=5):
        """Site-wide search for ``user``: a list of ``search.site.Group`` (pages, events,
        organisations, members, forum threads), each with its total count and results ``offset`` to
        ``offset + limit``, only what ``user`` may see. Engines share this composition;
        organisations come from their own ``partner_search``."""
        from search.site import site_search

        return site_search(
            text=text, user=user, request=request, kinds=kinds, offset=offset, limit=limit
        )

    def rebuild(self, *, progress: Callable[[int], Any] | None = None) -> int:
        """Rebuilds the whole index without a moment where searches find nothing.

        Calls ``progress(n)`` after each batch of ``n`` organisations; returns how many
        organisations were indexed.
        """
        raise NotImplementedError

    def count_for_progress(self) -> int:
        """How many objects ``rebuild`` will index, for a progress bar."""
        from search.indexing import searchable_organisations

        return searchable_organisations().count()


_engines: dict[str, SearchEngine] = {}


def load_engine(path: str) -> SearchEngine:
    """The (shared) instance of the engine class at dotted ``path``."""
    if path not in _engines:
        _engines[path] = import_string(path)()
    return _engines[path]


def get_engine() -> SearchEngine:
    """The configured engine, or the database engine while the configured one is unreachable."""
    engine = load_engine(settings.SEARCH_ENGINE)
    if engine.is_available():
        return engine
    logger.warning(
        "search engine %s is unreachable; answering from the database engine", engine.name
    )
    return load_engine(DATABASE_ENGINE)


def call_engine(method: str, **kwargs):
    """Calls ``method`` on ``get_engine()``; if the engine fails for want of its service in
    the middle of the request, answers from the database engine and logs a warning."""
    engine = get_engine()
    try:
        return getattr(engine, method)(**kwargs)
    except EngineUnavailable as error:
        logger.warning(
            "search engine %s failed (%s); answering from the database engine", engine.name, error
        )
        return getattr(load_engine(DATABASE_ENGINE), method)(**kwargs)


def indexing_engines() -> list[SearchEngine]:
    """The engines to keep in sync: the database engine always (it is the fallback), and the
    configured engine when it is another one."""
    engines = [load_engine(DATABASE_ENGINE)]
    if settings.SEARCH_ENGINE != DATABASE_ENGINE:
        engines.append(load_engine(settings.SEARCH_ENGINE))
    return engines
