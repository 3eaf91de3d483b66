"""Live threads: from a reply POSTed through the REST API to its delivery on every socket.

    python -m bench.live_bench [--clients 100,500,1000] [--posts 20]

A public thread gets 100, 500 and 1,000 anonymous WebSocket readers (bench.ws_clients,
a separate process) on uvicorn with 2 workers (ASGI, psycopg pool) and channels-redis. A
moderator (no posting rate limit) POSTs replies to /api/forum/threads/<id>/posts/ on the
HTTP serving of the README (gunicorn, or ``--post-via asgi``); each reply's latency runs
from just before the POST to its arrival on the last socket. Replies one at a time, each
waited for (or 10 s), so p50/p95/max are per reply; a socket that never saw a reply counts
as a lost message.

The floor, measured in the same run against the same sockets: a bare channels-redis
``group_send`` of a typing event from this process to the thread's group, which the
consumers forward without touching the database.
"""

import argparse
import asyncio
import json
import subprocess
import sys
import time
import urllib.request

from bench.common import (
    PYTHON,
    ROOT,
    gunicorn,
    prepared_env,
    print_table,
    raise_file_limit,
    setup_django,
    summary_ms,
    uvicorn,
    write_results,
)

HTTP_PORT, WS_PORT = 8111, 8112


def prepare() -> dict:
    """A public category and thread, and a moderator with an API token."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from forum.models import Category, Thread

    user, _ = get_user_model().objects.get_or_create(
        username="bench-moderator",
        defaults={"email": "bench-moderator@example.org", "is_staff": True},
    )
    token, _ = Token.objects.get_or_create(user=user)
    category, _ = Category.objects.get_or_create(
        slug="bench-live", defaults={"name": "Benchmarks", "visibility": "public"}
    )
    thread = Thread.objects.filter(category=category, title="Live fan-out").first()
    if thread is None:
        thread = Thread.objects.create(
            category=category, title="Live fan-out", author=user, last_activity=timezone.now()
        )
    return {"thread": thread.pk, "token": token.key}


def post_reply(base_url: str, thread: int, token: str, body: str) -> int:
    request = urllib.request.Request(
        f"{base_url}/api/forum/threads/{thread}/posts/",
        data=json.dumps({"body": body}).encode(),
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)["id"]


class Clients:
    def __init__(self, url: str, count: int, origin: str):
        self.process = subprocess.Popen(
            [PYTHON, "-m", "bench.ws_clients", url, str(count), "--origin", origin],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        words = self.process.stdout.readline().split()
        self.connected, self.failed = int(words[1]), int(words[2])

    def ask(self, command: str) -> dict:
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())

    def close(self) -> None:
        try:
            self.process.stdin.write("quit\n")
            self.process.stdin.flush()
            self.process.wait(timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()


def delivery(answer: dict, started: float) -> tuple[float | None, int]:
    lost = answer["expected"] - answer["received"]
    if answer["last"] is None:
        return None, lost
    return (answer["last"] - started) * 1000, lost


async def floor_send(layer, group: str, name: str) -> None:
    await layer.group_send(
        group,
        {
            "type": "forum.typing",
            "sender": "bench-floor",
            "user_id": None,
            "profile_id": None,
            "name": name,
            "visibility": "public",
        },
    )


def measure(size: int, rounds: int, *, thread: int, token: str, post_url: str, loop) -> dict:
    from channels.layers import get_channel_layer

    from forum.realtime import thread_group

    layer = get_channel_layer()
    clients = Clients(
        f"ws://127.0.0.1:{WS_PORT}/ws/forum/threads/{thread}/",
        size,
        f"http://127.0.0.1:{WS_PORT}",
    )
    connect_started = time.monotonic()
    settled = clients.ask("quiet 2")
    settle_s = time.monotonic() - connect_started
    floor, floor_lost, replies, replies_lost = [], 0, [], 0
    try:
        for k in range(rounds):
            name = f"floor-{size}-{k}"
            started = time.monotonic()
            loop.run_until_complete(floor_send(layer, thread_group(thread), name))
            ms, lost = delivery(clients.ask(f"wait typing {name} 10"), started)
            floor_lost += lost
            if ms is not None:
                floor.append(ms)
        for k in range(rounds):
            started = time.monotonic()
            post_id = post_reply(post_url, thread, token, f"Reply {k} to {size} readers, {started}")
            ms, lost = delivery(clients.ask(f"wait post.created {post_id} 10"), started)
            replies_lost += lost
            if ms is not None:
                replies.append(ms)
        stats = clients.ask("stats")
    finally:
        clients.close()
    return {
        "clients": size,
        "connected": clients.connected,
        "failed_to_connect": clients.failed,
        "presence_frames_while_joining": settled["frames"],
        "seconds_to_settle_after_joining": round(settle_s, 1),
        "floor": {**summary_ms(floor), "lost": floor_lost},
        "reply": {**summary_ms(replies), "lost": replies_lost},
        "still_open": stats["open"],
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", default="100,500,1000")
    parser.add_argument("--posts", type=int, default=20)
    parser.add_argument("--post-via", choices=["wsgi", "asgi"], default="wsgi")
    args = parser.parse_args(argv)
    sizes = [int(n) for n in args.clients.split(",")]
    raise_file_limit()
    env = prepared_env()
    setup_django(env)
    fixture = prepare()
    loop = asyncio.new_event_loop()
    results = {"post_via": args.post_via, "posts": args.posts, "sizes": []}
    ws_server = uvicorn(WS_PORT, env)
    http_server = gunicorn(HTTP_PORT, env) if args.post_via == "wsgi" else ws_server
    rows = []
    with ws_server:
        if http_server is not ws_server:
            http_server.start()
        try:
            for size in sizes:
                figures = measure(
                    size,
                    args.posts,
                    thread=fixture["thread"],
                    token=fixture["token"],
                    post_url=http_server.base_url,
                    loop=loop,
                )
                figures["reply_p95_over_floor_p95"] = (
                    figures["reply"]["p95_ms"] / figures["floor"]["p95_ms"]
                )
                results["sizes"].append(figures)
                rows.append(
                    [
                        size,
                        figures["connected"],
                        figures["floor"]["p50_ms"],
                        figures["floor"]["p95_ms"],
                        figures["reply"]["p50_ms"],
                        figures["reply"]["p95_ms"],
                        figures["reply"]["max_ms"],
                        figures["reply"]["lost"],
                        f"{figures['reply_p95_over_floor_p95']:.1f}x",
                        figures["seconds_to_settle_after_joining"],
                    ]
                )
        finally:
            if http_server is not ws_server:
                http_server.stop()
    print_table(
        f"Live threads: {args.posts} replies per size, POST via {http_server.name}, "
        f"sockets on {ws_server.name} + channels-redis",
        [
            "clients",
            "connected",
            "floor p50",
            "floor p95",
            "reply p50",
            "reply p95",
            "reply max",
            "lost",
            "p95/floor",
            "join settle s",
        ],
        rows,
    )
    write_results("live", results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
