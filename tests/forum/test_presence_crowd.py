"""A crowd joining a thread: every reader learns who is there, at a cost that grows
linearly, not with the square of the crowd."""

import asyncio
import json

import pytest
from channels.layers import get_channel_layer

from tests.forum.test_consumers import open_socket

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def layer(settings):
    """The in-memory layer: a dozen consumers in one test process share channels-redis's
    receive loop, and cancelling it as they disconnect raises inside the test client. The
    Redis path of a crowd is measured with real servers by bench.live_bench."""
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    return get_channel_layer()


CROWD = 12


async def last_presence(communicator, *, quiet=1.0) -> tuple[dict | None, int]:
    """The last presence frame before the socket went quiet, and how many there were."""
    last, frames = None, 0
    while not await communicator.receive_nothing(timeout=quiet):
        message = json.loads(await communicator.receive_from())
        if message["type"] == "presence":
            last, frames = message, frames + 1
    return last, frames


async def test_every_reader_of_a_crowd_sees_all_the_others_with_few_answers(
    layer, public_thread, monkeypatch, settings
):
    settings.FORUM_PRESENCE_ANSWERS = 3
    # Readers who joined in the last moment answer every newcomer too; here each arrives
    # after the one before has settled.
    settings.FORUM_PRESENCE_SETTLE = 0.2
    answers = []
    send = layer.send

    async def counting(channel, message):
        if message.get("action") == "here":
            answers.append(channel)
        return await send(channel, message)

    monkeypatch.setattr(layer, "send", counting)
    sockets = []
    for _ in range(CROWD):
        sockets.append(await open_socket(f"/ws/forum/threads/{public_thread.pk}/"))
        # One at a time: each newcomer is answered by up to three.
        await asyncio.sleep(0.4)

    for communicator in sockets:
        presence, _frames = await last_presence(communicator)
        assert presence is not None
        assert presence["guests"] == CROWD - 1
    # Each newcomer was answered by about three readers, where all readers answered before
    # (66 answers for twelve readers). One more is allowed: a reader whose roster lags on a
    # loaded machine may count itself among the three.
    assert len(answers) <= 3 * (CROWD - 1) + 4
    assert max(answers.count(channel) for channel in set(answers)) <= 4
    for communicator in sockets:
        await communicator.disconnect(timeout=10)


async def test_readers_arriving_at_the_same_moment_all_see_each_other(layer, public_thread):
    # The readers elected to answer may not have heard of the newcomers of the same moment
    # yet: those newcomers answer each other themselves.
    sockets = await asyncio.gather(
        *[open_socket(f"/ws/forum/threads/{public_thread.pk}/") for _ in range(CROWD)]
    )
    for communicator in sockets:
        presence, _frames = await last_presence(communicator)
        assert presence["guests"] == CROWD - 1
    for communicator in sockets:
        await communicator.disconnect(timeout=10)


async def test_a_burst_of_joins_reaches_a_reader_as_few_presence_frames(
    layer, public_thread, settings
):
    settings.FORUM_PRESENCE_DELAY = 1.0
    first = await open_socket(f"/ws/forum/threads/{public_thread.pk}/")
    others = await asyncio.gather(
        *[open_socket(f"/ws/forum/threads/{public_thread.pk}/") for _ in range(8)]
    )
    presence, frames = await last_presence(first, quiet=2.0)
    assert presence["guests"] == 8
    assert frames < 8
    for communicator in others:
        await communicator.disconnect(timeout=10)
    presence, _frames = await last_presence(first, quiet=2.0)
    assert presence["guests"] == 0
    await first.disconnect(timeout=10)


async def test_a_reader_who_left_is_not_brought_back_by_an_older_roster(
    layer, public_thread, settings
):
    first = await open_socket(f"/ws/forum/threads/{public_thread.pk}/")
    leaving = await open_socket(f"/ws/forum/threads/{public_thread.pk}/")
    await last_presence(first)
    await leaving.disconnect(timeout=10)
    late = await open_socket(f"/ws/forum/threads/{public_thread.pk}/")
    presence, _frames = await last_presence(late)
    assert presence["guests"] == 1
    presence, _frames = await last_presence(first)
    assert presence["guests"] == 1
    await late.disconnect(timeout=10)
    await first.disconnect(timeout=10)
