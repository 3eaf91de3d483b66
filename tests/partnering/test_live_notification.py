"""A matched co-admin's open notifications socket hears of a new partner request."""

import datetime

import pytest
from channels.db import database_sync_to_async
from django.utils import timezone

from partnering import services
from search.engines.base import database_engine
from tests.factories import make_member, make_organisation
from tests.forum.test_consumers import open_socket, receive_type

pytestmark = pytest.mark.django_db(transaction=True)


async def test_the_notifications_socket_gets_a_partner_request_event(settings):
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

    def prepare():
        author = make_member(username="ada").user
        coadmin = make_member(username="bert").user
        fitting = make_organisation(name="Berlin Hub", sectors=["Energy"])
        fitting.co_admins.add(coadmin)
        database_engine().rebuild()
        return author, coadmin

    author, coadmin = await database_sync_to_async(prepare)()
    socket = await open_socket("/ws/notifications/", coadmin)
    await receive_type(socket, "notifications.unread")

    def publish():
        return services.create_request(
            author=author,
            kind="cooperation",
            title="Energy cooperation",
            description="Cooperation on energy is sought.",
            sectors=["energy"],
            deadline=timezone.localdate() + datetime.timedelta(days=10),
            publish=True,
        )

    item = await database_sync_to_async(publish)()
    event = await receive_type(socket, "notification", timeout=10)
    assert event["kind"] == "partner_request"
    assert event["notification"]["message"] == "Energy cooperation"
    assert event["notification"]["url"].endswith(f"/partners/requests/{item.pk}/")
    assert event["unread"] == 1
    await socket.disconnect()
