"""Where a registration's time goes: one process, Django's test client, no network.

    python -m bench.profile_registration [--members 200] [--seats 50] [--top 25]

The production settings of the benchmarks (PostgreSQL, Redis, DEBUG off) and a fresh event,
as in bench.race_bench. Prints the queries of one confirmed and one waitlisted registration
with the time each took, then a cProfile summary of ``--members`` registrations in a row:
what the request costs beside the event's lock, which the race serialises.
"""

import argparse
import cProfile
import io
import pstats
import sys
import time

from bench.common import prepared_env, setup_django
from bench.race_bench import prepare


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=200)
    parser.add_argument("--seats", type=int, default=50)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--sort", default="cumulative", help="a pstats key: cumulative, tottime")
    args = parser.parse_args(argv)
    env = prepared_env(seed=True)
    setup_django(env)

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    event_id, keys = prepare(args.members + 2, args.seats)
    client = Client(HTTP_HOST="127.0.0.1")
    path = f"/api/events/{event_id}/registration/"

    def register(key):
        return client.post(
            path, b"{}", content_type="application/json", HTTP_AUTHORIZATION=f"Token {key}"
        )

    for key in keys[:2]:
        with CaptureQueriesContext(connection) as queries:
            response = register(key)
        print(
            f"\n{response.status_code} {response.json().get('status')}: "
            f"{len(queries.captured_queries)} queries"
        )
        for query in queries.captured_queries:
            print(f"  {float(query['time']) * 1000:6.2f} ms  {query['sql'][:110]}")

    profile = cProfile.Profile()
    started = time.perf_counter()
    profile.enable()
    for key in keys[2:]:
        register(key)
    profile.disable()
    elapsed = time.perf_counter() - started
    print(f"\n{args.members} registrations in a row: {elapsed / args.members * 1000:.1f} ms each")
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats(args.sort).print_stats(args.top)
    print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
