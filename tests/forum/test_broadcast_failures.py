"""A post the API accepted is stored even when the channel layer (Redis) is unreachable."""

import logging
import time

import pytest
from channels.layers import channel_layers
from rest_framework.test import APIClient

from forum.models import Post

pytestmark = pytest.mark.django_db(transaction=True)


def redis_layer_at(url):
    return {
        "default": {
            "BACKEND": "config.channel_layer.WaitingRedisChannelLayer",
            "CONFIG": {"hosts": [url]},
        }
    }


@pytest.mark.parametrize(
    "url",
    [
        "redis://127.0.0.1:1/0",  # nothing listens: refused at once
        "redis://10.255.255.1:6379/0",  # a black hole: only the timeout ends the wait
    ],
)
def test_an_unreachable_redis_still_stores_the_post_answers_201_and_logs(
    settings, caplog, public_thread, other_member, url
):
    settings.CHANNEL_LAYERS = redis_layer_at(url)
    settings.FORUM_BROADCAST_TIMEOUT = 0.5
    client = APIClient()
    client.force_authenticate(other_member.user)
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="forum.realtime"):
        answer = client.post(
            f"/api/forum/threads/{public_thread.pk}/posts/", {"body": "Stored anyway"}
        )
    assert answer.status_code == 201
    assert Post.objects.filter(pk=answer.json()["id"], body="Stored anyway").exists()
    assert time.monotonic() - started < 5
    assert any("forum broadcast failed" in r.getMessage() for r in caplog.records)
    channel_layers.backends.clear()
