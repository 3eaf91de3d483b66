"""A crowd of readers joining a thread cannot kill the sockets of those already there."""

import pytest
from channels.db import database_sync_to_async
from channels.exceptions import ChannelFull

from tests.forum import test_consumers
from tests.forum.test_consumers import open_socket, receive_type, reply_through_api

# The same channel layers as the consumer tests: in memory, and channels-redis.
layer = test_consumers.layer

pytestmark = pytest.mark.django_db(transaction=True)


async def test_a_reader_keeps_its_socket_when_the_newcomers_channel_is_full(
    layer, public_thread, other_member, monkeypatch
):
    first = await open_socket(f"/ws/forum/threads/{public_thread.pk}/")

    send = layer.send

    async def full(channel, message):
        if message.get("action") == "here":
            raise ChannelFull()
        return await send(channel, message)

    monkeypatch.setattr(layer, "send", full)
    second = await open_socket(f"/ws/forum/threads/{public_thread.pk}/")
    await receive_type(first, "presence")
    answer = await database_sync_to_async(reply_through_api)(
        other_member.user, public_thread, "Still here"
    )
    assert (await receive_type(first, "post.created"))["post"]["id"] == answer.json()["id"]
    await first.disconnect()
    await second.disconnect()
