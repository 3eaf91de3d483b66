"""The database engine's partner search on PostgreSQL: one statement per search.

The ORM version (``DatabaseEngine._partner_search_orm``, kept for SQLite) asks for the
count, the page and each facet's counts in queries of their own, so PostgreSQL matches the
text five times and joins the sector and technology tables for every facet: about a
second for a broad word at 100,000 organisations. Here the matching entries are read once
into a materialised CTE (``matched``) together with copies of their facet values (the
entry's ``sectors``, ``technologies`` and ``labels`` columns), and the total, the page and
every facet are counted from that CTE in the same statement.

Facets are disjunctive: a facet is counted with the other facets' filters applied, not
its own, so that its other values stay selectable. ``matched`` therefore holds the rows that
pass all but at most one filter, and each row carries one ``ok_<facet>`` flag per selected
facet. Without a text (or ``like``) the counts of a facet whose other facets have nothing
selected are those of every organisation: they come from a cache that any indexing change
empties, instead of counting 100,000 rows.
"""

from django.core.cache import cache
from django.db import connection

from search.engines.base import FACETS

TS_CONFIG = "english"

#: The condition on an entry ``e`` that selects a facet's values (a list parameter).
FACET_CONDITIONS = {
    "country": "e.country = ANY(%({param})s)",
    "sector": "e.sectors ?| %({param})s",
    "technology": "e.technologies ?| %({param})s",
    "label": "e.labels ?| %({param})s",
}
#: How a facet's values are read off a ``matched`` row.
FACET_VALUES = {
    "country": "country",
    "sector": "jsonb_array_elements_text(sectors)",
    "technology": "jsonb_array_elements_text(technologies)",
    "label": "jsonb_array_elements_text(labels)",
}


def tsquery_sql(terms: list[str], alternatives: dict[str, list[str]], params: dict) -> str:
    """The tsquery of ``terms`` (each a prefix, or one of its near spellings), AND-ed.

    Terms are \\w+ words and near spellings are lexicon words, so the raw tsquery syntax
    cannot be broken by user input; they travel as parameters all the same.
    """
    parts = []
    for i, term in enumerate(terms):
        params[f"term{i}"] = f"{term}:*"
        part = f"to_tsquery('{TS_CONFIG}', %(term{i})s)"
        if alternatives.get(term):
            params[f"near{i}"] = " | ".join(alternatives[term])
            part = f"({part} || to_tsquery('simple', %(near{i})s))"
        parts.append(part)
    return "(" + " && ".join(parts) + ")"


def _shared_count(column: str, values, params: dict) -> str:
    """How many of ``values`` the entry's ``column`` holds: one containment test per value
    (an organisation has a handful), cheaper than unnesting every matching row's array."""
    tests = []
    for value in values:
        name = f"{column}_{len(tests)}"
        params[name] = value
        tests.append(f"(e.{column} ? %({name})s)::int")
    return "(" + " + ".join(tests) + ")" if tests else "0"


def _all_of(flags: list[str]) -> str:
    return " AND ".join(flags) if flags else "TRUE"


def search(
    *,
    terms: list[str],
    alternatives: dict[str, list[str]],
    selected: dict[str, list[str]],
    like=None,
    offset: int,
    limit: int,
    facets_to_count: tuple[str, ...] = FACETS,
) -> tuple[int, list[tuple[int, float]], dict[str, dict[str, int]]]:
    """``(count, [(pk, score), ...] of the page, {facet: {value: count}})`` in one query.

    ``selected`` holds the chosen values per facet (facets with none are absent);
    ``facets_to_count`` the facets whose counts the caller does not have already.
    """
    params: dict = {"limit": limit, "offset": offset}
    columns = [
        "e.organisation_id AS pk",
        "e.country",
        "e.sectors",
        "e.technologies",
        "e.labels",
        "e.label_rank",
        "e.completeness",
        "e.name",
    ]
    # An entry of an organisation unpublished behind the signals' back (a queryset update)
    # must not count: an anti-join against the few unpublished ones, through their index,
    # costs far less than joining every match to the published ones.
    where = [
        "NOT EXISTS (SELECT 1 FROM members_organisation o"
        " WHERE o.id = e.organisation_id AND NOT o.is_published)"
    ]
    ordering = ["label_rank DESC", "completeness DESC", "name ASC", "pk ASC"]
    score = "0.0"

    if terms:
        tsquery = tsquery_sql(terms, alternatives, params)
        columns.append(f"ts_rank(e.vector, {tsquery}) AS rank")
        where.append(f"e.vector @@ {tsquery}")
        ordering.insert(0, "rank DESC")
        score = "rank"
    if like is not None:
        # Score: 3 per shared technology, 2 per shared sector, 1.5 for another country and
        # 0.5 per complementary item (up to 4), as in DatabaseEngine._like.
        params.update(
            like_pk=like.pk,
            like_country=like.country,
            like_sectors=list(like.sector_slugs),
            like_technologies=list(like.technology_slugs),
        )
        shared_sectors = _shared_count("sectors", like.sector_slugs, params)
        shared_technologies = _shared_count("technologies", like.technology_slugs, params)
        columns.append(
            f"(3.0 * {shared_technologies} + 2.0 * {shared_sectors}"
            " + CASE WHEN e.country <> %(like_country)s THEN 1.5 ELSE 0.0 END"
            " + 0.5 * LEAST("
            f"   CASE WHEN {shared_technologies} > 0"
            f"     THEN jsonb_array_length(e.sectors) - {shared_sectors} ELSE 0 END"
            f"   + CASE WHEN {shared_sectors} > 0"
            f"     THEN jsonb_array_length(e.technologies) - {shared_technologies} ELSE 0 END,"
            "   4)) AS like_score"
        )
        where.append("e.organisation_id <> %(like_pk)s")
        where.append("(e.sectors ?| %(like_sectors)s OR e.technologies ?| %(like_technologies)s)")
        ordering.insert(0, "like_score DESC")
        score = "like_score"

    conditions = {}
    for facet in FACETS:
        if selected.get(facet):
            params[f"selected_{facet}"] = list(selected[facet])
            conditions[facet] = FACET_CONDITIONS[facet].format(param=f"selected_{facet}")
            columns.append(f"{conditions[facet]} AS ok_{facet}")
    if len(conditions) >= 2:
        # Rows that pass every filter but at most one: all that any count needs.
        where.append(
            "("
            + " OR ".join(
                "(" + _all_of([c for f, c in conditions.items() if f != skipped]) + ")"
                for skipped in conditions
            )
            + ")"
        )
    elif conditions and not terms and like is None:
        # One filter and no text: the filtered facet's own counts come from the cache.
        where.append(next(iter(conditions.values())))

    def passing(*, skip: str | None = None) -> str:
        return _all_of([f"ok_{facet}" for facet in conditions if facet != skip])

    # The SQL text is put together from this module's constants and facet names only; every
    # value from a request travels as a parameter.
    order_by = ", ".join(ordering)
    selects = [
        f"(SELECT count(*) FROM matched WHERE {passing()}) AS total",  # noqa: S608
        f"(SELECT coalesce(json_agg(json_build_array(pk, {score}) ORDER BY {order_by}),"  # noqa: S608
        f" '[]'::json) FROM (SELECT * FROM matched WHERE {passing()}"
        f" ORDER BY {order_by} LIMIT %(limit)s OFFSET %(offset)s) page) AS hits",
    ]
    for facet in facets_to_count:
        selects.append(
            f"(SELECT coalesce(json_object_agg(value, n), '{{}}'::json) FROM"  # noqa: S608
            f" (SELECT value, count(*) AS n FROM (SELECT {FACET_VALUES[facet]} AS value"
            f" FROM matched WHERE {passing(skip=facet)}) listed GROUP BY value) counted)"
            f" AS {facet}_counts"
        )
    sql = (
        "WITH matched AS MATERIALIZED ("  # noqa: S608
        f"SELECT {', '.join(columns)} FROM search_organisationindexentry e"
        f" WHERE {' AND '.join(where)}"
        f") SELECT {', '.join(selects)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        total, hits, *counts = cursor.fetchone()
    return (
        total,
        [(pk, float(value or 0)) for pk, value in hits],
        dict(zip(facets_to_count, counts, strict=True)),
    )


def all_counts(*, cache_key: str) -> dict:
    """``{"count": n, "facets": {facet: {value: count}}}`` over every searchable organisation,
    kept under ``cache_key`` (the caller's key names the index's generation)."""
    stored = cache.get(cache_key)
    if stored is None:
        total, _hits, counts = search(terms=[], alternatives={}, selected={}, offset=0, limit=0)
        stored = {"count": total, "facets": counts}
        cache.set(cache_key, stored, 3600)
    return stored
