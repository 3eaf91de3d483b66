"""Telling connected clients about committed changes, over the channel layer.

The database is the record: a broadcast that fails (Redis restarting or unreachable) is
logged and dropped, never raised, and never holds the request for long; clients catch up
from the database when they reconnect (`?after=<post id>`).
"""

import asyncio
import logging
import uuid

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import transaction

logger = logging.getLogger("forum.realtime")


def thread_group(thread_id: int) -> str:
    return f"forum.thread.{thread_id}"


def user_group(user_id: int) -> str:
    return f"forum.user.{user_id}"


def thread_event(*, event: str, thread_id: int, post_id: int | None = None) -> tuple[str, dict]:
    """A message for a thread's group; each consumer serialises the post for its viewer.

    ``id`` is unique per event, so that a process can prepare what all its anonymous
    readers receive once instead of once per socket.
    """
    return thread_group(thread_id), {
        "type": "forum.event",
        "id": uuid.uuid4().hex,
        "event": event,
        "thread_id": thread_id,
        "post_id": post_id,
    }


def notification_event(*, user_id: int, notification_id: int) -> tuple[str, dict]:
    return user_group(user_id), {"type": "forum.notification", "notification_id": notification_id}


def broadcast_on_commit(messages: list[tuple[str, dict]]) -> None:
    """Send ``messages`` (group, message) once the current transaction has committed."""
    if messages:
        transaction.on_commit(lambda: broadcast(messages))


def broadcast(messages: list[tuple[str, dict]]) -> bool:
    """Send ``messages`` now; False (and a log line) when the channel layer failed."""
    layer = get_channel_layer()
    if layer is None or not messages:
        return True
    timeout = settings.FORUM_BROADCAST_TIMEOUT

    async def send_all():
        results = await asyncio.wait_for(
            asyncio.gather(
                *(layer.group_send(group, message) for group, message in messages),
                return_exceptions=True,
            ),
            timeout,
        )
        return [result for result in results if isinstance(result, BaseException)]

    try:
        failures = async_to_sync(send_all)()
    except Exception as error:  # a timeout or a layer that cannot even start
        failures = [error]
    if failures:
        logger.warning(
            "forum broadcast failed for %d message(s) (%s); clients will catch up on reconnect",
            len(messages),
            "; ".join(f"{type(error).__name__}: {error}" for error in failures[:3]),
        )
        return False
    return True
