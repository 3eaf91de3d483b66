"""Matchmaking race: 300 participants request and accept meetings at once for 40 slots x
30 tables.

    python -m bench.matchmaking_bench [--participants 300] [--slots 40] [--tables 30]
                                      [--requests-each 4]

Every participant has an API token, a confirmed registration and a matchmaking profile.
Round 1: each POSTs ``--requests-each`` meeting requests at the same moment
(``/api/events/<id>/matchmaking/meetings/``). Round 2: every recipient PATCHes each
request to "accepted" in a slot drawn at random (fixed seed), all at the same moment
(``/api/matchmaking/meetings/<id>/``); many collide and are answered 409. Served by gunicorn
(2 sync workers), the asyncio client in this process. Reports completed bookings per second
and p50/p95 beside the one-query ceiling of the same processes, and checks the database:
no member and no table twice in one slot, two seats per accepted meeting.
"""

import argparse
import asyncio
import json
import random
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

PORT = 8123


def prepare(participants: int, slots: int, tables: int) -> tuple[int, list[tuple[int, str]]]:
    """A fresh event with matchmaking; returns its id and (member id, token) per
    participant."""
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone
    from rest_framework.authtoken.models import Token
    from wagtail.models import Site

    from events.models import EventIndexPage, EventPage, Registration
    from matchmaking import services
    from matchmaking.models import Matchmaking, MeetingBlock, Participant, Table

    User = get_user_model()
    names = [f"bench-broker-{n}" for n in range(participants)]
    existing = set(User.objects.filter(username__in=names).values_list("username", flat=True))
    with transaction.atomic():
        for name in names:
            if name not in existing:
                User.objects.create_user(username=name, email=f"{name}@example.org")
    users = list(User.objects.filter(username__in=names).select_related("profile"))
    tokens = {token.user_id: token.key for token in Token.objects.filter(user__in=users)}
    Token.objects.bulk_create(
        [Token(user=user, key=Token.generate_key()) for user in users if user.pk not in tokens]
    )
    tokens = {token.user_id: token.key for token in Token.objects.filter(user__in=users)}
    index = EventIndexPage.objects.first()
    if index is None:
        home = Site.objects.get(is_default_site=True).root_page
        index = home.add_child(instance=EventIndexPage(title="Events", slug="events"))
    stamp = int(time.time())
    start = timezone.now() + timedelta(days=30)
    event = index.add_child(
        instance=EventPage(
            title=f"Brokerage race {stamp}",
            slug=f"brokerage-race-{stamp}",
            start=start,
            end=start + timedelta(days=1),
            timezone="Europe/Brussels",
        )
    )
    event.save_revision().publish()
    with transaction.atomic():
        matchmaking = Matchmaking.objects.create(
            event=event, slot_minutes=20, break_minutes=0, max_meetings=slots
        )
        MeetingBlock.objects.create(
            matchmaking=matchmaking, start=start, end=start + timedelta(minutes=20 * slots)
        )
        Table.objects.bulk_create(
            [Table(matchmaking=matchmaking, name=f"Table {n}", sort_order=n) for n in range(tables)]
        )
        services.generate_slots(matchmaking=matchmaking)
        Registration.objects.bulk_create(
            [Registration(event=event, member=user.profile, status="confirmed") for user in users]
        )
        Participant.objects.bulk_create(
            [Participant(matchmaking=matchmaking, member=user.profile) for user in users]
        )
    return event.pk, [(user.profile.pk, tokens[user.pk]) for user in users]


async def at_once(calls) -> tuple[list[tuple[float, int, dict]], float]:
    """Run every (method, path, token, body) at the same moment; (ms, status, json) each."""
    gate = asyncio.Event()

    async def one(method, path, token, body):
        await gate.wait()
        started = time.monotonic()
        status, raw = await http_request(
            PORT,
            method,
            path,
            headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
            body=json.dumps(body).encode(),
        )
        try:
            data = json.loads(raw)
        except ValueError:
            data = {}
        return (time.monotonic() - started) * 1000, status, data

    tasks = [asyncio.create_task(one(*call)) for call in calls]
    await asyncio.sleep(0.2)
    started = time.monotonic()
    gate.set()
    results = await asyncio.gather(*tasks, return_exceptions=True)
    wall = time.monotonic() - started
    return [r if not isinstance(r, BaseException) else (0.0, 0, {}) for r in results], wall


def tally(results) -> dict:
    counts = {}
    for _ms, status, _data in results:
        counts[str(status)] = counts.get(str(status), 0) + 1
    return counts


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=300)
    parser.add_argument("--slots", type=int, default=40)
    parser.add_argument("--tables", type=int, default=30)
    parser.add_argument("--requests-each", type=int, default=4)
    args = parser.parse_args(argv)
    raise_file_limit()
    env = prepared_env(seed=True)
    setup_django(env)
    event_id, people = prepare(args.participants, args.slots, args.tables)
    from matchmaking.models import Matchmaking

    slot_ids = list(
        Matchmaking.objects.get(event_id=event_id)
        .slots.order_by("start")
        .values_list("pk", flat=True)
    )
    token_of = dict(people)
    count = len(people)
    requests = [
        (
            "POST",
            f"/api/events/{event_id}/matchmaking/meetings/",
            token,
            {"with": people[(i + step) % count][0], "message": "Shall we meet?"},
        )
        for i, (_member, token) in enumerate(people)
        for step in range(1, args.requests_each + 1)
    ]
    chooser = random.Random(20)  # noqa: S311 - a fixed draw, not a secret
    with gunicorn(PORT, env) as server:
        wrk(f"{server.base_url}/bench/ceiling/query", seconds=1)
        ceiling = wrk(f"{server.base_url}/bench/ceiling/query", seconds=3)
        requested, request_wall = asyncio.run(at_once(requests))
        accepts = [
            (
                "PATCH",
                f"/api/matchmaking/meetings/{data['id']}/",
                token_of[data["recipient"]],
                {"status": "accepted", "slot": chooser.choice(slot_ids)},
            )
            for _ms, status, data in requested
            if status == 201
        ]
        accepted, accept_wall = asyncio.run(at_once(accepts))
    from matchmaking.models import Meeting, MeetingSeat

    stored = Meeting.objects.filter(matchmaking__event_id=event_id, status="accepted")
    booked = stored.count()
    pairs = list(stored.values_list("slot_id", "table_id"))
    members = [
        (slot, member)
        for slot, requester, recipient in stored.values_list(
            "slot_id", "requester_id", "recipient_id"
        )
        for member in (requester, recipient)
    ]
    seats = MeetingSeat.objects.filter(meeting__in=stored).count()
    sound = (
        len(set(pairs)) == len(pairs) and len(set(members)) == len(members) and seats == 2 * booked
    )
    done = [ms for ms, status, _data in accepted if status == 200]
    per_s = len(done) / accept_wall
    figures = {
        "participants": args.participants,
        "slots": args.slots,
        "tables": args.tables,
        "serving": server.name,
        "requests": tally(requested),
        "requests_per_s": sum(1 for _m, s, _d in requested if s == 201) / request_wall,
        "accepts": tally(accepted),
        "bookings": len(done),
        "bookings_per_s": per_s,
        **summary_ms(done),
        "accepted_in_database": booked,
        "no_double_booking": sound,
        "one_query_ceiling_rps": ceiling["rps"],
        "of_one_query_ceiling": per_s / ceiling["rps"],
    }
    print_table(
        f"Matchmaking race: {args.participants} participants, {args.slots} slots x "
        f"{args.tables} tables, {server.name}",
        [
            "requests (answers)",
            "accepts (answers)",
            "bookings/s",
            "of one-query ceiling",
            "p50 ms",
            "p95 ms",
            "booked",
            "double booking",
        ],
        [
            [
                ", ".join(f"{k}: {v}" for k, v in sorted(figures["requests"].items())),
                ", ".join(f"{k}: {v}" for k, v in sorted(figures["accepts"].items())),
                per_s,
                f"{figures['of_one_query_ceiling']:.1%}",
                figures["p50_ms"],
                figures["p95_ms"],
                booked,
                "none" if sound else "FOUND",
            ]
        ],
    )
    write_results("matchmaking", figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
