"""Django's Redis cache, reusing its redis-py clients.

Django's ``RedisCacheClient`` builds a new ``redis.Redis`` for every cache call (the
connections themselves come from a pool); building one sets up several hundred response
callbacks, ~0.2 ms each time, and a request makes several cache calls (page cache,
throttles, generations). A client is safe to share: it takes a pooled connection for each
command. Django keeps one cache object per thread, so these clients are per thread too.
"""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


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
