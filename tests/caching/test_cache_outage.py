"""With Redis unreachable, the site's cache misses and drops writes: pages, sign-in and
posting go on from the database, and nothing answers 500. Nothing listens on the port these
tests point at, so they need no Redis of their own."""

import logging

import pytest
from django.test import Client
from redis.exceptions import ConnectionError as RedisConnectionError
from rest_framework.test import APIClient

from caching import generations
from caching.redis import TolerantRedisCache
from forum import services as forum
from forum.models import Category, Post
from tests.live import free_port


def unreachable_redis() -> str:
    return f"redis://127.0.0.1:{free_port()}/0"


@pytest.fixture
def cache_down(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "caching.redis.TolerantRedisCache",
            "LOCATION": unreachable_redis(),
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    settings.FORUM_POST_INTERVAL = 0
    settings.FORUM_DUPLICATE_WINDOW = 0
    settings.FORUM_NEW_ACCOUNT_DAILY_POSTS = 0
    settings.PAGE_CACHE_SECONDS = 60


def test_reads_miss_writes_are_dropped_and_one_warning_is_logged(caplog):
    TolerantRedisCache._last_warning = 0.0
    cache = TolerantRedisCache(unreachable_redis(), {"OPTIONS": {"socket_connect_timeout": 1}})
    with caplog.at_level(logging.WARNING, logger="caching"):
        assert cache.get("page", "fallback") == "fallback"
        assert cache.get_many(["a", "b"]) == {}
        assert cache.set("page", "copy", 60) is None
        assert cache.add("slot", "token", 60) is False
        assert cache.touch("slot", 60) is False
        assert cache.has_key("slot") is False
        assert cache.delete("page") is False
        assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]
        with pytest.raises(ValueError):
            cache.incr("generation")
    warnings = [r for r in caplog.records if r.name == "caching"]
    assert len(warnings) == 1  # not one for every call of the outage
    assert "cache unreachable" in warnings[0].getMessage()


def test_the_raising_view_tells_the_outage():
    cache = TolerantRedisCache(unreachable_redis(), {"OPTIONS": {"socket_connect_timeout": 1}})
    with pytest.raises(RedisConnectionError):
        cache.raising.get("slot")
    with pytest.raises(RedisConnectionError):
        cache.raising.add("slot", "token", 60)


def test_generations_go_on_without_the_cache(cache_down):
    first = generations.current("outage:test")
    assert isinstance(first, int)
    assert generations.advance("outage:test") is None
    assert len(generations.current_many(("outage:a", "outage:b"))) == 2


@pytest.mark.django_db
def test_anonymous_pages_are_served_uncached(cache_down):
    client = Client()
    for path in ("/", "/forum/", "/members/", "/partners/", "/api/forum/categories/"):
        assert client.get(path).status_code == 200, path
        assert client.get(path).status_code == 200, path  # the copy was not kept, nor needed


@pytest.mark.django_db
def test_a_member_signs_in_reads_and_posts(cache_down, member, other_member):
    category = Category.objects.create(name="Cluster management", slug="cluster-management")
    thread = forum.start_thread(
        category=category, author=member.user, title="Outage drill", body="Opening post"
    )
    browser = Client()
    browser.force_login(other_member.user)
    assert browser.get(f"/forum/threads/{thread.pk}/").status_code == 200
    assert browser.get("/members/").status_code == 200

    api = APIClient()
    api.force_authenticate(other_member.user)
    answer = api.post(
        f"/api/forum/threads/{thread.pk}/posts/", {"body": "Posted while the cache is down"}
    )
    assert answer.status_code == 201, answer.content
    assert Post.objects.filter(thread=thread, body__contains="cache is down").exists()
    # The new post is on the thread page at once: no copy of the page was kept.
    assert "cache is down" in browser.get(f"/forum/threads/{thread.pk}/").content.decode()
