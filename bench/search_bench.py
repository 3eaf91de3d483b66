"""Partner search on PostgreSQL at scale: the engine in process and the API over HTTP.

    python -m bench.search_bench [--sizes 10000,100000] [--runs 30]

For each size, generates the organisations (bench.datagen, idempotent; sizes grow one
database), rebuilds the search entries when they are behind, then times a mix of query
shapes (text only, filters only, text + 3 facets, ``like``, and a few more):

- **in process**: ``engine.partner_search`` plus reading the page's organisations, i.e.
  everything a /api/search/partners/ request does in the database, beside a one-query
  ceiling (``SELECT 1``) and a raw PostgreSQL full-text query (no facets) timed the same way;
  once computing every answer (SEARCH_RESULTS_CACHE_SECONDS=0) and once with the engine's
  stored answers (the default), where repeated searches come from the cache;
- **over HTTP**: GET /api/search/partners/?... on gunicorn (2 sync workers, the README's
  HTTP serving) computing every answer, one request at a time on a kept-alive connection,
  beside the one-query ceiling view of the same processes.

p50/p95 per shape. The target (issue 6/7): p95 <= 50 ms at 100,000 organisations.
"""

import argparse
import http.client
import statistics
import sys
import time
from urllib.parse import urlencode

from bench.common import (
    generate_organisations,
    gunicorn,
    manage,
    percentile,
    prepared_env,
    print_table,
    setup_django,
    write_results,
)

PORT = 8141
# name: (mix, engine keyword arguments, API query parameters)
SHAPES = {
    "one word": ("text only", {"text": "hydrogen"}, {"q": "hydrogen"}),
    "two words": ("text only", {"text": "fuel cells"}, {"q": "fuel cells"}),
    "a typo": ("text only", {"text": "hydrogne"}, {"q": "hydrogne"}),
    "a word's beginning": ("text only", {"text": "photon"}, {"q": "photon"}),
    "two countries and a sector": (
        "filters only",
        {"filters": {"country": ("DE", "FR"), "sector": ("energy",)}},
        {"country": ["DE", "FR"], "sector": "energy"},
    ),
    "gold label": ("filters only", {"filters": {"label": ("gold",)}}, {"label": "gold"}),
    "word and 3 facets": (
        "text + 3 facets",
        {
            "text": "batteries",
            "filters": {
                "country": ("DE", "FR", "IT"),
                "label": ("gold", "silver"),
                "sector": ("energy", "automotive"),
            },
        },
        {
            "q": "batteries",
            "country": ["DE", "FR", "IT"],
            "label": ["gold", "silver"],
            "sector": ["energy", "automotive"],
        },
    ),
    "partners like one": ("like", {"like": "bench-42"}, {"like": "bench-42"}),
    "everything, first page": ("browse", {}, {}),
    "page 200": ("browse", {"page": 200}, {"page": 200}),
}


def timed(run, runs: int) -> list[float]:
    for _ in range(2):  # warm-up
        run()
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def figures(timings: list[float]) -> dict:
    return {"p50_ms": statistics.median(timings), "p95_ms": percentile(timings, 95)}


def in_process(runs: int, *, stored_answers: bool) -> dict:
    """Every shape timed in this process; ``stored_answers`` turns the engine's answer
    cache (SEARCH_RESULTS_CACHE_SECONDS) on, otherwise every run computes its answer."""
    from django.conf import settings
    from django.db import connection

    from search.engines.base import database_engine
    from search.indexing import organisation_data, searchable_organisations
    from search.results import organisation_results

    settings.SEARCH_RESULTS_CACHE_SECONDS = 300 if stored_answers else 0
    engine = database_engine()
    liked = organisation_data(searchable_organisations().get(slug="bench-42"))
    measured = {}

    def select_one():
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()

    def raw_fts():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id FROM members_organisation WHERE to_tsvector('simple', name || ' ' "
                "|| description) @@ plainto_tsquery('simple', %s) LIMIT 20",
                ["hydrogen"],
            )
            cursor.fetchall()

    measured["ceiling: SELECT 1"] = figures(timed(select_one, runs))
    measured["ceiling: raw full-text query, no facets"] = figures(timed(raw_fts, runs))
    if not stored_answers:
        # Upkeep of the facet bitsets: read in full after a rebuild, patched after a save.
        from search.engines.facet_bitsets import FacetBitsets

        built = FacetBitsets.build()
        measured["upkeep: facet bitsets read in full"] = figures(
            timed(FacetBitsets.build, max(3, runs // 5))
        )
        measured["upkeep: facet bitsets patched for one save"] = figures(
            timed(lambda: built.patched([liked.pk]), runs)
        )
    for name, (mix, shape, _params) in SHAPES.items():
        kwargs = {"text": "", "filters": {}, "page": 1, "page_size": 20, "like": None} | shape
        if kwargs["like"]:
            kwargs["like"] = liked

        def run(kwargs=kwargs):
            found = engine.partner_search(**kwargs)
            organisation_results(found.hits, like=kwargs["like"])
            return found

        measured[name] = {"mix": mix, "count": run().count, **figures(timed(run, runs))}
    return measured


def over_http(env: dict, runs: int) -> dict:
    """Over HTTP with the answer cache off: what a search nobody asked before costs."""
    measured = {}
    with gunicorn(PORT, {**env, "SEARCH_RESULTS_CACHE_SECONDS": "0"}):
        connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)

        def getter(path):
            def run():
                connection.request("GET", path, headers={"Host": "127.0.0.1"})
                response = connection.getresponse()
                body = response.read()
                if response.status != 200:
                    raise RuntimeError(f"{path}: {response.status} {body[:300]!r}")

            return run

        measured["ceiling: one-query view"] = figures(timed(getter("/bench/ceiling/query"), runs))
        for name, (mix, _shape, params) in SHAPES.items():
            path = "/api/search/partners/?" + urlencode(params, doseq=True)
            measured[name] = {"mix": mix, "path": path, **figures(timed(getter(path), runs))}
        connection.close()
    return measured


def prepare(size: int, env: dict) -> None:
    generate_organisations(size, env)
    from members.models import Organisation
    from search.models import OrganisationIndexEntry

    if OrganisationIndexEntry.objects.count() != Organisation.objects.published().count():
        manage("search_index", "--rebuild", env=env, quiet=False)
    # A bulk load leaves dead rows and stale statistics that autovacuum would clear on a
    # running site within minutes: measure that steady state, not the moment after a load.
    from django.db import connection

    with connection.cursor() as cursor:
        for table in (
            "search_organisationindexentry",
            "members_organisation",
            "members_organisation_sectors",
            "members_taggedorganisationtechnology",
        ):
            cursor.execute(f"VACUUM ANALYZE {table}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args(argv)
    env = prepared_env()
    setup_django(env)
    from members.models import Organisation

    results, rows = {}, []
    for size in (int(n) for n in args.sizes.split(",")):
        prepare(size, env)
        total = Organisation.objects.count()
        if total > size * 1.1:
            # Sizes only grow a database: a smaller size after a larger one is not measured.
            print(
                f"asked for {size:,} organisations, the database holds {total:,}: the rows"
                " below are for the database's size (BENCH_DATABASE_URL=another database"
                " measures the smaller one)",
                flush=True,
            )
        engine = in_process(args.runs, stored_answers=False)
        stored = in_process(args.runs, stored_answers=True)
        http = over_http(env, args.runs)
        results[str(size)] = {
            "organisations": total,
            "in_process": engine,
            "in_process_stored_answers": stored,
            "http": http,
        }
        ceiling = http["ceiling: one-query view"]["p50_ms"]
        for name, measured in engine.items():
            over = http.get(name, {})
            rows.append(
                [
                    f"{total:,}",
                    measured.get("mix", "—"),
                    name,
                    measured.get("count", "—"),
                    measured["p50_ms"],
                    measured["p95_ms"],
                    stored.get(name, {}).get("p95_ms", "—"),
                    over.get("p50_ms", "—"),
                    over.get("p95_ms", "—"),
                    f"{over['p50_ms'] / ceiling:.1f}x" if over else "—",
                ]
            )
        over = http["ceiling: one-query view"]
        rows.append(
            [
                f"{total:,}",
                "ceiling",
                "one-query view (HTTP)",
                "—",
                "—",
                "—",
                "—",
                over["p50_ms"],
                over["p95_ms"],
                "1.0x",
            ]
        )
    print_table(
        f"Partner search, database engine on PostgreSQL, {args.runs} runs per shape "
        "(in process: engine + reading the page, computed every time and with stored "
        "answers; HTTP: gunicorn, one request at a time, computed every time)",
        [
            "organisations",
            "mix",
            "shape",
            "hits",
            "in-process p50",
            "in-process p95",
            "stored answers p95",
            "HTTP p50",
            "HTTP p95",
            "HTTP p50 / one-query view",
        ],
        rows,
    )
    write_results("search", results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
