"""The search interface that every engine implements, and how the configured one is chosen.

Like Wagtail's search backends: a small base class whose methods state the contract, and
settings naming the classes to use by dotted path: ``SEARCH_DATABASE_ENGINE`` the database
engine that suits the database (PostgreSQL or another), ``SEARCH_ENGINE`` the one that
answers searches (that one, or Elasticsearch). Views never ask which engine runs; they call
``search_engine().partner_search(...)``. When the configured engine is not the database
engine, ``search_engine()`` is a ``FallbackEngine``, itself an engine, that answers from
the database engine (and logs a warning) while the configured one cannot be reached.

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

#: The partner-search facets, in the order the API and the HTML page show them.
FACETS = ("country", "sector", "technology", "label")


def country_names(codes) -> dict[str, str]:
    """The names of these country codes in the active language (facets, results)."""
    language = get_language()
    return {code: _country_name(language, code) for code in codes}


@lru_cache(maxsize=2048)  # 4 languages x 250 countries, and room for codes nobody has
def _country_name(language: str | None, code: str) -> str:
    # django_countries translates the whole list for each name: a search names about 50
    # countries in its facet, each time, for names that never change.
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

    def indexing_engines(self) -> list["SearchEngine"]:
        """The engines whose indexes this one answers from, to keep in sync."""
        return [self]


class FallbackEngine(SearchEngine):
    """Answers from ``primary``, or from ``fallback`` (and logs a warning) while
    ``primary``'s service cannot be reached: before a request when it is known to be down,
    or when it fails in the middle of one. Indexing writes to both."""

    def __init__(self, primary: SearchEngine, fallback: SearchEngine):
        self.primary = primary
        self.fallback = fallback
        self.name = primary.name

    def _answer(self, ask: Callable[[SearchEngine], Any]):
        if not self.primary.is_available():
            logger.warning(
                "search engine %s is unreachable; answering from the %s engine",
                self.primary.name,
                self.fallback.name,
            )
            return ask(self.fallback)
        try:
            return ask(self.primary)
        except EngineUnavailable as error:
            logger.warning(
                "search engine %s failed (%s); answering from the %s engine",
                self.primary.name,
                error,
                self.fallback.name,
            )
            return ask(self.fallback)

    def is_available(self) -> bool:
        return self.primary.is_available() or self.fallback.is_available()

    def partner_search(self, **kwargs) -> PartnerResults:
        return self._answer(lambda engine: engine.partner_search(**kwargs))

    def autocomplete(self, **kwargs) -> list[dict]:
        return self._answer(lambda engine: engine.autocomplete(**kwargs))

    def index(self, obj) -> None:
        for engine in self.indexing_engines():
            engine.index(obj)

    def remove(self, obj) -> None:
        for engine in self.indexing_engines():
            engine.remove(obj)

    def rebuild(self, *, progress: Callable[[int], Any] | None = None) -> int:
        counted = 0
        for engine in self.indexing_engines():
            counted = engine.rebuild(progress=progress)
        return counted

    def indexing_engines(self) -> list[SearchEngine]:
        # The fallback first: it must hold current data whatever becomes of the primary.
        return self.fallback.indexing_engines() + self.primary.indexing_engines()


_engines: dict[str, SearchEngine] = {}


def load_engine(path: str) -> SearchEngine:
    """The (shared) instance of the engine class at dotted ``path``."""
    if path not in _engines:
        _engines[path] = import_string(path)()
    return _engines[path]


def database_engine() -> SearchEngine:
    """The database engine: the fallback, kept in sync whatever the configured engine."""
    return load_engine(settings.SEARCH_DATABASE_ENGINE)


def search_engine() -> SearchEngine:
    """The engine that answers searches: the configured one, answered for by the database
    engine while it cannot be reached."""
    engine = load_engine(settings.SEARCH_ENGINE)
    database = database_engine()
    if type(engine) is type(database):
        return database
    return FallbackEngine(engine, database)


def indexing_engines() -> list[SearchEngine]:
    """The engines to keep in sync: the database engine always (it is the fallback), and the
    configured engine when it is another one."""
    return search_engine().indexing_engines()
