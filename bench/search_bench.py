"""Partner-search latency at scale with the database engine, measured in process.

    python -m bench.search_bench --organisations 100000 --runs 30

Generates the organisations (bench.datagen, idempotent), builds the search entries once,
then times each query shape: the engine's queries (hits, count and the four facets) plus
reading the page's organisations, i.e. everything a /api/search/partners/ request does
in the database. Prints p50/p95 per shape and writes bench/results/search.json. The goal
in issue 6 is p95 <= 50 ms at 100,000 organisations.
"""

import argparse
import json
import os
import statistics
import sys
import time


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--organisations", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args(argv)
    os.environ["DATABASE_URL"] = os.environ.get(
        "BENCH_DATABASE_URL", "postgres://root@127.0.0.1:5432/club_bench"
    )
    os.environ.pop("ELASTICSEARCH_URL", None)
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "club.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from bench.datagen import generate

    generate(args.organisations)
    from members.models import Organisation
    from search.engines.base import DATABASE_ENGINE, load_engine
    from search.indexing import organisation_data, searchable_organisations
    from search.models import OrganisationIndexEntry
    from search.results import organisation_results

    if OrganisationIndexEntry.objects.count() != Organisation.objects.published().count():
        call_command("search_index", "--rebuild")
    engine = load_engine(DATABASE_ENGINE)
    like = organisation_data(searchable_organisations().get(slug="bench-42"))
    shapes = {
        "everything, first page": {},
        "one word": {"text": "hydrogen"},
        "a typo": {"text": "hydrogne"},
        "a word's beginning": {"text": "photon"},
        "two words": {"text": "fuel cells"},
        "a rare name": {"text": "bench 4242"},
        "two countries and a sector": {"filters": {"country": ("DE", "FR"), "sector": ("energy",)}},
        "word and facets": {
            "text": "batteries",
            "filters": {"country": ("DE", "FR", "IT"), "label": ("gold", "silver")},
        },
        "gold label": {"filters": {"label": ("gold",)}},
        "partners like one": {"like": like},
        "page 200": {"page": 200},
    }
    figures = {}
    print(f"{Organisation.objects.count()} organisations, {args.runs} runs per shape")
    print(f"{'shape':32} {'hits':>7} {'p50 ms':>8} {'p95 ms':>8}")
    for name, shape in shapes.items():
        kwargs = {"text": "", "filters": {}, "page": 1, "page_size": 20, "like": None} | shape
        timings = []
        for run in range(args.runs + 2):
            started = time.perf_counter()
            found = engine.partner_search(**kwargs)
            organisation_results(found.hits, like=kwargs["like"])
            if run >= 2:  # two warm-up runs
                timings.append((time.perf_counter() - started) * 1000)
        timings.sort()
        p50 = statistics.median(timings)
        p95 = timings[max(0, round(0.95 * len(timings)) - 1)]
        figures[name] = {"count": found.count, "p50_ms": round(p50, 1), "p95_ms": round(p95, 1)}
        print(f"{name:32} {found.count:>7} {p50:>8.1f} {p95:>8.1f}")
    os.makedirs("bench/results", exist_ok=True)
    with open("bench/results/search.json", "w") as output:
        json.dump(figures, output, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
