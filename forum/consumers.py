"""WebSocket consumers of the forum (DESIGN.md, "HTTP and WebSocket contract").

``ws/forum/threads/<id>/``: anyone who may read the thread connects (anonymous readers
for public categories). ``?after=<post id>`` first sends the posts missed since then, then
live events: ``post.created``, ``post.updated``, ``post.deleted`` (each with the post
serialised as the REST API does, for this reader), ``thread.updated``, ``typing`` and
``presence``. Clients send ``{"type": "typing"}`` and may post with
``{"type": "post", "body": "..."}`` (the same service as the REST API).

``ws/notifications/``: the signed-in member's notifications as ``notification`` events
with the unread count.

Access is checked on connect, before every acting message and again for every event
delivered, so a reader who loses access (thread moved to a members-only category,
account disabled) is told and disconnected. Frames over FORUM_WS_MAX_FRAME bytes close the
socket; a client that floods is throttled, then closed, without touching the database.
"""

import asyncio
import hashlib
import json
import logging
import time
from collections import OrderedDict

from channels.db import database_sync_to_async
from channels.exceptions import ChannelFull
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from domain.exceptions import Conflict, RateLimited
from forum import realtime, services
from forum.models import Notification, Post, Thread
from forum.permissions import is_active_member, may_read_thread, may_see_post, shown_name
from webapi.params import parse_integer

logger = logging.getLogger("forum.consumers")

CLOSE_FORBIDDEN = 4403
CLOSE_TOO_BIG = 1009
CLOSE_FLOODING = 4429
CLOSE_TRY_AGAIN_LATER = 1013
CATCH_UP_LIMIT = 500


REVOKED = object()
SHARED_VIEWS_KEPT = 256
_shared_views: "OrderedDict[str, asyncio.Future]" = OrderedDict()


async def shared_view(key: str, compute):
    """The result of ``compute()`` for ``key``, computed once per process: concurrent
    callers with the same key wait for the first one's result."""
    future = _shared_views.get(key)
    if future is None or future.get_loop() is not asyncio.get_running_loop():
        future = asyncio.get_running_loop().create_future()
        _shared_views[key] = future
        while len(_shared_views) > SHARED_VIEWS_KEPT:
            _shared_views.popitem(last=False)
        try:
            future.set_result(await compute())
        except Exception as error:
            _shared_views.pop(key, None)
            future.set_exception(error)
            future.exception()  # retrieved here; the waiters re-raise it below
    return await future


class TokenBucket:
    """Allows ``rate`` messages a second on average, bursts of ``burst``."""

    def __init__(self, *, rate: float, burst: int):
        self.rate, self.capacity = rate, burst
        self.tokens, self.updated = float(burst), time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False


class GuardedConsumer(AsyncWebsocketConsumer):
    """Size limit and flood control shared by the forum's sockets."""

    async def websocket_connect(self, message):
        self.bucket = TokenBucket(
            rate=settings.FORUM_WS_MESSAGES_PER_SECOND,
            burst=settings.FORUM_WS_BURST,
        )
        self.dropped = 0
        self.closed = False
        await super().websocket_connect(message)

    async def receive(self, text_data=None, bytes_data=None):
        size = len(text_data.encode()) if text_data is not None else len(bytes_data or b"")
        if size > settings.FORUM_WS_MAX_FRAME:
            logger.info("closing %s: frame of %d bytes", self.channel_name, size)
            await self.shut(CLOSE_TOO_BIG)
            return
        if not self.bucket.take():
            self.dropped += 1
            if self.dropped == 1:
                await self.send_json(
                    {
                        "type": "error",
                        "code": "throttled",
                        "detail": _("Slow down: messages are being dropped."),
                    }
                )
            if self.dropped > settings.FORUM_WS_MAX_DROPPED:
                logger.info("closing %s: flooding", self.channel_name)
                await self.shut(CLOSE_FLOODING)
            return
        if text_data is None:
            await self.send_error("bad_frame", _("Send JSON text frames."))
            return
        try:
            content = json.loads(text_data)
        except ValueError:
            await self.send_error("bad_json", _("Send a JSON object."))
            return
        if not isinstance(content, dict) or not isinstance(content.get("type"), str):
            await self.send_error("bad_message", _("A message needs a type."))
            return
        await self.receive_message(content)

    async def receive_message(self, content: dict) -> None:
        await self.send_error("unknown_type", _("Unknown message type."))

    async def send_json(self, content: dict) -> None:
        if not self.closed:
            await self.send(text_data=json.dumps(content, default=str))

    async def send_error(self, code: str, detail: str, **extra) -> None:
        await self.send_json({"type": "error", "code": code, "detail": detail, **extra})

    async def shut(self, code: int) -> None:
        if not self.closed:
            self.closed = True
            await self.close(code=code)


@database_sync_to_async
def _fresh_user(user):
    """The viewer as stored now (None when the account is gone); anonymous stays as is."""
    if not user.is_authenticated:
        return user
    return get_user_model().objects.select_related("profile").filter(pk=user.pk).first()


@database_sync_to_async
def _load_thread(thread_id: int):
    return Thread.objects.select_related("category").filter(pk=thread_id).first()


DEPARTURES_REMEMBERED = 500


class ThreadConsumer(GuardedConsumer):
    async def connect(self):
        self.thread_id = int(self.scope["url_route"]["kwargs"]["thread_id"])
        self.group = realtime.thread_group(self.thread_id)
        self.viewers: dict[str, dict | None] = {}
        # Readers seen leaving, newest last: an older roster must not bring them back. A
        # roster is at most seconds old, so the last few hundred departures are enough.
        self.departed: OrderedDict[str, None] = OrderedDict()
        self.joined_at = time.monotonic()
        self.presence_due = False
        self.last_typing = 0.0
        self.user = self.scope.get("user")
        if not await self.may_read():
            await self.close(code=CLOSE_FORBIDDEN)
            return
        after = self._after_param()
        await self.accept()
        # Join first, then read: a post stored in between arrives twice (clients keep
        # posts by id) rather than not at all.
        try:
            await self.channel_layer.group_add(self.group, self.channel_name)
        except Exception as error:
            # The layer (Redis) is down, the database is not: the reader still gets what
            # they missed, and is asked to come back for live events.
            logger.warning("live updates unavailable for thread %s: %s", self.thread_id, error)
            await self.send_missed_posts(after)
            await self.send_error(
                "live_unavailable", _("Live updates are briefly unavailable; reconnect shortly.")
            )
            await self.shut(CLOSE_TRY_AGAIN_LATER)
            return
        self.joined = True
        self.joined_at = time.monotonic()
        await self.send_missed_posts(after)
        await self.channel_layer.group_send(self.group, self.presence_message("join"))

    async def send_missed_posts(self, after: int | None) -> None:
        if after is not None:
            for payload in await self.missed_posts(after):
                await self.send_json({"type": "post.created", "post": payload})

    def _after_param(self) -> int | None:
        from urllib.parse import parse_qs

        query = parse_qs(self.scope.get("query_string", b"").decode("latin-1"))
        value = (query.get("after") or [""])[0]
        try:
            # The site's one rule for numbers: "²" passes str.isdigit() but not int(), and a
            # 40-digit id overflows the database's column.
            return parse_integer(value, name="after", min_value=0)
        except ValidationError:
            return None

    async def disconnect(self, code):
        pending = getattr(self, "presence_task", None)
        if pending is not None:
            pending.cancel()
        if getattr(self, "joined", False):
            self.joined = False
            await self.channel_layer.group_discard(self.group, self.channel_name)
            try:
                await self.channel_layer.group_send(self.group, self.presence_message("leave"))
            except Exception:  # the layer is down: the others' sockets will notice too
                logger.warning("presence leave not sent for %s", self.channel_name)

    async def may_read(self) -> bool:
        """Re-read the viewer and the thread: both may have changed since connecting."""
        self.user = await _fresh_user(self.user) if self.user is not None else None
        if self.user is None or (self.user.is_authenticated and not self.user.is_active):
            return False
        self.thread = await _load_thread(self.thread_id)
        if self.thread is None:
            return False
        if self.thread.is_private:
            # Its participants are read from the database: not in the event loop.
            return await database_sync_to_async(may_read_thread)(self.user, self.thread)
        return may_read_thread(self.user, self.thread)

    async def lose_access(self) -> None:
        await self.send_json(
            {"type": "access.revoked", "detail": _("You can no longer read this thread.")}
        )
        await self.shut(CLOSE_FORBIDDEN)

    @database_sync_to_async
    def missed_posts(self, after: int) -> list[dict]:
        from forum.api import posts_for, serialize_post

        posts = posts_for(self.user).filter(thread_id=self.thread_id, pk__gt=after).order_by("pk")
        return [serialize_post(post, self.user) for post in posts[:CATCH_UP_LIMIT]]

    @database_sync_to_async
    def serialised_post(self, post_id: int) -> dict | None:
        from forum.api import serialize_post

        post = (
            Post.objects.select_related("author__profile")
            .prefetch_related("reactions")
            .filter(pk=post_id, thread_id=self.thread_id)
            .first()
        )
        if post is None:
            return None
        if not may_see_post(self.user, post):
            # A removed post goes out as a deletion with its words blanked.
            return {**serialize_post(post, self.user), "body_html": ""}
        return serialize_post(post, self.user)

    # --- from the client ------------------------------------------------------------------

    async def receive_message(self, content: dict) -> None:
        kind = content["type"]
        if kind == "typing":
            await self.on_typing()
        elif kind == "post":
            await self.on_post(content)
        elif kind == "ping":
            await self.send_json({"type": "pong"})
        else:
            await self.send_error("unknown_type", _("Unknown message type."))

    async def on_typing(self) -> None:
        if not await self.may_read():
            await self.lose_access()
            return
        if not is_active_member(self.user):
            await self.send_error("sign_in", _("Sign in to take part."))
            return
        now = time.monotonic()
        if now - self.last_typing < settings.FORUM_TYPING_INTERVAL:
            return
        self.last_typing = now
        await self.channel_layer.group_send(
            self.group,
            {"type": "forum.typing", "sender": self.channel_name, **self.identity()},
        )

    async def on_post(self, content: dict) -> None:
        if not await self.may_read():
            await self.lose_access()
            return
        body = content.get("body")
        try:
            post = await database_sync_to_async(services.post_reply)(
                thread=self.thread, author=self.user, body=body if isinstance(body, str) else ""
            )
        except ValidationError as error:
            detail = error.message_dict if hasattr(error, "error_dict") else error.messages
            await self.send_error(
                "invalid", _("The post was not stored."), errors=detail, status=400
            )
        except PermissionDenied as error:
            await self.send_error("forbidden", str(error), status=403)
        except Conflict as error:
            await self.send_error(error.code, error.message, status=409)
        except RateLimited as error:
            await self.send_error(
                "rate_limited", error.message, status=429, retry_after=error.retry_after
            )
        else:
            await self.send_json({"type": "post.accepted", "id": post.pk})

    # --- from the channel layer -----------------------------------------------------------

    async def forum_event(self, event: dict) -> None:
        if self.closed:
            return
        if self.user is not None and not self.user.is_authenticated and event.get("id"):
            # Every anonymous reader gets the same view of an event: one process works it
            # out once, however many anonymous sockets it serves.
            message = await shared_view(event["id"], lambda: self.view_of(event))
        else:
            message = await self.view_of(event)
        if message is REVOKED:
            await self.lose_access()
        elif message is not None:
            await self.send_json(message)

    async def view_of(self, event: dict):
        """What this reader receives for ``event``: a message, None, or REVOKED."""
        if not await self.may_read():
            return REVOKED
        if event["event"] == "thread.updated":
            thread = self.thread
            return {
                "type": "thread.updated",
                "thread": {
                    "id": thread.pk,
                    "title": thread.title,
                    "locked": thread.locked,
                    "pinned": thread.pinned,
                    "category": {"id": thread.category_id, "name": thread.category.name},
                },
            }
        payload = await self.serialised_post(event["post_id"])
        return None if payload is None else {"type": event["event"], "post": payload}

    async def forum_typing(self, event: dict) -> None:
        if event["sender"] == self.channel_name or self.closed:
            return
        await self.send_json({"type": "typing", "user": self.shown(event)})

    async def forum_presence(self, event: dict) -> None:
        sender = event["sender"]
        if sender == self.channel_name or self.closed:
            return
        action = event["action"]
        entry = {key: value for key, value in event.items() if key != "roster"}
        if action == "leave":
            self.viewers.pop(sender, None)
            self.departed[sender] = None
            if len(self.departed) > DEPARTURES_REMEMBERED:
                self.departed.popitem(last=False)
        else:
            self.viewers[sender] = entry
            # A roster from a reader who was here before us: everyone it knows.
            for channel, known in (event.get("roster") or {}).items():
                if channel != self.channel_name and channel not in self.departed:
                    self.viewers.setdefault(channel, known)
            if action == "join" and self.answers_newcomer(sender):
                # A few readers, not all, tell the newcomer who is here, with the whole
                # roster: all of them answering meant n messages per newcomer, n² while a
                # crowd joins, and a full newcomer channel past ~75 readers.
                roster = {ch: known for ch, known in self.viewers.items() if ch != sender}
                try:
                    await self.channel_layer.send(
                        sender, {**self.presence_message("here"), "roster": roster}
                    )
                except ChannelFull:
                    # This reader's socket must not die for a newcomer's full channel.
                    logger.debug("presence reply to %s dropped: channel full", sender)
        self.schedule_presence()

    def answers_newcomer(self, newcomer: str) -> bool:
        """Whether this reader is one of the few that answer ``newcomer``.

        Every reader knows the same viewers, so each works out the same few: those whose
        channel names hash lowest together with the newcomer's. Rosters that differ for a
        moment only make one reader more or fewer answer. A reader who joined a moment ago
        may be missing from those rosters still, so it answers for itself.
        """
        if time.monotonic() - self.joined_at < settings.FORUM_PRESENCE_SETTLE:
            return True

        def draw(channel: str) -> str:
            return hashlib.blake2b(f"{newcomer}|{channel}".encode(), digest_size=8).hexdigest()

        readers = [channel for channel in self.viewers if channel != newcomer]
        readers.append(self.channel_name)
        answering = sorted(readers, key=draw)[: settings.FORUM_PRESENCE_ANSWERS]
        return self.channel_name in answering

    def schedule_presence(self) -> None:
        """One presence frame for all the joins and leaves of a short moment: a crowd
        joining would otherwise send every reader a frame per newcomer."""
        if self.presence_due:
            return
        self.presence_due = True
        delay = settings.FORUM_PRESENCE_DELAY

        async def send_later():
            await asyncio.sleep(delay)
            self.presence_due = False
            if not self.closed:
                await self.send_presence()

        self.presence_task = asyncio.ensure_future(send_later())

    async def send_presence(self) -> None:
        members: dict[int, dict] = {}
        guests = 0
        for entry in self.viewers.values():
            if entry.get("user_id") is None:
                guests += 1
            elif entry["user_id"] != getattr(self.user, "pk", None):
                # One entry per member however many tabs they have open.
                members[entry["user_id"]] = self.shown(entry)
        await self.send_json(
            {
                "type": "presence",
                "viewers": sorted(members.values(), key=lambda v: v["display_name"]),
                "guests": guests,
            }
        )

    def identity(self) -> dict:
        user = self.user
        if user is None or not user.is_authenticated:
            return {"user_id": None, "profile_id": None, "name": "", "visibility": ""}
        profile = getattr(user, "profile", None)
        return {
            "user_id": user.pk,
            "profile_id": profile.pk if profile else None,
            "name": profile.name if profile else user.get_username(),
            "visibility": profile.visibility if profile else "hidden",
        }

    def presence_message(self, action: str) -> dict:
        return {
            "type": "forum.presence",
            "action": action,
            "sender": self.channel_name,
            **self.identity(),
        }

    def shown(self, entry: dict) -> dict:
        """{id, display_name} of another viewer as this viewer may see them."""
        name = shown_name(
            author_id=entry["user_id"],
            name=entry["name"],
            visibility=entry["visibility"],
            viewer=self.user,
        )
        return {"id": entry["profile_id"] if name == entry["name"] else None, "display_name": name}


class NotificationConsumer(GuardedConsumer):
    async def connect(self):
        user = self.scope.get("user")
        self.user = await _fresh_user(user) if user is not None else None
        if not is_active_member(self.user):
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.group = realtime.user_group(self.user.pk)
        await self.accept()
        await self.channel_layer.group_add(self.group, self.channel_name)
        self.joined = True
        await self.send_json({"type": "notifications.unread", "count": await self.unread()})

    async def disconnect(self, code):
        pending = getattr(self, "presence_task", None)
        if pending is not None:
            pending.cancel()
        if getattr(self, "joined", False):
            self.joined = False
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_message(self, content: dict) -> None:
        if content["type"] == "ping":
            await self.send_json({"type": "pong"})
        else:
            await self.send_error("unknown_type", _("Unknown message type."))

    @database_sync_to_async
    def unread(self) -> int:
        return Notification.objects.filter(recipient=self.user, read__isnull=True).count()

    @database_sync_to_async
    def serialised(self, notification_id: int) -> dict | None:
        from forum.api import serialize_notification

        notification = (
            Notification.objects.select_related("thread__category", "actor__profile")
            .filter(pk=notification_id, recipient=self.user)
            .first()
        )
        if notification is None:
            return None
        if notification.thread is not None and not may_read_thread(self.user, notification.thread):
            return None
        return serialize_notification(notification, self.user)

    async def forum_notification(self, event: dict) -> None:
        if self.closed:
            return
        self.user = await _fresh_user(self.user)
        if not is_active_member(self.user):
            await self.send_json({"type": "access.revoked"})
            await self.shut(CLOSE_FORBIDDEN)
            return
        payload = await self.serialised(event["notification_id"])
        if payload is not None:
            await self.send_json(
                {
                    "type": "notification",
                    "kind": payload["kind"],
                    "notification": payload,
                    "unread": await self.unread(),
                }
            )

    async def matchmaking_meeting(self, event: dict) -> None:
        """A meeting of this member changed (matchmaking sends ids only); the client reads
        its agenda again through the API, which checks that the reader takes part."""
        if self.closed:
            return
        await self.send_json(
            {
                "type": "meeting",
                "meeting": event["meeting_id"],
                "event": event["event_id"],
                "status": event["status"],
            }
        )
