"""Agendas update live: both sides of a meeting hear of each change on their notifications
socket (ids only), after the change commits; nobody else does."""

import json

import pytest
from channels.db import database_sync_to_async
from rest_framework.test import APIClient

from tests.forum.test_consumers import layer, open_socket, receive_type  # noqa: F401
from tests.matchmaking.brokerage import make_matchmaking, make_participant

pytestmark = pytest.mark.django_db(transaction=True)


def world():
    brokerage = make_matchmaking(slots=2, tables=1)
    return brokerage, [make_participant(brokerage) for _ in range(3)]


def call(member, method, url, body):
    client = APIClient()
    client.force_authenticate(member.user)
    return getattr(client, method)(url, body, format="json")


async def test_both_sides_hear_of_a_request_and_its_acceptance_and_nobody_else(layer):  # noqa: F811
    brokerage, (alice, bob, carol) = await database_sync_to_async(world)()
    sockets = {}
    for name, member in (("alice", alice), ("bob", bob), ("carol", carol)):
        sockets[name] = await open_socket("/ws/notifications/", member.user)
        await receive_type(sockets[name], "notifications.unread")

    answer = await database_sync_to_async(call)(
        alice,
        "post",
        f"/api/events/{brokerage.event_id}/matchmaking/meetings/",
        {"with": bob.pk, "message": "Hi"},
    )
    meeting = answer.json()["id"]
    for name in ("alice", "bob"):
        message = await receive_type(sockets[name], "meeting")
        assert message == {
            "type": "meeting",
            "meeting": meeting,
            "event": brokerage.event_id,
            "status": "requested",
        }
    slot = await database_sync_to_async(lambda: brokerage.slots.first().pk)()
    await database_sync_to_async(call)(
        bob, "patch", f"/api/matchmaking/meetings/{meeting}/", {"status": "accepted", "slot": slot}
    )
    for name in ("alice", "bob"):
        assert (await receive_type(sockets[name], "meeting"))["status"] == "accepted"
    assert await sockets["carol"].receive_nothing(timeout=0.5)
    for socket in sockets.values():
        await socket.disconnect()
    assert json.dumps(message)
