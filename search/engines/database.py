"""The default engines: the database the project already runs on.

``PostgresEngine``: full-text search over the stored ``OrganisationIndexEntry.vector`` (name
weighted A, sectors/technologies B, description and place C; prefix matching so "clust"
finds "cluster"), ranked with ``SearchRank``. Typos: each query word also matches the
near spellings that ``pg_trgm`` finds in ``SearchWord``, the lexicon of every indexed
word ("clustr" finds "cluster"), so the full-text GIN index answers every query.

``PortableDatabaseEngine`` (SQLite, a laptop without services; it runs on any database
Django supports): every query word must occur in the folded text; there is no typo
tolerance and only a coarse relevance (name matches first).

Settings choose the class by the database (``SEARCH_DATABASE_ENGINE``); both rank by the
rule of ``search.ranking``.
"""

import hashlib
import json
import operator
import re
from collections import defaultdict
from collections.abc import Callable
from functools import reduce
from typing import Any, NamedTuple

from django.conf import settings
from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    TrigramSimilarity,
    TrigramWordSimilarity,
)
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Least
from django.utils import timezone
from django.utils.translation import get_language
from taggit.models import Tag

from caching import generations
from members.models import (
    Organisation,
    QualityLabel,
    Sector,
    TaggedOrganisationTechnology,
)
from search import ranking
from search.engines import database_pg, facet_bitsets
from search.engines.base import (
    FACETS,
    FacetValue,
    PartnerHit,
    PartnerResults,
    SearchEngine,
    country_names,
)
from search.indexing import (
    LABEL_LEVELS,
    current_label_filter,
    current_label_levels,
    label_rank_on,
    organisation_data,
    searchable_batches,
)
from search.models import OrganisationIndexEntry, SearchWord
from search.text import index_text, words

#: Values listed per facet (selected values are always listed as well).
FACET_SIZE = 50
#: Text-search configuration: English stemming ("clusters" finds "cluster") over text
#: that was already accent-folded in Python.
TS_CONFIG = "english"

OrganisationSectors = Organisation.sectors.through


class TagFacet(NamedTuple):
    """A facet over a many-to-many relation."""

    #: The relation's model, and its column holding the organisation.
    through: type
    owner: str
    #: The facet value (a slug) reached from a row of ``through``.
    value: str
    #: The model naming the values by slug.
    named: type


_TAG_FACETS = {
    "sector": TagFacet(OrganisationSectors, "organisation_id", "sector__slug", Sector),
    "technology": TagFacet(TaggedOrganisationTechnology, "content_object_id", "tag__slug", Tag),
}


def _vector(name: str, topics: str, body: str):
    return (
        SearchVector(Value(name), weight="A", config=TS_CONFIG)
        + SearchVector(Value(topics), weight="B", config=TS_CONFIG)
        + SearchVector(Value(body), weight="C", config=TS_CONFIG)
    )


def _entry_without_text(data, *, today=None) -> OrganisationIndexEntry:
    """The entry's name, ranking columns and facet values (each engine adds the text)."""
    today = today or timezone.localdate()
    label_rank = label_rank_on(data.labels, today)
    return OrganisationIndexEntry(
        organisation_id=data.pk,
        name=index_text(data.name)[:200],
        completeness=data.completeness,
        country=data.country,
        label_rank=label_rank.rank,
        label_rank_until=label_rank.until,
        sectors=data.sector_slugs,
        technologies=data.technology_slugs,
        labels=current_label_levels(data.labels, today),
    )


ENTRY_FIELDS = (
    "name",
    "topics",
    "body",
    "keywords",
    "vector",
    "completeness",
    "country",
    "label_rank",
    "label_rank_until",
    "sectors",
    "technologies",
    "labels",
)
#: Facet counts of the unfiltered search (the heaviest to count, and the most asked for)
#: are cached until the next indexing change.
ALL_FACETS_CACHE_KEY = "search:database:all-facets"
#: Moved on by every indexing change; part of the key of every stored search answer and
#: count (caching.generations).
INDEX_GENERATION_KEY = "search:database:generation"
LABEL_RANKS_CACHE_KEY = "search:database:label-ranks-refreshed"


def refresh_label_ranks(*, today=None) -> int:
    """Recomputes ``label_rank`` of entries whose label changed since (a label expired or
    started); returns how many. Cheap when there is nothing to do (an indexed filter)."""
    today = today or timezone.localdate()
    stale = list(
        OrganisationIndexEntry.objects.filter(label_rank_until__lt=today).values_list(
            "pk", flat=True
        )
    )
    refreshed = 0
    for pks in _chunks(stale, 500):
        labels = defaultdict(list)
        for owner, level, awarded_on, valid_until in QualityLabel.objects.filter(
            organisation_id__in=pks
        ).values_list("organisation_id", "level", "awarded_on", "valid_until"):
            labels[owner].append(
                {"level": level, "awarded_on": awarded_on, "valid_until": valid_until}
            )
        entries = []
        for pk in pks:
            label_rank = label_rank_on(labels[pk], today)
            entries.append(
                OrganisationIndexEntry(
                    organisation_id=pk,
                    label_rank=label_rank.rank,
                    label_rank_until=label_rank.until,
                    labels=current_label_levels(labels[pk], today),
                )
            )
        OrganisationIndexEntry.objects.bulk_update(
            entries, ["label_rank", "label_rank_until", "labels"]
        )
        refreshed += len(entries)
    if refreshed:
        # A day's expired or starting labels are a few organisations: the facet bitsets
        # patch those rather than read every entry again in the day's first search.
        few = refreshed <= facet_bitsets.PATCHED_ORGANISATIONS_AT_MOST
        _forget_all_facets(changed=stale if few else None)
    return refreshed


#: Words of a query that get near spellings looked up (one small query each).
MAX_CORRECTED_WORDS = 6
#: How alike a lexicon word must be to a query word to stand in for it ("clustr" and
#: "cluster" are 0.5 alike); pg_trgm's own 0.3 lets in too much.
NEAR_SPELLING_SIMILARITY = 0.45
_LEXEME = re.compile(r"^[a-z][a-z0-9_]{2,99}$")


def near_spellings(term: str, *, limit: int = 3) -> list[str]:
    """Lexicon words spelt almost like ``term`` (never ``term``'s own beginning: the prefix
    query finds those already). Short terms are left alone: their near spellings are noise."""
    if len(term) < 4:
        return []
    found = (
        SearchWord.objects.filter(word__trigram_similar=term)
        .annotate(similarity=TrigramSimilarity("word", term))
        .filter(similarity__gte=NEAR_SPELLING_SIMILARITY)
        .exclude(word__startswith=term)
        .order_by("-similarity", "word")
        .values_list("word", flat=True)[:limit]
    )
    return [word for word in found if _LEXEME.match(word)]


def _learn_words(pks) -> None:
    """Adds the lexemes of these entries (of every entry when ``pks`` is None) to the
    lexicon."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO search_searchword (word) "
            "SELECT DISTINCT u.lexeme FROM search_organisationindexentry e, unnest(e.vector) u "
            "WHERE (%s OR e.organisation_id = ANY(%s)) "
            "AND u.lexeme ~ '^[a-z][a-z0-9_]{2,99}$' "
            "ON CONFLICT DO NOTHING",
            [pks is None, list(pks or [])],
        )


def _staging_row(data) -> tuple:
    """A row of the table ``search_rebuild_staging``: the entry's columns, its text still
    plain."""
    entry = _entry_without_text(data)
    return (
        entry.organisation_id,
        entry.name,
        data.topics,
        data.body,
        entry.completeness,
        entry.country,
        entry.label_rank,
        entry.label_rank_until,
        json.dumps(entry.sectors),
        json.dumps(entry.technologies),
        json.dumps(entry.labels),
    )


def _published_entries():
    # The entry of an organisation unpublished behind the signals' back (a queryset update)
    # must not count either: the join is on the primary key, so it is cheap.
    return OrganisationIndexEntry.objects.filter(organisation__is_published=True)


def _all_facets_key() -> str:
    return f"{ALL_FACETS_CACHE_KEY}:{generations.current(INDEX_GENERATION_KEY)}:{get_language()}"


def _forget_all_facets(changed=None) -> None:
    """Forgets every stored answer and count: called on each indexing change, with the
    organisations it changed when they are few (the facet bitsets then only patch them)."""
    generation = generations.advance(INDEX_GENERATION_KEY)
    if generation is not None and changed is not None:
        facet_bitsets.record_change(generation, changed)


def _results_key(*, text, filters, page, page_size, like) -> str:
    generation = generations.current(INDEX_GENERATION_KEY)
    asked = json.dumps(
        [
            get_language(),
            " ".join(words(text)),
            {facet: sorted(filters[facet]) for facet in FACETS if filters.get(facet)},
            # Not only the organisation: a partner request ranks like it with its own
            # sectors and technologies (partnering/matching.py).
            [like.pk, like.sector_slugs, like.technology_slugs, like.country]
            if like is not None
            else None,
            page,
            page_size,
        ],
        sort_keys=True,
    )
    return f"search:database:results:{generation}:{hashlib.sha256(asked.encode()).hexdigest()}"


def _chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _count(queryset, key: str):
    """A correlated ``COUNT(*)`` of ``queryset`` rows per ``key`` (0 when there are none)."""
    counted = queryset.order_by().values(key).annotate(n=Count("*")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def facet_filter(facet: str, values: tuple[str, ...], *, today=None) -> Q:
    """The condition on ``Organisation`` rows for one facet's selected ``values`` (OR)."""
    if facet == "country":
        return Q(country__in=values)
    if facet == "sector":
        return Q(
            Exists(
                OrganisationSectors.objects.filter(
                    organisation_id=OuterRef("pk"), sector__slug__in=values
                )
            )
        )
    if facet == "technology":
        return Q(
            Exists(
                TaggedOrganisationTechnology.objects.filter(
                    content_object_id=OuterRef("pk"), tag__slug__in=values
                )
            )
        )
    if facet == "label":
        return Q(
            Exists(
                QualityLabel.objects.filter(
                    organisation_id=OuterRef("pk"),
                    level__in=values,
                    **current_label_filter(today=today),
                )
            )
        )
    raise ValueError(f"unknown facet {facet!r}")


#: Above this many, the candidates of a like-search are not worth listing to PostgreSQL.
LIKE_CANDIDATES_AT_MOST = 5000


def _like_candidates(bitsets, like, selected, *, wanted: int) -> list[int] | None:
    """The organisations that can be among the ``wanted`` best of a like-search, or None
    when that is not much fewer than all of them.

    A like-search matches a fifth of all organisations, and scoring them all is most of
    its time (see bench/README.md). The bitsets give each organisation's like score
    (``search.ranking``) but for its complements, which they do not tell (they add
    ``ranking.LIKE_COMPLEMENTS_AT_MOST`` at most): once ``wanted`` organisations are sure
    to score at least ``s``, only those that can reach ``s`` are worth scoring.
    """
    within = bitsets.everything & ~(1 << like.pk)
    for facet, values in selected.items():
        within &= bitsets.any_of(facet, values)
    same_country = bitsets.values["country"].get(like.country, 0)
    technologies = facet_bitsets.counted(
        bitsets.values["technology"].get(slug, 0) for slug in like.technology_slugs
    )
    sectors = facet_bitsets.counted(
        bitsets.values["sector"].get(slug, 0) for slug in like.sector_slugs
    )
    by_score = defaultdict(int)  # the score without complements: organisations
    for shared_technologies in range(len(like.technology_slugs) + 1):
        with_technologies = facet_bitsets.exactly(technologies, shared_technologies, within)
        if not with_technologies:
            continue
        for shared_sectors in range(len(like.sector_slugs) + 1):
            if not (shared_technologies or shared_sectors):
                continue
            sharing = facet_bitsets.exactly(sectors, shared_sectors, with_technologies)
            for other_country, where in ((False, same_country), (True, ~same_country)):
                score = ranking.like_score_of(
                    shared_technologies=shared_technologies,
                    shared_sectors=shared_sectors,
                    other_country=other_country,
                )
                by_score[score] |= sharing & where
    sure, reached = 0, None
    for score in sorted(by_score, reverse=True):
        sure += by_score[score].bit_count()
        if sure >= wanted:
            reached = score
            break
    if reached is None:
        return None
    candidates = 0
    for score, organisations in by_score.items():
        if score + ranking.LIKE_COMPLEMENTS_AT_MOST >= reached:
            candidates |= organisations
    if candidates.bit_count() > LIKE_CANDIDATES_AT_MOST:
        return None
    return facet_bitsets.pks_of(candidates)


class PortableDatabaseEngine(SearchEngine):
    """The search in ORM queries: SQLite on a laptop (no full-text index, no JSON
    containment), or any other database Django supports.

    Its entries hold the folded text in columns that every query word must occur in.
    """

    name = "database"

    # --- indexing ------------------------------------------------------------------

    def _entry(self, data) -> OrganisationIndexEntry:
        entry = _entry_without_text(data)
        entry.topics, entry.body, entry.keywords = data.topics, data.body, data.keywords
        return entry

    def _stored(self, pks) -> None:
        """Called after the entries of ``pks`` are written."""

    def index(self, obj) -> None:
        """Stores the organisation's search entry (removes it once unpublished)."""
        if not isinstance(obj, Organisation):
            return
        if not obj.is_published:
            self.remove(obj)
            return
        entry = self._entry(organisation_data(obj))
        OrganisationIndexEntry.objects.update_or_create(
            organisation_id=obj.pk,
            defaults={field: getattr(entry, field) for field in ENTRY_FIELDS},
        )
        _forget_all_facets(changed=[obj.pk])
        self._stored([obj.pk])

    def remove(self, obj) -> None:
        if isinstance(obj, Organisation):
            OrganisationIndexEntry.objects.filter(pk=obj.pk).delete()
            _forget_all_facets(changed=[obj.pk])

    def rebuild(self, *, progress: Callable[[int], Any] | None = None) -> int:
        """Rewrites every entry in one transaction: searches see the old entries until the
        new ones are committed."""
        total = 0
        with transaction.atomic():
            OrganisationIndexEntry.objects.all().delete()
            for batch in searchable_batches():
                total += self._store([self._entry(data) for data in batch], progress)
        _forget_all_facets()
        return total

    def _store(self, batch, progress) -> int:
        OrganisationIndexEntry.objects.bulk_create(batch)
        self._stored([entry.pk for entry in batch])
        if progress:
            progress(len(batch))
        return len(batch)

    # --- partner search ------------------------------------------------------------

    def _matching(self, text: str):
        """Entries of published organisations matching ``text``, annotated with ``rank``."""
        queryset = _published_entries()
        terms = words(text)
        if not terms:
            return queryset.annotate(rank=Value(0.0, output_field=FloatField()))
        condition = Q()
        for term in terms:
            condition &= Q(keywords__contains=term) | Q(body__contains=term)
        in_name = Q()
        for term in terms:
            in_name &= Q(name__icontains=term)
        return queryset.filter(condition).annotate(
            rank=Case(When(in_name, then=Value(1.0)), default=Value(0.5), output_field=FloatField())
        )

    def partner_search(self, *, text, filters, page, page_size, like=None) -> PartnerResults:
        today = timezone.localdate()
        if cache.add(f"{LABEL_RANKS_CACHE_KEY}:{today}", True, 24 * 3600):
            refresh_label_ranks(today=today)
        search = self._partner_search
        seconds = settings.SEARCH_RESULTS_CACHE_SECONDS
        if not seconds:
            return search(text=text, filters=filters, page=page, page_size=page_size, like=like)
        # Like Elasticsearch's request cache: an answer is kept until the next indexing
        # change, since the same searches (a landing page's links, a member paging back
        # and forth) are asked again and again.
        key = _results_key(text=text, filters=filters, page=page, page_size=page_size, like=like)
        found = cache.get(key)
        if found is None:
            found = search(text=text, filters=filters, page=page, page_size=page_size, like=like)
            cache.set(key, found, seconds)
        return found

    def _partner_search(self, *, text, filters, page, page_size, like) -> PartnerResults:
        return self._partner_search_orm(
            text=text, filters=filters, page=page, page_size=page_size, like=like
        )

    def _facets_from_counts(self, counts, selected) -> dict[str, list[FacetValue]]:
        """Every value's count per facet, as the top values with names (selected values
        are always listed, so that they can be unticked)."""
        facets = {}
        for facet in FACETS:
            counted = counts[facet]
            chosen = tuple(selected.get(facet) or ())
            if facet == "label":
                top = {
                    level: counted[level] for level in reversed(LABEL_LEVELS) if level in counted
                }
                names = {level: str(label) for level, label in QualityLabel.Level.choices}
            else:
                ordered = sorted(counted.items(), key=lambda item: (-item[1], item[0]))
                top = dict(ordered[:FACET_SIZE])
                names = self._facet_names(facet, set(top) | set(chosen))
            for value in chosen:
                top.setdefault(value, counted.get(value, 0))
            facets[facet] = [
                FacetValue(value=value, count=n, name=names.get(value, value))
                for value, n in top.items()
            ]
        return facets

    @staticmethod
    def _facet_names(facet, values) -> dict[str, str]:
        if facet == "country":
            return country_names(values)
        named = _TAG_FACETS[facet].named
        return dict(named.objects.filter(slug__in=values).values_list("slug", "name"))

    def _partner_search_orm(self, *, text, filters, page, page_size, like):
        """The search in ORM queries: the count, the page and each facet's counts."""
        matching = self._matching(text)
        if like is not None:
            # Filtered here rather than after scoring, so that the facets count exactly
            # the organisations that can be listed.
            matching = matching.exclude(pk=like.pk).filter(
                facet_filter("sector", tuple(like.sector_slugs))
                | facet_filter("technology", tuple(like.technology_slugs))
            )
        conditions = {
            facet: facet_filter(facet, tuple(filters[facet]))
            for facet in FACETS
            if filters.get(facet)
        }

        def filtered(*, skip: str | None = None):
            queryset = matching
            for facet, condition in conditions.items():
                if facet != skip:
                    queryset = queryset.filter(condition)
            return queryset

        results = filtered()
        ordering = ["-rank", "-label_rank", "-completeness", "name", "pk"]
        if like is not None:
            results = self._like(results, like)
            ordering.insert(0, "-like_score")
        unfiltered = not words(text) and not conditions and like is None
        # The unfiltered search (the page as first opened) counts every organisation: its
        # total and facets are cached until the next indexing change.
        cached = cache.get(_all_facets_key()) if unfiltered else None
        count = cached["count"] if cached else results.count()
        start = (page - 1) * page_size
        ordering = ordering if words(text) or like is not None else ordering[1:]
        rows = results.order_by(*ordering)[start : start + page_size]
        score = "like_score" if like is not None else "rank"
        hits = [
            PartnerHit(pk=pk, score=round(float(s or 0), 4))
            for pk, s in rows.values_list("pk", score)
        ]
        if cached:
            facets = cached["facets"]
        else:
            counts = {facet: self._facet_counts(facet, filtered(skip=facet)) for facet in FACETS}
            facets = self._facets_from_counts(counts, filters)
            if unfiltered:
                cache.set(_all_facets_key(), {"count": count, "facets": facets}, 3600)
        return PartnerResults(count=count, hits=hits, facets=facets)

    def _like(self, queryset, like):
        """Annotates ``like_score`` (``search.ranking``; the caller keeps only
        organisations that share a sector or a technology with ``like``)."""
        sectors = OrganisationSectors.objects.filter(organisation_id=OuterRef("pk"))
        technologies = TaggedOrganisationTechnology.objects.filter(content_object_id=OuterRef("pk"))
        queryset = queryset.annotate(
            shared_sectors=_count(
                sectors.filter(sector__slug__in=like.sector_slugs), "organisation_id"
            ),
            shared_technologies=_count(
                technologies.filter(tag__slug__in=like.technology_slugs), "content_object_id"
            ),
            all_sectors=_count(sectors, "organisation_id"),
            all_technologies=_count(technologies, "content_object_id"),
        )
        complementary = Case(
            When(shared_technologies__gt=0, then=F("all_sectors") - F("shared_sectors")),
            default=0,
        ) + Case(
            When(shared_sectors__gt=0, then=F("all_technologies") - F("shared_technologies")),
            default=0,
        )
        return queryset.annotate(
            like_score=ranking.SHARED_TECHNOLOGY * F("shared_technologies")
            + ranking.SHARED_SECTOR * F("shared_sectors")
            + Case(
                When(~Q(country=like.country), then=Value(ranking.OTHER_COUNTRY)),
                default=Value(0.0),
                output_field=FloatField(),
            )
            + ranking.COMPLEMENT * Least(complementary, Value(ranking.COMPLEMENTS_COUNTED))
        )

    @staticmethod
    def _facet_counts(facet, queryset) -> dict[str, int]:
        """Counts of ``queryset`` (other facets' filters applied) per value of ``facet``."""
        pks = queryset.values("pk")
        if facet == "country":
            rows = queryset.values_list("country").annotate(n=Count("*")).order_by()
        elif facet in _TAG_FACETS:
            tag_facet = _TAG_FACETS[facet]
            rows = (
                tag_facet.through.objects.filter(**{f"{tag_facet.owner}__in": pks})
                .values_list(tag_facet.value)
                .annotate(n=Count("*"))
                .order_by()
            )
        else:
            rows = (
                QualityLabel.objects.filter(organisation_id__in=pks, **current_label_filter())
                .values_list("level")
                .annotate(n=Count("organisation_id", distinct=True))
                .order_by()
            )
        return dict(rows)

    # --- autocomplete --------------------------------------------------------------

    def autocomplete(self, *, prefix: str, limit: int = 10) -> list[dict]:
        terms = words(prefix)
        if not terms:
            return []
        organisations = self._named_like(" ".join(terms))
        suggestions = [
            {"kind": "organisation", "value": name, "slug": slug}
            for name, slug in organisations.values_list("name", "slug")[:limit]
        ]
        return suggestions + technology_suggestions(prefix, limit=limit)

    def _named_like(self, phrase: str):
        """Published organisations whose name suits ``phrase`` (folded words), best first."""
        return (
            Organisation.objects.published()
            .filter(search_entry__name__contains=phrase)
            .order_by("name")
        )


class PostgresEngine(PortableDatabaseEngine):
    """Full-text search on PostgreSQL: the entries' weighted vectors, the lexicon's near
    spellings, one statement per search (``search.engines.database_pg``) and counts from
    the facet bitsets (``search.engines.facet_bitsets``)."""

    def _entry(self, data) -> OrganisationIndexEntry:
        entry = _entry_without_text(data)
        # The text lives only in the vector, computed as the row is written: a search reads
        # every matching row, and rows without three copies of the text (see bench/README.md)
        # written once (not inserted, then updated) fill half as many pages.
        entry.vector = _vector(entry.name, data.topics, data.body)
        return entry

    def _stored(self, pks) -> None:
        _learn_words(pks)

    def rebuild(self, *, progress: Callable[[int], Any] | None = None) -> int:
        """Rewrites every entry in one transaction, as the portable engine does, but streams
        the rows to PostgreSQL with COPY and lets it compute every vector in one statement:
        building a SQL expression per row cost more than the rest of the rebuild together
        (bench/README.md, search index rebuild)."""
        total = 0
        with transaction.atomic(), connection.cursor() as cursor:
            # A rebuild follows a bulk import, before autovacuum has counted the new rows:
            # with the old statistics PostgreSQL reads every batch's sectors and
            # technologies twice as slowly, and then plans searches on a stale picture.
            cursor.execute(
                "ANALYZE members_organisation, members_organisation_sectors, "
                "members_taggedorganisationtechnology, members_taggedorganisationvaluechain, "
                "members_qualitylabel"
            )
            cursor.execute(
                "CREATE TEMPORARY TABLE search_rebuild_staging ("
                "organisation_id bigint, name text, topics text, body text, "
                "completeness smallint, country varchar(2), label_rank smallint, "
                "label_rank_until date, sectors jsonb, technologies jsonb, labels jsonb"
                ") ON COMMIT DROP"
            )
            for batch in searchable_batches():
                with cursor.copy("COPY search_rebuild_staging FROM STDIN") as copy:
                    for data in batch:
                        copy.write_row(_staging_row(data))
                total += len(batch)
                if progress:
                    progress(len(batch))
            cursor.execute("DELETE FROM search_organisationindexentry")
            cursor.execute(
                "INSERT INTO search_organisationindexentry (organisation_id, name, topics, "
                "body, keywords, vector, completeness, country, label_rank, label_rank_until, "
                "sectors, technologies, labels, updated) "
                "SELECT organisation_id, name, '', '', '', "
                "setweight(to_tsvector(%s::regconfig, name), 'A') || "
                "setweight(to_tsvector(%s::regconfig, topics), 'B') || "
                "setweight(to_tsvector(%s::regconfig, body), 'C'), "
                "completeness, country, label_rank, label_rank_until, sectors, technologies, "
                "labels, now() FROM search_rebuild_staging",
                [TS_CONFIG, TS_CONFIG, TS_CONFIG],
            )
            _learn_words(None)
            # At once, not at commit: an outer transaction may rebuild again before then.
            cursor.execute("DROP TABLE search_rebuild_staging")
            cursor.execute("ANALYZE search_organisationindexentry, search_searchword")
        _forget_all_facets()
        # The facet bitsets are read here, once, not by the first search after the rebuild
        # (see bench/README.md for what that costs); the cache shares them.
        facet_bitsets.current(INDEX_GENERATION_KEY)
        return total

    def _matching(self, text: str):
        terms = words(text)
        if not terms:
            return super()._matching(text)
        # Built from \w+ words only, so the raw tsquery syntax cannot be broken by user
        # input; ":*" makes every word a prefix ("clust" finds "cluster"), and near
        # spellings from the lexicon are alternatives ("clustr" finds "cluster").
        parts = []
        for term in terms:
            part = SearchQuery(f"{term}:*", search_type="raw", config=TS_CONFIG)
            alternatives = near_spellings(term) if len(parts) < MAX_CORRECTED_WORDS else []
            if alternatives:
                part = part | SearchQuery(
                    " | ".join(alternatives), search_type="raw", config="simple"
                )
            parts.append(part)
        tsquery = reduce(operator.and_, parts)
        return (
            _published_entries()
            .filter(vector=tsquery)
            .annotate(rank=SearchRank(F("vector"), tsquery, weights=ranking.TS_RANK_WEIGHTS))
        )

    def _partner_search(self, *, text, filters, page, page_size, like) -> PartnerResults:
        return self._partner_search_postgres(
            text=text, filters=filters, page=page, page_size=page_size, like=like
        )

    def _partner_search_postgres(self, *, text, filters, page, page_size, like):
        """One statement for the matches and the page (``search.engines.database_pg``); the
        count and the facets from bitsets (``search.engines.facet_bitsets``)."""
        terms = words(text)
        selected = {facet: list(filters[facet]) for facet in FACETS if filters.get(facet)}
        bitsets = facet_bitsets.current(INDEX_GENERATION_KEY)
        among = None
        if like is not None and not terms:
            among = _like_candidates(bitsets, like, selected, wanted=page * page_size)
        answer = database_pg.search(
            terms=terms,
            alternatives={term: near_spellings(term) for term in terms[:MAX_CORRECTED_WORDS]},
            selected=selected,
            like=like,
            among=among,
            offset=(page - 1) * page_size,
            limit=page_size,
        )
        found = bitsets.everything & ~facet_bitsets.bits_of(answer.hidden)
        if answer.matching is not None:
            found &= facet_bitsets.bits_of(answer.matching)
        if like is not None:
            found &= bitsets.any_of("sector", like.sector_slugs) | bitsets.any_of(
                "technology", like.technology_slugs
            )
            found &= ~(1 << like.pk)
        # Facets are disjunctive: a facet is counted with the other facets' filters applied,
        # not its own, so that its other values stay selectable.
        passing = {facet: bitsets.any_of(facet, values) for facet, values in selected.items()}
        counts = {}
        for facet in FACETS:
            within = found
            for other, allowed in passing.items():
                if other != facet:
                    within &= allowed
            counts[facet] = bitsets.counts(facet, within)
        for allowed in passing.values():
            found &= allowed
        return PartnerResults(
            count=found.bit_count(),
            hits=answer.hits,
            facets=self._facets_from_counts(counts, selected),
        )

    def _named_like(self, phrase: str):
        return (
            Organisation.objects.published()
            .filter(
                Q(search_entry__name__istartswith=phrase)
                | Q(search_entry__name__icontains=f" {phrase}")
                | Q(search_entry__name__trigram_word_similar=phrase)
            )
            .annotate(similarity=TrigramWordSimilarity(Value(phrase), "search_entry__name"))
            .order_by("-similarity", "name")
        )


class DatabaseEngine:
    """The database engine that suits the default database: ``PostgresEngine`` on
    PostgreSQL, else ``PortableDatabaseEngine`` (settings name one of them by dotted path,
    ``SEARCH_DATABASE_ENGINE``; this name chooses at run time)."""

    def __new__(cls) -> PortableDatabaseEngine:
        if connection.vendor == "postgresql":
            return PostgresEngine()
        return PortableDatabaseEngine()


def technology_suggestions(prefix: str, *, limit: int) -> list[dict]:
    """Technologies of published organisations whose name or slug starts with ``prefix``
    (both engines read them here: the list is short and lives in the database). A
    technology only unpublished organisations have is not suggested: it would announce
    them, and lead to a partner search that finds nothing."""
    terms = words(prefix)
    if not terms:
        return []
    technologies = (
        Tag.objects.filter(
            Exists(
                TaggedOrganisationTechnology.objects.filter(
                    tag_id=OuterRef("pk"), content_object__is_published=True
                )
            )
        )
        .filter(Q(name__istartswith=prefix.strip()) | Q(slug__startswith="-".join(terms)))
        .order_by("name")
    )
    return [
        {"kind": "technology", "value": name, "slug": slug}
        for name, slug in technologies.values_list("name", "slug")[:limit]
    ]
