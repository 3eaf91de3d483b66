"""Where a page's time goes: each page type asked in one process (Django's test client).

    python -m bench.profile_pages [--repeat 20] [--profile /partners/] [--top 30]

On the benchmark database with the production settings (bench.common.bench_env), each
page as a signed-in member (a session: no page cache) and anonymously: milliseconds per
request, queries, and the time spent in them, beside the one-query ceiling view. With
``--profile PATH``, a cProfile summary of that page as a signed-in member.
"""

import argparse
import cProfile
import io
import pstats
import sys
import time

from bench.common import prepared_env, print_table, setup_django


def page_paths() -> dict[str, str]:
    from bench.site_pages import site_page_paths

    return {"one-query ceiling": "/bench/ceiling/query", **site_page_paths()}


def measure(client, path: str, repeat: int) -> tuple[float, int, float]:
    from django.db import connection, reset_queries

    client.get(path)
    connection.force_debug_cursor = True
    reset_queries()
    client.get(path)
    queries = list(connection.queries)
    connection.force_debug_cursor = False
    started = time.perf_counter()
    for _ in range(repeat):
        client.get(path)
    per_request = (time.perf_counter() - started) / repeat * 1000
    return per_request, len(queries), sum(float(query["time"]) for query in queries) * 1000


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--profile", default="")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--only", default="", help="comma-separated page labels")
    parser.add_argument("--no-seed", action="store_true", help="the database as it is")
    args = parser.parse_args(argv)
    env = prepared_env(seed=not args.no_seed, static=not args.no_seed)
    setup_django(env)

    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections
    from django.test import Client

    from bench.site_pages import benchmark_member

    # One connection for the whole run, as Django's own tests keep it: the queries of each
    # page stay countable (the servers' reconnection per request is in the ceiling too).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)

    member = benchmark_member()
    signed_in = Client(HTTP_HOST="127.0.0.1")
    signed_in.force_login(member)
    anonymous = Client(HTTP_HOST="127.0.0.1")
    rows = []
    wanted = {label.strip() for label in args.only.split(",") if label.strip()}
    for name, path in page_paths().items():
        if wanted and name not in wanted:
            continue
        member_ms, member_queries, member_query_ms = measure(signed_in, path, args.repeat)
        anonymous_ms, _, _ = measure(anonymous, path, args.repeat)
        rows.append([name, path, member_ms, member_queries, member_query_ms, anonymous_ms])
    print_table(
        "Pages in one process (ms per request)",
        ["page", "path", "member ms", "queries", "in queries ms", "anonymous ms"],
        rows,
    )
    if args.profile:
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(args.repeat):
            signed_in.get(args.profile)
        profile.disable()
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(args.top)
        print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
