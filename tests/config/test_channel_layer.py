"""The channel layer of the settings under a crowd: hundreds of sends at the same moment."""

import asyncio

import pytest
from channels.layers import channel_layers, get_channel_layer

pytestmark = pytest.mark.redis

READERS = 400


@pytest.fixture
async def fresh_layer():
    # Layers are made once per process and keep their pools: this test's layer is its own.
    channel_layers.backends.pop("default", None)
    layer = get_channel_layer()
    yield layer
    await layer.flush()
    await layer.close_pools()
    channel_layers.backends.pop("default", None)


async def test_a_crowd_of_readers_each_gets_its_message_when_all_are_sent_at_once(fresh_layer):
    """A reader joining a thread of hundreds sends to many readers at once (presence), and a
    reply fans out to all of them. redis-py 8 gives a pool 100 connections and fails the
    101st send at once ("Too many connections"): the readers' sockets closed with it."""
    # Channels of their own (not one process's "specific." channels, which share one queue
    # of the layer's capacity): what is measured is sends in flight at once.
    names = [f"crowd.reader{n}" for n in range(READERS)]

    await asyncio.gather(
        *(
            fresh_layer.send(name, {"type": "forum.presence", "reader": n})
            for n, name in enumerate(names)
        )
    )
    received = await asyncio.gather(*(fresh_layer.receive(name) for name in names))

    assert sorted(message["reader"] for message in received) == list(range(READERS))


async def test_a_receive_that_waits_in_redis_is_not_cut_off_by_the_read_timeout(fresh_layer):
    """channels-redis waits in Redis for a message (BZPOPMIN, ``brpop_timeout`` seconds,
    5 by default). redis-py 8 reads with a 5-second timeout, so the empty answer raced the
    timeout, and a lost race closed an idle reader's socket. A wait longer than 5 seconds
    loses that race every time unless the read timeout outlasts it."""
    fresh_layer.brpop_timeout = 6
    name = "crowd.idle-reader"

    async def send_later():
        await asyncio.sleep(5.5)  # while the receive waits in Redis
        await fresh_layer.send(name, {"type": "forum.post", "text": "late"})

    sender = asyncio.create_task(send_later())
    message = await asyncio.wait_for(fresh_layer.receive(name), 20)
    await sender

    assert message["text"] == "late"
