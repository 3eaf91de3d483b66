"""Where a booking's time goes: one process, Django's test client, no network.

    python -m bench.profile_matchmaking [--participants 300] [--slots 40] [--tables 30]
                                        [--top 25]

The production settings of the benchmarks (PostgreSQL, Redis, DEBUG off) and a fresh event
with matchmaking, as in bench.matchmaking_bench. Every participant asks their neighbour
for a meeting (through the service, not measured); then the accepts are PATCHed one after
another (``/api/matchmaking/meetings/<id>/``), each in a slot where both sides and a table
are free, so that every one books. Prints the queries of the first accept with the time
each took, then, over all the accepts: queries per accept, milliseconds per accept, and
how long the participants' row locks were held (from the first ``SELECT ... FOR UPDATE``
to the commit), which is what racing accepts wait for; then a cProfile summary.
"""

import argparse
import cProfile
import io
import pstats
import statistics
import sys
import time

from bench.common import prepared_env, setup_django
from bench.matchmaking_bench import prepare


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=300)
    parser.add_argument("--slots", type=int, default=40)
    parser.add_argument("--tables", type=int, default=30)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--sort", default="cumulative", help="a pstats key: cumulative, tottime")
    args = parser.parse_args(argv)
    env = prepared_env(seed=True)
    setup_django(env)

    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from events.models import EventPage
    from matchmaking import services
    from matchmaking.models import Matchmaking
    from members.models import MemberProfile

    event_id, people = prepare(args.participants, args.slots, args.tables)
    event = EventPage.objects.get(pk=event_id)
    slot_ids = list(
        Matchmaking.objects.get(event_id=event_id)
        .slots.order_by("start")
        .values_list("pk", flat=True)
    )
    members = {m.pk: m for m in MemberProfile.objects.filter(pk__in=[pk for pk, _ in people])}
    token_of = dict(people)
    # Two rounds of disjoint pairs (0-1, 2-3, ..., then 1-2, 3-4, ...): the k-th pair of a
    # round books slot k (mod slots), the second round half the slots further on, so that
    # nobody is in two meetings of one slot and a table is always free.
    bookings = []
    for offset, shift in ((0, 0), (1, len(slot_ids) // 2)):
        for k, i in enumerate(range(offset, len(people) - 1, 2)):
            requester, recipient = people[i][0], people[i + 1][0]
            meeting = services.request_meeting(
                event=event, requester=members[requester], recipient_id=recipient
            )
            slot = slot_ids[(k + shift) % len(slot_ids)]
            bookings.append((meeting.pk, token_of[recipient], slot))
    client = Client(HTTP_HOST="127.0.0.1")

    def accept(meeting_id, token, slot):
        return client.patch(
            f"/api/matchmaking/meetings/{meeting_id}/",
            {"status": "accepted", "slot": slot},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Token {token}",
        )

    held = []

    def lock_timer(execute, sql, params, many, context):
        # The first row lock of a transaction starts the clock; the commit stops it.
        if "FOR UPDATE" in sql and not getattr(connection, "_profile_lock_started", None):
            started = time.perf_counter()
            connection._profile_lock_started = started

            def stop():
                held.append((time.perf_counter() - started) * 1000)
                connection._profile_lock_started = None

            transaction.on_commit(stop)
        return execute(sql, params, many, context)

    first, rest = bookings[0], bookings[1:]
    with CaptureQueriesContext(connection) as queries:
        response = accept(*first)
    print(
        f"\n{response.status_code} {response.json().get('status')}: "
        f"{len(queries.captured_queries)} queries"
    )
    for query in queries.captured_queries:
        print(f"  {float(query['time']) * 1000:6.2f} ms  {query['sql'][:110]}")

    # The first half timed as it runs, the second under cProfile (which slows it down).
    middle = len(rest) // 2
    timed, profiled = rest[:middle], rest[middle:]
    statuses = {}
    with CaptureQueriesContext(connection) as queries, connection.execute_wrapper(lock_timer):
        started = time.perf_counter()
        for booking in timed:
            code = accept(*booking).status_code
            statuses[code] = statuses.get(code, 0) + 1
        elapsed = time.perf_counter() - started
    count = len(timed)
    print(
        f"\n{count} accepts in a row ({statuses}): {elapsed / count * 1000:.1f} ms each, "
        f"{len(queries.captured_queries) / count:.1f} queries each; row locks held "
        f"p50 {statistics.median(held):.2f} ms, mean {statistics.fmean(held):.2f} ms"
    )
    profile = cProfile.Profile()
    profile.enable()
    for booking in profiled:
        accept(*booking)
    profile.disable()
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats(args.sort).print_stats(args.top)
    print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
