"""The channels-redis layer, with a connection pool that waits for a free connection.

redis-py 8 gives each connection pool 100 connections and fails the 101st request at once
("Too many connections"). A reader joining a thread read by hundreds makes many sends at
the same moment (forum presence), and a failed send closed readers' sockets (the live
benchmark's figures are in bench/README.md). Here a send beyond the pool's size
waits for a connection to come free, and each server process holds a bounded number of
connections to Redis.
"""

from channels_redis.core import RedisChannelLayer
from redis.asyncio import BlockingConnectionPool


class WaitingRedisChannelLayer(RedisChannelLayer):
    def __init__(self, *args, pool_size: int = 100, pool_timeout: float = 10.0, **kwargs):
        super().__init__(*args, **kwargs)
        self.pool_size = pool_size
        self.pool_timeout = pool_timeout

    def create_pool(self, index):
        host = dict(self.hosts[index])
        address = host.pop("address", None)
        if address is None:  # a Sentinel or keyword host: channels-redis's own pool
            return super().create_pool(index)
        host.setdefault("socket_timeout", self.brpop_timeout + 10)
        return BlockingConnectionPool.from_url(
            address, max_connections=self.pool_size, timeout=self.pool_timeout, **host
        )
