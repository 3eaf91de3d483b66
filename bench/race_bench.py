"""Registration race: 500 members register at once for an event with 100 seats.

    python -m bench.race_bench [--members 500] [--seats 100]

Every member has an API token; all POST /api/events/<id>/registration/ at the same moment,
each on its own connection, from an asyncio client in this process, to the HTTP serving of
the README (gunicorn, 2 sync workers). A fresh event each run. Reports completed
registrations per second and p50/p95 latency beside the one-query ceiling of the same
processes, and the outcome in the database: confirmed must be exactly the number of seats,
the rest waitlisted.

The same burst runs first against the registration floor (``/bench/floor/registration/``,
bench/views.py): the least work any registration must do, in raw SQL. Its share of the
ceiling is what no registration path could exceed on the machine; the distance from it to
the site's row is what the site's own code costs.
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


def prepare(members: int, seats: int, suffix: str = "") -> tuple[int, list[str]]:
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
    stamp = f"{int(time.time())}{suffix}"
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


REAL_PATH = "/api/events/{event_id}/registration/"
FLOOR_PATH = "/bench/floor/registration/{event_id}/"


async def register_all(
    event_id: int, keys: list[str], path: str = REAL_PATH
) -> tuple[list[float], dict, float]:
    gate = asyncio.Event()

    async def one(key: str):
        await gate.wait()
        started = time.monotonic()
        status, body = await http_request(
            PORT,
            "POST",
            path.format(event_id=event_id),
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


def outcome_of(event_id: int, seats: int, latencies, outcomes, wall, ceiling_rps) -> dict:
    from events.models import Registration

    stored = Registration.objects.filter(event_id=event_id)
    confirmed = stored.filter(status=Registration.Status.CONFIRMED).count()
    waitlisted = stored.filter(status=Registration.Status.WAITLISTED).count()
    completed_per_s = len(latencies) / wall
    return {
        "completed": len(latencies),
        "completed_per_s": completed_per_s,
        **summary_ms(latencies),
        "answers": outcomes,
        "confirmed": confirmed,
        "waitlisted": waitlisted,
        "exactly_the_seats_confirmed": confirmed == seats,
        "of_one_query_ceiling": completed_per_s / ceiling_rps,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=500)
    parser.add_argument("--seats", type=int, default=100)
    parser.add_argument(
        "--no-floor", action="store_true", help="skip the raw-SQL floor's race (site only)"
    )
    args = parser.parse_args(argv)
    raise_file_limit()
    env = prepared_env(seed=True)
    setup_django(env)
    paths = {"site": REAL_PATH} if args.no_floor else {"floor": FLOOR_PATH, "site": REAL_PATH}
    events = {}
    for label in paths:
        events[label], keys = prepare(args.members, args.seats, suffix=label)
    runs = {}
    with gunicorn(PORT, env) as server:
        wrk(f"{server.base_url}/bench/ceiling/query", seconds=1)
        ceiling = wrk(f"{server.base_url}/bench/ceiling/query", seconds=3)
        for label, path in paths.items():
            runs[label] = asyncio.run(register_all(events[label], keys, path))
    figures = {
        "members": args.members,
        "seats": args.seats,
        "serving": server.name,
        "one_query_ceiling_rps": ceiling["rps"],
    }
    rows = []
    for label, (latencies, outcomes, wall) in runs.items():
        result = outcome_of(events[label], args.seats, latencies, outcomes, wall, ceiling["rps"])
        figures[label] = result
        verdict = "exact" if result["exactly_the_seats_confirmed"] else "WRONG"
        rows.append(
            [
                label,
                result["completed"],
                result["completed_per_s"],
                f"{result['of_one_query_ceiling']:.1%}",
                result["p50_ms"],
                result["p95_ms"],
                f"{result['confirmed']} ({verdict})",
                result["waitlisted"],
                ", ".join(f"{k}: {v}" for k, v in sorted(outcomes.items())),
            ]
        )
    # Kept at the top level too: earlier results files and readers expect the site's run there.
    figures.update(figures["site"])
    print_table(
        f"Registration race: {args.members} members at once for {args.seats} seats, "
        f"{server.name}; one-query ceiling {ceiling['rps']:,.0f} req/s",
        [
            "path",
            "completed",
            "completed/s",
            "of one-query ceiling",
            "p50 ms",
            "p95 ms",
            "confirmed",
            "waitlisted",
            "answers",
        ],
        rows,
    )
    write_results("race", figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
