"""Redis stopped while members post, then restarted, under a live site.

Posts are stored and their posters told so; the failed broadcast is logged; readers who
reconnect catch up with every post from the database (none lost), and once Redis is back
live delivery resumes without restarting the site.
"""

import asyncio
import json
import shutil
import subprocess
import time
import urllib.error
import urllib.request

import pytest
from websockets.asyncio.client import connect

from tests.live import LiveSite, free_port

pytestmark = pytest.mark.redis


class PrivateRedis:
    """A Redis server of the test's own, on a free port, that it may stop and start."""

    def __init__(self):
        self.port = free_port()
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            ping = subprocess.run(
                ["redis-cli", "-p", str(self.port), "ping"], capture_output=True, text=True
            )
            if ping.stdout.strip() == "PONG":
                return
            time.sleep(0.1)
        raise RuntimeError("the private Redis did not start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@pytest.fixture(scope="module")
def site_and_redis():
    if not shutil.which("redis-server"):
        pytest.skip("needs service: Redis server (redis-server)")
    redis = PrivateRedis()
    redis.start()
    site = LiveSite(extra_env={"REDIS_URL": redis.url})
    try:
        site.prepare().start()
        token = site.shell(
            "from django.contrib.auth import get_user_model;"
            "from rest_framework.authtoken.models import Token;"
            "user, _ = get_user_model().objects.get_or_create(username='drill-moderator',"
            " defaults={'email': 'drill@example.org', 'is_staff': True});"
            "print(Token.objects.get_or_create(user=user)[0].key)"
        ).splitlines()[-1]
        yield site, redis, token
    finally:
        site.stop()
        redis.stop()


def api(site: LiveSite, token: str, method: str, path: str, body: dict | None = None):
    request = urllib.request.Request(
        site.url + path,
        data=json.dumps(body).encode() if body is not None else None,
        method=method,
        headers={"Content-Type": "application/json", "Authorization": f"Token {token}"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


async def read_posts(socket, *, quiet_for: float = 2.0) -> tuple[list[int], list[dict]]:
    """Post ids and other messages received until the socket is quiet or closed."""
    post_ids, others = [], []
    try:
        while True:
            message = json.loads(await asyncio.wait_for(socket.recv(), quiet_for))
            if message["type"] == "post.created":
                post_ids.append(message["post"]["id"])
            else:
                others.append(message)
    except TimeoutError:
        pass
    except Exception as closed:  # the server closed the socket
        others.append({"type": "closed", "code": getattr(closed.rcvd, "code", None)})
    return post_ids, others


async def reconnect_until_live(url: str, origin: str, attempts: int = 10):
    """Connect as the forum's script does: retry with a pause until the socket stays open."""
    for _ in range(attempts):
        socket = await connect(url, origin=origin)
        ids, others = await read_posts(socket)
        if not any(m["type"] in {"closed", "error"} for m in others):
            return socket, ids
        await socket.close()
        await asyncio.sleep(0.5)
    raise AssertionError("live delivery never resumed")


def test_posts_survive_a_redis_outage_and_live_delivery_resumes(site_and_redis):
    site, redis, token = site_and_redis
    status, categories = api(site, token, "GET", "/api/forum/categories/")
    category = next(c for c in categories["results"] if c["visibility"] == "public")
    status, thread = api(
        site,
        token,
        "POST",
        "/api/forum/threads/",
        {"category": category["id"], "title": "Redis outage drill", "body": "Opening post"},
    )
    assert status == 201, thread
    socket_url = site.url.replace("http", "ws") + f"/ws/forum/threads/{thread['id']}/"

    async def drill():
        socket = await connect(socket_url, origin=site.url)
        status, before = api(
            site,
            token,
            "POST",
            f"/api/forum/threads/{thread['id']}/posts/",
            {"body": "Before the outage"},
        )
        assert status == 201
        seen, _ = await read_posts(socket)
        assert before["id"] in seen
        last_seen = max(seen)

        redis.stop()
        during = []
        for n in range(3):
            status, post = api(
                site,
                token,
                "POST",
                f"/api/forum/threads/{thread['id']}/posts/",
                {"body": f"Posted while Redis is down ({n})"},
            )
            assert status == 201, post
            during.append(post["id"])
        await socket.close()

        # A reader reconnecting during the outage gets what it missed from the database.
        early = await connect(f"{socket_url}?after={last_seen}", origin=site.url)
        early_ids, early_other = await read_posts(early)
        assert early_ids == during
        assert any(m.get("code") == "live_unavailable" for m in early_other)

        redis.start()
        live, caught_up = await reconnect_until_live(f"{socket_url}?after={last_seen}", site.url)
        assert set(during) <= set(caught_up)
        status, after = api(
            site,
            token,
            "POST",
            f"/api/forum/threads/{thread['id']}/posts/",
            {"body": "After Redis came back"},
        )
        assert status == 201
        delivered, _ = await read_posts(live)
        await live.close()
        return after["id"], delivered

    after_id, delivered = asyncio.run(drill())
    assert after_id in delivered
    assert "broadcast failed" in site.server_log()
