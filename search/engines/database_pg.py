"""The database engine's partner search on PostgreSQL: one statement per search.

The ORM version (``PortableDatabaseEngine._partner_search_orm``, the search on SQLite)
asks for the count, the page and each facet's counts in queries of their own, so
PostgreSQL would match the text five times and join the sector and technology tables for
every facet (bench/README.md has the figures). Here one statement reads the text's
matches once (a materialised CTE) and returns their keys and the page of results; the
count and the facets are counted by the caller from bitsets of the facet values
(``search.engines.facet_bitsets``), since counting them in SQL means unnesting the values of
every match. Filters and the page read the entry's copies
of the facet values (its ``sectors``, ``technologies`` and ``labels`` columns, GIN-indexed).
"""

from typing import NamedTuple

from django.db import connection

from search import ranking
from search.engines.base import FACETS, PartnerHit
from search.engines.facet_bitsets import sql_array

TS_CONFIG = "english"

#: The condition on an entry ``e`` that selects a facet's values (a list parameter).
FACET_CONDITIONS = {
    "country": "e.country = ANY(%({param})s)",
    "sector": "e.sectors ?| %({param})s",
    "technology": "e.technologies ?| %({param})s",
    "label": "e.labels ?| %({param})s",
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


#: ``ts_rank``'s weights (``search.ranking``), as an SQL literal.
TS_RANK_WEIGHTS = "'{" + ",".join(map(str, ranking.TS_RANK_WEIGHTS)) + "}'::float4[]"


def like_score_sql(like, params: dict) -> str:
    """The like score (``search.ranking``) of an entry ``e``, built from the rule's
    constants; ``like``'s values travel as parameters."""
    params["like_country"] = like.country
    shared_sectors = _shared_count("sectors", like.sector_slugs, params)
    shared_technologies = _shared_count("technologies", like.technology_slugs, params)
    return (
        f"({ranking.SHARED_TECHNOLOGY!r} * {shared_technologies}"
        f" + {ranking.SHARED_SECTOR!r} * {shared_sectors}"
        f" + CASE WHEN e.country <> %(like_country)s THEN {ranking.OTHER_COUNTRY!r} ELSE 0.0 END"
        f" + {ranking.COMPLEMENT!r} * LEAST("
        f"   CASE WHEN {shared_technologies} > 0"
        f"     THEN jsonb_array_length(e.sectors) - {shared_sectors} ELSE 0 END"
        f"   + CASE WHEN {shared_sectors} > 0"
        f"     THEN jsonb_array_length(e.technologies) - {shared_technologies} ELSE 0 END,"
        f"   {ranking.COMPLEMENTS_COUNTED:d}))"
    )


class StatementAnswer(NamedTuple):
    """What the one statement of a search answers."""

    #: Organisations that are unpublished but still have an entry (unpublished by a
    #: queryset update, behind the signals' back; usually none): nothing may count or
    #: list them.
    hidden: list[int]
    #: When there are terms: the organisations that match them and ``like`` and all the
    #: facet filters but at most one, over which the caller counts the facets; else None.
    matching: list[int] | None
    #: The page of the search with every filter, in the order of the results.
    hits: list[PartnerHit]


def search(
    *,
    terms: list[str],
    alternatives: dict[str, list[str]],
    selected: dict[str, list[str]],
    like=None,
    among: list[int] | None = None,
    offset: int,
    limit: int,
) -> StatementAnswer:
    """The hidden and matching organisations and the page, in one statement.

    ``selected`` holds the chosen values per facet (facets with none are
    absent); ``among``, when given, the only organisations that can be on the page.
    """
    params: dict = {"limit": limit, "offset": offset}
    columns = [
        "e.organisation_id AS pk",
        "e.label_rank",
        "e.completeness",
        "e.name",
    ]
    where = ["e.organisation_id <> ALL((SELECT pks FROM hidden)::bigint[])"]
    filters = []
    ordering = ["label_rank DESC", "completeness DESC", "name ASC", "pk ASC"]
    score = "0.0"

    if terms:
        tsquery = tsquery_sql(terms, alternatives, params)
        columns.append(f"ts_rank({TS_RANK_WEIGHTS}, e.vector, {tsquery}) AS rank")
        where.append(f"e.vector @@ {tsquery}")
        ordering.insert(0, "rank DESC")
        score = "rank"
    if like is not None:
        params.update(
            like_pk=like.pk,
            like_sectors=list(like.sector_slugs),
            like_technologies=list(like.technology_slugs),
        )
        columns.append(f"{like_score_sql(like, params)} AS like_score")
        where.append("e.organisation_id <> %(like_pk)s")
        where.append("(e.sectors ?| %(like_sectors)s OR e.technologies ?| %(like_technologies)s)")
        ordering.insert(0, "like_score DESC")
        score = "like_score"
    if among is not None:
        params["among"] = sql_array(among)
        where.append("e.organisation_id = ANY(%(among)s::bigint[])")
    for facet in FACETS:
        if selected.get(facet):
            params[f"selected_{facet}"] = list(selected[facet])
            filters.append(FACET_CONDITIONS[facet].format(param=f"selected_{facet}"))
    if terms and len(filters) >= 2:
        # Rows that fail two filters count in no facet: the caller needs the others only.
        where.append(
            "("
            + " OR ".join(
                "(" + _all_of([c for c in filters if c is not skipped]) + ")" for skipped in filters
            )
            + ")"
        )

    # The SQL text is put together from constants and facet names only; every
    # value from a request travels as a parameter.
    order_by = ", ".join(ordering)
    hidden = (
        "hidden AS (SELECT coalesce(array_agg(e.organisation_id), '{}') AS pks"
        " FROM search_organisationindexentry e"
        " JOIN members_organisation o ON o.id = e.organisation_id WHERE NOT o.is_published)"
    )
    page = (
        f"(SELECT coalesce(json_agg(json_build_array(pk, {score}) ORDER BY {order_by}),"  # noqa: S608
        " '[]'::json) FROM (SELECT * FROM {rows}"
        f" ORDER BY {order_by} LIMIT %(limit)s OFFSET %(offset)s) page)"
    )
    if terms:
        # The text's matches are read once: the caller counts over them, the page is the
        # best of those that pass every filter.
        columns.append(f"{_all_of(filters)} AS passing")
        sql = (
            f"WITH {hidden}, matched AS MATERIALIZED ("  # noqa: S608
            f"SELECT {', '.join(columns)} FROM search_organisationindexentry e"
            f" WHERE {' AND '.join(where)})"
            " SELECT (SELECT pks FROM hidden),"
            " (SELECT coalesce(array_agg(pk), '{}') FROM matched), "
            + page.format(rows="matched WHERE passing")
        )
    else:
        rows = (
            f"(SELECT {', '.join(columns)} FROM search_organisationindexentry e"  # noqa: S608
            f" WHERE {' AND '.join(where + filters)}) candidates"
        )
        sql = f"WITH {hidden} SELECT (SELECT pks FROM hidden), NULL, " + page.format(  # noqa: S608
            rows=rows
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        hidden_pks, matching, hits = cursor.fetchone()
    return StatementAnswer(
        hidden=hidden_pks,
        matching=matching if terms else None,
        hits=[PartnerHit(pk=pk, score=round(float(value or 0), 4)) for pk, value in hits],
    )
