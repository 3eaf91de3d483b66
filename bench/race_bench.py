"""Registration race: 500 members register at once for an event with 100 seats.

    python -m bench.race_bench [--members 500] [--seats 100]

Every member has an API token; all POST /api/events/<id>/registration/ at the same moment,
each on its own connection, from an asyncio client in this process, to the HTTP serving of
the README (gunicorn, 2 sync workers). A fresh event each run. Reports completed
registrations per second and p50/p95 latency beside the one-query ceiling of the same
processes, and the outcome in the database: confirmed must be exactly the number of seats,
the rest waitlisted.
"""

import argparse
import asyncio
import json
import sys
import time
from datetime import timedelta

from bench.common import (
    gunicorn,
    http_request,
    prepared_env,
    print_table,
    raise_file_limit,
    setup_django,
    summary_ms,
    write_results,
    wrk,
)

PORT = 8121


def prepare(members: int, seats: int) -> tuple[int, list[str]]:
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone
    from rest_framework.authtoken.models import Token
    from wagtail.models import Site

    from events.models import EventIndexPage, EventPage

    User = get_user_model()
    names = [f"bench-racer-{n}" for n in range(members)]
    existing = set(User.objects.filter(username__in=names).values_list("username", flat=True))
    with transaction.atomic():
        for name in names:
            if name not in existing:
                User.objects.create_user(username=name, email=f"{name}@example.org")
    users = User.objects.filter(username__in=names)
    tokens = {token.user_id: token.key for token in Token.objects.filter(user__in=users)}
    Token.objects.bulk_create(
        [Token(user=user, key=Token.generate_key()) for user in users if user.pk not in tokens]
    )
    keys = list(Token.objects.filter(user__in=users).values_list("key", flat=True))
    index = EventIndexPage.objects.first()
    if index is None:
        home = Site.objects.get(is_default_site=True).root_page
        index = home.add_child(instance=EventIndexPage(title="Events", slug="events"))
    stamp = int(time.time())
    start = timezone.now() + timedelta(days=30)
    event = index.add_child(
        instance=EventPage(
            title=f"Race for seats {stamp}",
            slug=f"race-for-seats-{stamp}",
            start=start,
            end=start + timedelta(hours=8),
            timezone="Europe/Brussels",
            capacity=seats,
        )
    )
    event.save_revision().publish()
    return event.pk, keys


async def register_all(event_id: int, keys: list[str]) -> tuple[list[float], dict, float]:
    gate = asyncio.Event()

    async def one(key: str):
        await gate.wait()
        started = time.monotonic()
        status, body = await http_request(
            PORT,
            "POST",
            f"/api/events/{event_id}/registration/",
            headers={"Authorization": f"Token {key}", "Content-Type": "application/json"},
            body=b"{}",
        )
        elapsed = (time.monotonic() - started) * 1000
        try:
            outcome = json.loads(body).get("status", str(status))
        except ValueError:
            outcome = str(status)
        return elapsed, status, outcome

    tasks = [asyncio.create_task(one(key)) for key in keys]
    await asyncio.sleep(0.2)
    started = time.monotonic()
    gate.set()
    results = await asyncio.gather(*tasks, return_exceptions=True)
    wall = time.monotonic() - started
    latencies, outcomes = [], {}
    for result in results:
        if isinstance(result, BaseException):
            outcomes[type(result).__name__] = outcomes.get(type(result).__name__, 0) + 1
            continue
        elapsed, status, outcome = result
        if status in (200, 201):
            latencies.append(elapsed)
        outcomes[f"{status} {outcome}"] = outcomes.get(f"{status} {outcome}", 0) + 1
    return latencies, outcomes, wall


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=500)
    parser.add_argument("--seats", type=int, default=100)
    args = parser.parse_args(argv)
    raise_file_limit()
    env = prepared_env(seed=True)
    setup_django(env)
    event_id, keys = prepare(args.members, args.seats)
    with gunicorn(PORT, env) as server:
        wrk(f"{server.base_url}/bench/ceiling/query", seconds=1)
        ceiling = wrk(f"{server.base_url}/bench/ceiling/query", seconds=3)
        latencies, outcomes, wall = asyncio.run(register_all(event_id, keys))
    from events.models import Registration

    stored = Registration.objects.filter(event_id=event_id)
    confirmed = stored.filter(status=Registration.Status.CONFIRMED).count()
    waitlisted = stored.filter(status=Registration.Status.WAITLISTED).count()
    completed_per_s = len(latencies) / wall
    figures = {
        "members": args.members,
        "seats": args.seats,
        "serving": server.name,
        "completed": len(latencies),
        "completed_per_s": completed_per_s,
        **summary_ms(latencies),
        "answers": outcomes,
        "confirmed": confirmed,
        "waitlisted": waitlisted,
        "exactly_the_seats_confirmed": confirmed == args.seats,
        "one_query_ceiling_rps": ceiling["rps"],
        "of_one_query_ceiling": completed_per_s / ceiling["rps"],
    }
    print_table(
        f"Registration race: {args.members} members at once for {args.seats} seats, {server.name}",
        [
            "completed",
            "completed/s",
            "of one-query ceiling",
            "p50 ms",
            "p95 ms",
            "confirmed",
            "waitlisted",
            "answers",
        ],
        [
            [
                len(latencies),
                completed_per_s,
                f"{figures['of_one_query_ceiling']:.1%}",
                figures["p50_ms"],
                figures["p95_ms"],
                f"{confirmed} ({'exact' if confirmed == args.seats else 'WRONG'})",
                waitlisted,
                ", ".join(f"{k}: {v}" for k, v in sorted(outcomes.items())),
            ]
        ],
    )
    write_results("race", figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
