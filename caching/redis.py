"""Django's Redis cache, reusing its redis-py clients, and riding out a Redis outage.

Django's ``RedisCacheClient`` builds a new ``redis.Redis`` for every cache call (the
connections themselves come from a pool); building one sets up several hundred response
callbacks, ~0.2 ms each time, and a request makes several cache calls (page cache,
throttles, generations). A client is safe to share: it takes a pooled connection for each
command. Django keeps one cache object per thread, so these clients are per thread too.

Everything the site keeps in this cache it can also work out from the database: copies of
pages and menus, generations, sessions (``cached_db``), throttle and login counts. So while
Redis cannot be reached, ``TolerantRedisCache`` (the site's cache) answers every read with
a miss and drops every write, and the site runs slower rather than answering 500. What must
know that Redis is gone (the WebSocket slots, which would otherwise all look taken) asks
``cache.raising``, the same cache without that tolerance.

A write dropped during an outage is lost: when Redis comes back without having restarted
(a network partition rather than a restart, which empties it), a page copy or session it
should have replaced or removed can be read again until it expires.
"""

import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger("caching")

# At most one warning per process in this many seconds: during an outage every request
# makes several cache calls.
WARNING_INTERVAL = 10.0

UNREACHABLE = (RedisError, OSError)


class ReusingRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(
                connection_pool=self._get_connection_pool(write)
            )
        return client


class ReusingRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient


class _Raising:
    """``cache`` as Redis answers it: an outage raises."""

    def __init__(self, cache: "TolerantRedisCache"):
        self._cache = cache

    def __getattr__(self, name):
        return getattr(super(TolerantRedisCache, self._cache), name)


def _tolerant(name: str, on_outage):
    """The cache's method ``name``, answering ``on_outage(*its arguments)`` while Redis
    cannot be reached."""

    def method(self, *args, **kwargs):
        try:
            return getattr(super(TolerantRedisCache, self), name)(*args, **kwargs)
        except UNREACHABLE as error:
            self._unreachable(name, error)
            return on_outage(*args, **kwargs)

    method.__name__ = name
    return method


def _nothing(*args, **kwargs):
    return None


def _no(*args, **kwargs):
    return False


def _not_found(key, *args, **kwargs):
    # As for a key that is not there: the callers of incr already handle that.
    raise ValueError(f"Key '{key}' not found: the cache is unreachable")


class TolerantRedisCache(ReusingRedisCache):
    """A miss for every read and a no-op for every write while Redis cannot be reached."""

    _last_warning = 0.0

    @property
    def raising(self):
        return _Raising(self)

    def _unreachable(self, operation: str, error: Exception) -> None:
        now = time.monotonic()
        if now - TolerantRedisCache._last_warning >= WARNING_INTERVAL:
            TolerantRedisCache._last_warning = now
            logger.warning(
                "cache unreachable, %s skipped (the site runs uncached): %s", operation, error
            )

    get = _tolerant("get", lambda key, default=None, version=None: default)
    get_many = _tolerant("get_many", lambda *args, **kwargs: {})
    has_key = _tolerant("has_key", _no)
    add = _tolerant("add", _no)
    set = _tolerant("set", _nothing)
    set_many = _tolerant("set_many", lambda data, *args, **kwargs: list(data))
    touch = _tolerant("touch", _no)
    incr = _tolerant("incr", _not_found)
    delete = _tolerant("delete", _no)
    delete_many = _tolerant("delete_many", _nothing)
    clear = _tolerant("clear", _no)
