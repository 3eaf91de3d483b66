"""The thread and notification sockets, on the in-memory layer and on channels-redis.

Consumer tests use ``django_db(transaction=True)``: the consumer's database work runs in
other threads and must see committed rows.
"""

import asyncio
import json

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.test import Client
from rest_framework.test import APIClient

from config.asgi import application
from forum import services
from forum.models import Post

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.redis)])
async def layer(request, settings):
    """The channel layer under test; Redis keys get a prefix of their own and are flushed."""
    if request.param == "redis":
        prefix = settings.CHANNEL_LAYERS["default"].get("CONFIG", {}).get("prefix", "club")
        settings.CHANNEL_LAYERS = {
            "default": {
                "BACKEND": "config.channel_layer.WaitingRedisChannelLayer",
                "CONFIG": {
                    "hosts": [settings.REDIS_URL],
                    "prefix": f"{prefix}-test",
                },
            }
        }
    else:
        settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    channel_layer = get_channel_layer()
    yield channel_layer
    if hasattr(channel_layer, "close_pools"):
        await channel_layer.flush()
        await channel_layer.close_pools()


def session_cookie(user) -> bytes:
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}".encode()


async def open_socket(path, user=None, *, expect=True):
    headers = [(b"origin", b"http://testserver")]
    if user is not None:
        headers.append((b"cookie", await database_sync_to_async(session_cookie)(user)))
    communicator = WebsocketCommunicator(application, path, headers=headers)
    connected, _code = await communicator.connect(timeout=5)
    assert connected is expect
    return communicator


async def receive_type(communicator, wanted, *, timeout=3.0):
    """The next message of type ``wanted``, skipping presence and other chatter."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        remaining = deadline - asyncio.get_running_loop().time()
        assert remaining > 0, f"no {wanted} message arrived"
        message = json.loads(await communicator.receive_from(timeout=remaining))
        if message["type"] == wanted:
            return message


async def drain(communicator, *, quiet=0.3):
    """Swallow everything until the socket has been quiet for ``quiet`` seconds."""
    while not await communicator.receive_nothing(timeout=quiet):
        await communicator.receive_output()


def reply_through_api(user, thread, body):
    client = APIClient()
    client.force_authenticate(user)
    return client.post(f"/api/forum/threads/{thread.pk}/posts/", {"body": body}, format="json")


async def test_two_clients_on_a_thread_receive_a_post_made_through_the_rest_api(
    layer, public_thread, member, other_member
):
    reader = await open_socket(f"/ws/forum/threads/{public_thread.pk}/", member.user)
    guest = await open_socket(f"/ws/forum/threads/{public_thread.pk}/")
    answer = await database_sync_to_async(reply_through_api)(
        other_member.user, public_thread, "Live **reply**"
    )
    assert answer.status_code == 201
    for communicator in (reader, guest):
        event = await receive_type(communicator, "post.created")
        assert event["post"]["id"] == answer.json()["id"]
        assert event["post"]["body_html"] == "<p>Live <strong>reply</strong></p>"
        assert event["post"]["author"]["display_name"] == "Other"
        assert event["post"] == answer.json()
    await reader.disconnect()
    await guest.disconnect()


async def test_a_reconnecting_client_catches_up_with_after(layer, public_thread, other_member):
    first = await database_sync_to_async(public_thread.posts.get)()
    missed = []
    for n in range(3):
        missed.append(
            await database_sync_to_async(services.post_reply)(
                thread=public_thread, author=other_member.user, body=f"While you were away {n}"
            )
        )
    communicator = await open_socket(f"/ws/forum/threads/{public_thread.pk}/?after={first.pk}")
    received = [json.loads(await communicator.receive_from(timeout=3)) for _ in missed]
    assert [m["type"] for m in received] == ["post.created"] * 3
    assert [m["post"]["id"] for m in received] == [p.pk for p in missed]
    live = await database_sync_to_async(reply_through_api)(
        other_member.user, public_thread, "And now live"
    )
    assert (await receive_type(communicator, "post.created"))["post"]["id"] == live.json()["id"]
    await communicator.disconnect()


@pytest.mark.parametrize("after", ["%C2%B2", "%D9%A3", "1" * 40, "-5", "abc"])
async def test_an_after_that_is_not_a_plain_number_is_ignored_not_a_crash(
    layer, public_thread, other_member, after
):
    communicator = await open_socket(f"/ws/forum/threads/{public_thread.pk}/?after={after}")
    live = await database_sync_to_async(reply_through_api)(
        other_member.user, public_thread, "Still live"
    )
    assert (await receive_type(communicator, "post.created"))["post"]["id"] == live.json()["id"]
    await communicator.disconnect()


async def test_typing_is_relayed_to_the_others_only(layer, public_thread, member, other_member):
    typist = await open_socket(f"/ws/forum/threads/{public_thread.pk}/", member.user)
    watcher = await open_socket(f"/ws/forum/threads/{public_thread.pk}/", other_member.user)
    await drain(typist)
    await drain(watcher)
    await typist.send_json_to({"type": "typing"})
    event = await receive_type(watcher, "typing")
    assert event["user"]["display_name"] == "Member"
    assert await typist.receive_nothing(timeout=0.5)
    await typist.disconnect()
    await watcher.disconnect()


async def test_anonymous_typing_is_refused(layer, public_thread, member):
    guest = await open_socket(f"/ws/forum/threads/{public_thread.pk}/")
    watcher = await open_socket(f"/ws/forum/threads/{public_thread.pk}/", member.user)
    await drain(guest)
    await drain(watcher)
    await guest.send_json_to({"type": "typing"})
    assert (await receive_type(guest, "error"))["code"] == "sign_in"
    assert await watcher.receive_nothing(timeout=0.5)
    await guest.disconnect()
    await watcher.disconnect()


async def test_presence_tells_the_others_who_is_viewing(layer, public_thread, member, other_member):
    first = await open_socket(f"/ws/forum/threads/{public_thread.pk}/", member.user)
    second = await open_socket(f"/ws/forum/threads/{public_thread.pk}/", other_member.user)
    guest = await open_socket(f"/ws/forum/threads/{public_thread.pk}/")
    presence = await receive_type(first, "presence")
    while presence["guests"] != 1:
        presence = await receive_type(first, "presence")
    assert [v["display_name"] for v in presence["viewers"]] == ["Other"]
    await second.disconnect()
    presence = await receive_type(first, "presence")
    assert presence["viewers"] == []
    await first.disconnect()
    await guest.disconnect()


async def test_members_only_threads_refuse_anonymous_and_disabled_sockets(
    layer, private_thread, other_member, disabled_member
):
    await open_socket(f"/ws/forum/threads/{private_thread.pk}/", expect=False)
    await open_socket(f"/ws/forum/threads/{private_thread.pk}/", disabled_member, expect=False)
    await open_socket("/ws/forum/threads/999999/", other_member.user, expect=False)
    allowed = await open_socket(f"/ws/forum/threads/{private_thread.pk}/", other_member.user)
    await allowed.disconnect()


async def test_a_foreign_origin_is_refused(layer, public_thread):
    communicator = WebsocketCommunicator(
        application,
        f"/ws/forum/threads/{public_thread.pk}/",
        headers=[(b"origin", b"https://evil.example")],
    )
    connected, _ = await communicator.connect()
    assert not connected


async def test_a_reader_who_loses_access_stops_receiving(
    layer, public_thread, members_category, moderator, other_member
):
    guest = await open_socket(f"/ws/forum/threads/{public_thread.pk}/")
    await drain(guest)
    await database_sync_to_async(services.move_thread)(
        thread=public_thread, moderator=moderator.user, category=members_category
    )
    assert (await receive_type(guest, "access.revoked"))["type"] == "access.revoked"
    assert (await guest.receive_output(timeout=2))["type"] == "websocket.close"
    await database_sync_to_async(reply_through_api)(
        other_member.user, public_thread, "Members only now"
    )
    assert await guest.receive_nothing(timeout=0.3)


async def test_a_disabled_account_stops_receiving(layer, public_thread, member, other_member):
    reader = await open_socket(f"/ws/forum/threads/{public_thread.pk}/", other_member.user)
    await drain(reader)
    user = other_member.user
    user.is_active = False
    await database_sync_to_async(user.save)()
    await database_sync_to_async(reply_through_api)(member.user, public_thread, "Hello there")
    assert (await receive_type(reader, "access.revoked"))["type"] == "access.revoked"


async def test_an_oversized_frame_closes_the_socket(layer, settings, public_thread):
    settings.FORUM_WS_MAX_FRAME = 1024
    communicator = await open_socket(f"/ws/forum/threads/{public_thread.pk}/")
    await drain(communicator)
    await communicator.send_to(text_data=json.dumps({"type": "typing", "pad": "x" * 2000}))
    closed = await communicator.receive_output(timeout=2)
    assert closed == {"type": "websocket.close", "code": 1009}


async def test_a_flooding_client_is_throttled_then_closed_while_others_keep_receiving(
    layer, public_thread, member, other_member
):
    flooder = await open_socket(f"/ws/forum/threads/{public_thread.pk}/")
    calm = await open_socket(f"/ws/forum/threads/{public_thread.pk}/", member.user)
    await drain(flooder)
    await drain(calm)
    for _ in range(60):
        await flooder.send_json_to({"type": "ping"})
    outputs = []
    while True:
        output = await flooder.receive_output(timeout=3)
        outputs.append(output)
        if output["type"] == "websocket.close":
            break
    texts = [json.loads(o["text"]) for o in outputs if o["type"] == "websocket.send"]
    assert {"type": "pong"} in texts
    assert [t["code"] for t in texts if t["type"] == "error"] == ["throttled"]
    assert sum(t["type"] == "pong" for t in texts) < 60
    assert outputs[-1]["code"] == 4429
    answer = await database_sync_to_async(reply_through_api)(
        other_member.user, public_thread, "Still flowing"
    )
    assert (await receive_type(calm, "post.created"))["post"]["id"] == answer.json()["id"]
    await calm.disconnect()


async def test_posting_over_the_socket_uses_the_same_service(
    layer, settings, public_thread, member, other_member
):
    author = await open_socket(f"/ws/forum/threads/{public_thread.pk}/", other_member.user)
    reader = await open_socket(f"/ws/forum/threads/{public_thread.pk}/", member.user)
    await author.send_json_to({"type": "post", "body": "Typed into the socket"})
    accepted = await receive_type(author, "post.accepted")
    created = await receive_type(reader, "post.created")
    assert created["post"]["id"] == accepted["id"]
    await author.send_json_to({"type": "post", "body": ""})
    assert (await receive_type(author, "error"))["status"] == 400
    settings.FORUM_POST_INTERVAL = 60
    await author.send_json_to({"type": "post", "body": "Too quick"})
    refused = await receive_type(author, "error")
    assert refused["status"] == 429
    assert refused["retry_after"] > 0
    assert not await database_sync_to_async(Post.objects.filter(body="Too quick").exists)()
    await author.disconnect()
    await reader.disconnect()


async def test_a_watcher_hears_of_replies_on_the_notifications_socket(
    layer, public_thread, member, other_member
):
    await open_socket("/ws/notifications/", expect=False)
    inbox = await open_socket("/ws/notifications/", member.user)
    assert (await receive_type(inbox, "notifications.unread"))["count"] == 0
    await database_sync_to_async(reply_through_api)(
        other_member.user, public_thread, "Ping @member"
    )
    event = await receive_type(inbox, "notification")
    assert event["notification"]["kind"] == "mention"
    assert event["unread"] == 1
    await inbox.disconnect()


async def test_many_anonymous_readers_all_receive_the_shared_view_of_a_post(
    layer, public_thread, other_member
):
    guests = [await open_socket(f"/ws/forum/threads/{public_thread.pk}/") for _ in range(5)]
    answer = await database_sync_to_async(reply_through_api)(
        other_member.user, public_thread, "For every guest"
    )
    for guest in guests:
        event = await receive_type(guest, "post.created")
        assert event["post"] == answer.json()
        await guest.disconnect()
