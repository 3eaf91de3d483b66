"""The site's Redis cache: Django's, with its redis-py clients built once, not per call."""

import os
import threading

import pytest

from caching.redis import ReusingRedisCache

pytestmark = pytest.mark.redis


@pytest.fixture
def redis_cache():
    cache = ReusingRedisCache(
        os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        {"KEY_PREFIX": "test-reusing-cache"},
    )
    yield cache
    cache.clear()


def test_it_behaves_as_djangos_cache(redis_cache):
    assert redis_cache.get("missing", "default") == "default"
    redis_cache.set("answer", {"value": 42}, 60)
    assert redis_cache.get("answer") == {"value": 42}
    assert redis_cache.add("answer", "other") is False
    assert redis_cache.add("counter", 0) is True
    assert redis_cache.incr("counter", 2) == 2
    assert redis_cache.get_many(["answer", "missing"]) == {"answer": {"value": 42}}
    redis_cache.delete("answer")
    assert redis_cache.get("answer") is None


def test_calls_share_one_client_and_threads_share_the_cache_safely(redis_cache):
    client = redis_cache._cache.get_client()
    assert redis_cache._cache.get_client() is client
    assert redis_cache._cache.get_client(write=True) is client  # one server: one pool

    errors = []

    def work(n):
        try:
            for i in range(50):
                redis_cache.set(f"t{n}-{i}", i)
                assert redis_cache.get(f"t{n}-{i}") == i
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
