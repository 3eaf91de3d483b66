"""Private conversations (the threads that partner requests open): only their participants,
and the co-admins of their organisations, read them, over every path of the forum."""

import pytest
from channels.db import database_sync_to_async
from django.contrib.auth.models import Group
from django.test import TestCase

from forum import services
from forum.models import Category, Notification, Thread
from forum.permissions import may_read_thread
from tests.factories import make_member, make_organisation
from tests.forum.test_consumers import open_socket, receive_type

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _unthrottled(settings):
    settings.FORUM_POST_INTERVAL = 0
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}


@pytest.fixture
def conversation():
    alice = make_member(username="alice").user
    bob = make_member(username="bob").user
    organisation = make_organisation(name="Bob's Cluster")
    colleague = make_member(username="carla").user
    organisation.co_admins.add(colleague)
    thread = services.start_private_thread(
        author=alice,
        title="Our partnership",
        body="Private terms.",
        users=[bob],
        organisations=[organisation],
    )
    return {"thread": thread, "alice": alice, "bob": bob, "carla": colleague}


def test_participants_and_co_admins_read_it_and_nobody_else(conversation):
    thread = Thread.objects.select_related("category").get(pk=conversation["thread"].pk)
    stranger = make_member(username="stan").user
    moderator = make_member(username="mod").user
    moderator.groups.add(Group.objects.get_or_create(name="Moderators")[0])
    for name in ("alice", "bob", "carla"):
        assert may_read_thread(conversation[name], thread), name
        assert Thread.objects.visible_to(conversation[name]).filter(pk=thread.pk).exists()
    for outsider in (stranger, moderator):
        assert not may_read_thread(outsider, thread)
        assert not Thread.objects.visible_to(outsider).filter(pk=thread.pk).exists()
    # Its category is listed to nobody, and nobody starts a thread in it.
    category = Category.objects.get(visibility="private")
    assert not Category.objects.visible_to(conversation["alice"]).filter(pk=category.pk).exists()
    with pytest.raises(Exception):  # noqa: B017 - PermissionDenied
        services.start_thread(
            category=category, author=stranger, title="Let me in", body="Hello there."
        )


def test_a_mention_of_an_outsider_notifies_nobody(conversation):
    stranger = make_member(username="stan").user
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.post_reply(
            thread=conversation["thread"], author=conversation["alice"], body="Hi @stan and @bob"
        )
    assert not Notification.objects.filter(recipient=stranger).exists()
    assert Notification.objects.filter(recipient=conversation["bob"], kind="mention").exists()


async def test_only_participants_open_its_socket_and_catch_up(conversation):
    stranger = await database_sync_to_async(lambda: make_member(username="stan").user)()
    path = f"/ws/forum/threads/{conversation['thread'].pk}/?after=0"
    refused = await open_socket(path, stranger, expect=False)
    await refused.disconnect()
    anonymous = await open_socket(path, None, expect=False)
    await anonymous.disconnect()
    carla = await open_socket(path, conversation["carla"])
    caught_up = await receive_type(carla, "post.created")
    assert "Private terms." in caught_up["post"]["body_html"]
    await database_sync_to_async(services.post_reply)(
        thread=conversation["thread"], author=conversation["bob"], body="Agreed."
    )
    live = await receive_type(carla, "post.created")
    assert "Agreed." in live["post"]["body_html"]
    await carla.disconnect()


async def test_a_co_admin_removed_from_the_organisation_loses_the_socket(conversation):
    path = f"/ws/forum/threads/{conversation['thread'].pk}/"
    carla = await open_socket(path, conversation["carla"])

    def remove():
        from members.models import Organisation

        Organisation.objects.get(name="Bob's Cluster").co_admins.remove(conversation["carla"])
        services.post_reply(
            thread=conversation["thread"], author=conversation["alice"], body="After you left."
        )

    await database_sync_to_async(remove)()
    revoked = await receive_type(carla, "access.revoked")
    assert revoked["type"] == "access.revoked"
    await carla.disconnect()
