"""How many sockets one member, or one client address, may hold open at once.

Every WebSocket route counts together; the socket past the limit is closed with 4429 after
an error message that says why. The places live in the cache: local memory here, Redis
when it is configured (the same places for every server process).
"""

import asyncio
import json
import os
import signal

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from websockets.asyncio.client import connect as websocket_connect

from config.asgi import application
from tests.forum.test_consumers import drain, session_cookie
from tests.live import LiveSocketServer

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.redis)])
def socket_cache(request, settings):
    """The cache that holds the places; the channel layer stays in memory."""
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    get_channel_layer()
    if request.param == "redis":
        settings.CACHES = {
            "default": {
                "BACKEND": "caching.redis.TolerantRedisCache",  # as the site runs it
                "LOCATION": settings.REDIS_URL,
                "KEY_PREFIX": "socket-limit-test",
            }
        }
    else:
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.WS_MAX_SOCKETS_PER_CLIENT = 2
    return request.param


def from_address(address: str):
    """The site as reached from ``address`` (the test client has no peer of its own)."""

    async def app(scope, receive, send):
        return await application({**scope, "client": [address, 50000]}, receive, send)

    return app


async def connect(path, user=None, *, address="198.51.100.7", forwarded_for=None):
    headers = [(b"origin", b"http://testserver")]
    if user is not None:
        headers.append((b"cookie", await database_sync_to_async(session_cookie)(user)))
    if forwarded_for is not None:
        headers.append((b"x-forwarded-for", forwarded_for.encode()))
    communicator = WebsocketCommunicator(from_address(address), path, headers=headers)
    connected, _ = await communicator.connect(timeout=5)
    assert connected
    return communicator


async def assert_refused(communicator) -> None:
    """The socket was told why, then closed with 4429."""
    message = json.loads(await communicator.receive_from(timeout=3))
    assert message["type"] == "error"
    assert message["code"] == "too_many_sockets"
    assert message["detail"]
    assert await communicator.receive_output(timeout=3) == {
        "type": "websocket.close",
        "code": 4429,
    }


async def assert_open(communicator) -> None:
    await drain(communicator)
    await communicator.send_json_to({"type": "ping"})
    while (message := json.loads(await communicator.receive_from(timeout=3)))["type"] != "pong":
        assert message["type"] != "error", message


async def test_a_member_holds_the_configured_number_of_sockets_across_routes(
    socket_cache, public_thread, member, other_member
):
    thread = f"/ws/forum/threads/{public_thread.pk}/"
    first = await connect(thread, member.user)
    inbox = await connect("/ws/notifications/", member.user)
    # From another address: the member is counted, not the address.
    third = await connect(thread, member.user, address="203.0.113.9")
    await assert_refused(third)
    fourth = await connect("/ws/notifications/", member.user)
    await assert_refused(fourth)
    await assert_open(first)
    await assert_open(inbox)
    other = await connect(thread, other_member.user)
    await assert_open(other)
    for communicator in (first, inbox, other):
        await communicator.disconnect()


async def test_a_closed_socket_gives_its_place_back(socket_cache, public_thread, member):
    thread = f"/ws/forum/threads/{public_thread.pk}/"
    first = await connect(thread, member.user)
    second = await connect(thread, member.user)
    await assert_refused(await connect(thread, member.user))
    await first.disconnect()
    again = await connect(thread, member.user)
    await assert_open(again)
    await assert_open(second)
    await again.disconnect()
    await second.disconnect()


async def test_a_refused_socket_takes_no_place(socket_cache, public_thread, member):
    thread = f"/ws/forum/threads/{public_thread.pk}/"
    first = await connect(thread, member.user)
    second = await connect(thread, member.user)
    for _ in range(3):
        await assert_refused(await connect(thread, member.user))
    await second.disconnect()
    third = await connect(thread, member.user)
    await assert_open(third)
    await first.disconnect()
    await third.disconnect()


async def test_anonymous_sockets_count_per_client_address(socket_cache, public_thread):
    thread = f"/ws/forum/threads/{public_thread.pk}/"
    first = await connect(thread, address="198.51.100.7")
    second = await connect(thread, address="198.51.100.7")
    await assert_refused(await connect(thread, address="198.51.100.7"))
    elsewhere = await connect(thread, address="198.51.100.8")
    await assert_open(elsewhere)
    for communicator in (first, second, elsewhere):
        await communicator.disconnect()


async def test_a_forged_forwarded_for_header_is_still_the_same_address(
    socket_cache, settings, public_thread
):
    """Without trusted proxies the header is not read at all."""
    settings.TRUSTED_PROXY_COUNT = 0
    thread = f"/ws/forum/threads/{public_thread.pk}/"
    opened = [await connect(thread, forwarded_for=f"192.0.2.{n}") for n in (1, 2)]
    await assert_refused(await connect(thread, forwarded_for="192.0.2.3"))
    for communicator in opened:
        await communicator.disconnect()


async def test_behind_a_trusted_proxy_the_address_it_saw_counts(
    socket_cache, settings, public_thread
):
    """The proxy's own address is shared by everyone; the entry it wrote tells clients
    apart, and what a client put further left changes nothing."""
    settings.TRUSTED_PROXY_COUNT = 1
    thread = f"/ws/forum/threads/{public_thread.pk}/"
    proxy = "10.0.0.2"
    opened = [
        await connect(thread, address=proxy, forwarded_for=f"192.0.2.{n}, 198.51.100.7")
        for n in (1, 2)
    ]
    await assert_refused(
        await connect(thread, address=proxy, forwarded_for="192.0.2.3, 198.51.100.7")
    )
    neighbour = await connect(thread, address=proxy, forwarded_for="198.51.100.8")
    await assert_open(neighbour)
    for communicator in (*opened, neighbour):
        await communicator.disconnect()


async def test_many_sockets_racing_for_the_last_places_get_exactly_the_limit(
    socket_cache, settings, public_thread
):
    settings.WS_MAX_SOCKETS_PER_CLIENT = 3
    thread = f"/ws/forum/threads/{public_thread.pk}/"
    sockets = await asyncio.gather(*[connect(thread) for _ in range(8)])
    outcomes = []
    for communicator in sockets:
        first = await communicator.receive_output(timeout=3)
        refused = first["type"] == "websocket.send" and "too_many_sockets" in first["text"]
        outcomes.append(refused)
    assert outcomes.count(False) == 3
    for communicator, refused in zip(sockets, outcomes, strict=True):
        if not refused:
            await communicator.disconnect()


@pytest.mark.redis
async def test_places_held_by_a_crashed_server_free_themselves_after_their_lease(
    settings, public_thread
):
    """Two sockets on the production server (another process, the same Redis) use up an
    address's places here too; when that server dies without giving them back, they are
    free again once their lease has run out."""
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    settings.WS_MAX_SOCKETS_PER_CLIENT = 2
    settings.WS_SOCKET_LEASE_SECONDS = 3
    server = LiveSocketServer(
        workers=1,
        extra_env={
            "CACHE_KEY_PREFIX": settings.CACHES["default"].get("KEY_PREFIX", ""),
            "WS_MAX_SOCKETS_PER_CLIENT": "2",
            "WS_SOCKET_LEASE_SECONDS": "3",
        },
    )
    await asyncio.to_thread(lambda: server.prepare().start())
    try:
        thread = await asyncio.to_thread(server.public_thread_id)
        remote = [
            await websocket_connect(
                f"{server.ws_url}/ws/forum/threads/{thread}/",
                origin=f"http://127.0.0.1:{server.port}",
            )
            for _ in range(2)
        ]
        for connection in remote:
            await connection.send(json.dumps({"type": "ping"}))
            while json.loads(await asyncio.wait_for(connection.recv(), 5))["type"] != "pong":
                pass
        path = f"/ws/forum/threads/{public_thread.pk}/"
        await assert_refused(await connect(path, address="127.0.0.1"))
        # A crash: the server gives nothing back.
        os.killpg(server.process.pid, signal.SIGKILL)
        await asyncio.to_thread(server.process.wait)
        await assert_refused(await connect(path, address="127.0.0.1"))
        deadline = asyncio.get_running_loop().time() + 10
        while True:
            communicator = await connect(path, address="127.0.0.1")
            if await communicator.receive_nothing(timeout=1):
                break  # accepted: a lone reader hears nothing until something happens
            first = await communicator.receive_output()
            if not (first["type"] == "websocket.send" and "too_many_sockets" in first["text"]):
                break
            assert asyncio.get_running_loop().time() < deadline, "the places were never freed"
            await asyncio.sleep(0.5)
        await assert_open(communicator)
        await communicator.disconnect()
    finally:
        await asyncio.to_thread(server.stop)
