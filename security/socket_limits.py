"""How many WebSockets one client may hold open at once, on every route.

A signed-in member counts by account, anyone else by client address (the site's one rule,
``security.client_address``). ``WS_MAX_SOCKETS_PER_CLIENT`` sockets may be open at once; the
next is accepted and closed at once with ``CLOSE_TOO_MANY_SOCKETS`` (4429), after an
``{"type": "error", "code": "too_many_sockets"}`` message: a socket refused during the
handshake reaches a browser as a bare failure, whereas a close code is readable in its
``close`` event.

Each open socket holds one of the client's numbered slots in the cache (Redis when
REDIS_URL is set, so every server process sees the same slots). A slot is a lease of
``WS_SOCKET_LEASE_SECONDS`` that its socket renews while it lives and gives back when it
closes; the slots of a process that crashed expire with their lease, so nobody is locked
out by sockets that no longer exist.
"""

import asyncio
import json
import logging
import secrets

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from security.client_address import client_address_of_scope

logger = logging.getLogger("security.socket_limits")

CLOSE_TOO_MANY_SOCKETS = 4429
KEY_PREFIX = "ws-sockets"


def holder_of(scope) -> str:
    """Whose slots a socket takes: the member's, or the client address's."""
    user = scope.get("user")
    if user is not None and user.is_authenticated:
        return f"member:{user.pk}"
    return f"address:{client_address_of_scope(scope)}"


def _slot_keys(holder: str) -> list[str]:
    return [f"{KEY_PREFIX}:{holder}:{n}" for n in range(settings.WS_MAX_SOCKETS_PER_CLIENT)]


def _slots():
    """The cache as Redis answers it: an outage must raise here, not read as every slot
    taken (the site's cache answers a miss then, caching/redis.py)."""
    return getattr(cache, "raising", cache)


class Lease:
    """One slot held by one socket."""

    def __init__(self, key: str, token: str):
        self.key, self.token = key, token

    @classmethod
    def take(cls, holder: str) -> "Lease | None":
        """A free slot of ``holder``'s, or None when all are taken.

        ``cache.add`` is atomic (SET NX on Redis), so two sockets racing for the last slot
        cannot both get it.
        """
        keys = _slot_keys(holder)
        slots = _slots()
        taken = slots.get_many(keys)
        token = secrets.token_hex(8)
        for key in keys:
            if key not in taken and slots.add(key, token, timeout=settings.WS_SOCKET_LEASE_SECONDS):
                return cls(key, token)
        return None

    def renew(self) -> None:
        slots = _slots()
        if not slots.touch(self.key, timeout=settings.WS_SOCKET_LEASE_SECONDS):
            # Expired while this process was stalled: take the slot again if still free.
            slots.add(self.key, self.token, timeout=settings.WS_SOCKET_LEASE_SECONDS)

    def give_back(self) -> None:
        slots = _slots()
        if slots.get(self.key) == self.token:
            slots.delete(self.key)


# Cache calls run in threads of their own: the thread that database_sync_to_async shares
# among every socket of the process must not wait on Redis round trips.
_take = sync_to_async(Lease.take, thread_sensitive=False)


class SocketLimitMiddleware:
    """ASGI middleware under the authentication middleware: ``scope["user"]`` is known."""

    def __init__(self, inner):
        self.inner = inner

    async def __call__(self, scope, receive, send):
        if scope["type"] != "websocket":
            return await self.inner(scope, receive, send)
        holder = holder_of(scope)
        try:
            lease = await _take(holder)
        except Exception as error:
            # The cache (Redis) is down: the limit is a guard against abuse, not a reason
            # to refuse everyone; the sockets themselves say when live updates are down.
            logger.warning("socket limit not applied for %s: %s", holder, error)
            return await self.inner(scope, receive, send)
        if lease is None:
            logger.info("refusing a socket of %s: %d open", holder, len(_slot_keys(holder)))
            await refuse(receive, send)
            return None
        keeper = asyncio.ensure_future(keep(lease))
        try:
            return await self.inner(scope, receive, send)
        finally:
            keeper.cancel()
            try:
                await sync_to_async(lease.give_back, thread_sensitive=False)()
            except Exception as error:
                logger.warning("socket slot %s not given back: %s", lease.key, error)


async def keep(lease: Lease) -> None:
    """Renew ``lease`` while its socket lives, three times per lease period."""
    interval = settings.WS_SOCKET_LEASE_SECONDS / 3
    renew = sync_to_async(lease.renew, thread_sensitive=False)
    while True:
        await asyncio.sleep(interval)
        try:
            await renew()
        except Exception as error:
            logger.warning("socket slot %s not renewed: %s", lease.key, error)


async def refuse(receive, send) -> None:
    """Accept, say why, close with CLOSE_TOO_MANY_SOCKETS: the client can read the code."""
    message = await receive()
    if message["type"] != "websocket.connect":
        return
    detail = _("Too many open connections: close another tab or window and try again.")
    await send({"type": "websocket.accept"})
    await send(
        {
            "type": "websocket.send",
            "text": json.dumps({"type": "error", "code": "too_many_sockets", "detail": detail}),
        }
    )
    await send({"type": "websocket.close", "code": CLOSE_TOO_MANY_SOCKETS})
