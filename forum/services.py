"""Everything that changes the forum: the one place views, the API, consumers and the admin
call.

Each function runs in one transaction, checks who may act, and tells connected clients
about the change only after the commit (forum/realtime.py), so nobody hears about a row
that was rolled back. Bad input raises ``ValidationError`` (400), a forbidden action
``PermissionDenied`` (403), a state that forbids it ``Conflict`` (409) and acting too
often ``RateLimited`` (429).

Rate limits follow Discourse: a minimum interval between two posts of one member, a daily
cap for accounts younger than a day, and the same text posted twice within a few minutes
is refused. Moderators are exempt. Settings (seconds unless said): FORUM_POST_INTERVAL
(10), FORUM_NEW_ACCOUNT_HOURS (24), FORUM_NEW_ACCOUNT_DAILY_POSTS (10),
FORUM_DUPLICATE_WINDOW (300), FORUM_EDIT_WINDOW (86400).
"""

import math
import re
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from domain.exceptions import Conflict, RateLimited
from forum import realtime, selectors
from forum import tasks as forum_tasks
from forum.models import (
    Category,
    Flag,
    Notification,
    Post,
    PostRevision,
    Reaction,
    ReadState,
    Subscription,
    Thread,
    ThreadParticipant,
)
from forum.permissions import is_active_member, is_moderator, may_read_category, may_read_thread
from forum.rendering import mentioned_usernames, render_markdown
from members.models import preferred_language
from taskqueue.tasks import enqueue

TITLE_MIN, TITLE_MAX = 5, 200
BODY_MIN, BODY_MAX = 2, 20_000
TAGS_MAX = 5
TAG_PATTERN = re.compile(r"^[\w][\w .+#-]{0,49}$")
MENTIONS_MAX = 10


# --- checks -------------------------------------------------------------------------------


def _require_member(user) -> None:
    if not is_active_member(user):
        raise PermissionDenied(_("Sign in with an active account to take part."))


def _require_moderator(user) -> None:
    if not is_moderator(user):
        raise PermissionDenied(_("Only moderators may do this."))


def _require_readable(user, thread: Thread) -> None:
    if not may_read_thread(user, thread):
        raise PermissionDenied(_("You may not read this thread."))


def clean_body(body) -> str:
    body = (body or "").strip() if isinstance(body, str) else ""
    if len(body) < BODY_MIN:
        raise ValidationError({"body": [_("Write at least %d characters.") % BODY_MIN]})
    if len(body) > BODY_MAX:
        raise ValidationError({"body": [_("Write at most %d characters.") % BODY_MAX]})
    if "\x00" in body:
        raise ValidationError({"body": [_("The text contains a null character.")]})
    return body


def clean_title(title) -> str:
    title = " ".join(title.split()) if isinstance(title, str) else ""
    if len(title) < TITLE_MIN:
        raise ValidationError(
            {"title": [_("Write a title of at least %d characters.") % TITLE_MIN]}
        )
    if len(title) > TITLE_MAX:
        raise ValidationError({"title": [_("Keep the title under %d characters.") % TITLE_MAX]})
    return title


def clean_tags(tags: Iterable[str]) -> list[str]:
    cleaned: list[str] = []
    for tag in tags or ():
        tag = " ".join(str(tag).split()).lower()
        if not tag:
            continue
        if not TAG_PATTERN.match(tag):
            raise ValidationError({"tags": [_("“%s” is not a valid tag.") % tag[:60]]})
        if tag not in cleaned:
            cleaned.append(tag)
    if len(cleaned) > TAGS_MAX:
        raise ValidationError({"tags": [_("Give at most %d tags.") % TAGS_MAX]})
    return cleaned


def _normalised(text: str) -> str:
    return " ".join(text.split()).lower()


def check_rate_limits(*, author, body: str) -> None:
    """Raise ``RateLimited`` when ``author`` may not post ``body`` now.

    The caller holds a lock on the author's user row, so two requests of one member
    cannot both pass the checks before either has stored its post.
    """
    if is_moderator(author):
        return
    now = timezone.now()
    recent = Post.objects.filter(author=author)
    interval = settings.FORUM_POST_INTERVAL
    last = recent.order_by("-created").values_list("created", flat=True).first()
    if interval and last and now - last < timedelta(seconds=interval):
        wait = interval - (now - last).total_seconds()
        raise RateLimited(
            _("You are posting too fast; wait %d seconds.") % math.ceil(wait),
            retry_after=math.ceil(wait),
        )
    window = settings.FORUM_DUPLICATE_WINDOW
    if window:
        since = now - timedelta(seconds=window)
        wanted = _normalised(body)
        for created, text in recent.filter(created__gte=since, deleted__isnull=True).values_list(
            "created", "body"
        ):
            if _normalised(text) == wanted:
                wait = window - (now - created).total_seconds()
                raise RateLimited(
                    _("You posted the same text a moment ago."), retry_after=math.ceil(wait)
                )
    young = timedelta(hours=settings.FORUM_NEW_ACCOUNT_HOURS)
    cap = settings.FORUM_NEW_ACCOUNT_DAILY_POSTS
    if cap and author.date_joined and now - author.date_joined < young:
        day_ago = now - timedelta(days=1)
        today = list(
            recent.filter(created__gte=day_ago)
            .order_by("created")
            .values_list("created", flat=True)
        )
        if len(today) >= cap:
            wait = (today[-cap] + timedelta(days=1) - now).total_seconds()
            raise RateLimited(
                _("New accounts may write %d posts a day; try again later.") % cap,
                retry_after=math.ceil(wait),
            )


def _lock_user(user):
    return get_user_model().objects.select_for_update().get(pk=user.pk)


# --- notifications --------------------------------------------------------------------------


def _notify(
    *, recipients: Iterable, kind: str, thread: Thread, post: Post | None, actor, message: str
) -> list[Notification]:
    rows = [
        Notification(
            recipient=recipient, kind=kind, thread=thread, post=post, actor=actor, message=message
        )
        for recipient in recipients
    ]
    return Notification.objects.bulk_create(rows) if rows else []


def _mention_recipients(*, text: str, thread: Thread, author, exclude_text: str = "") -> list:
    """Active members named as @username in ``text`` (not already in ``exclude_text``) who
    may read ``thread``; never the author."""
    names = mentioned_usernames(text) - mentioned_usernames(exclude_text)
    if not names:
        return []
    names = sorted(names)[:MENTIONS_MAX]
    query = None
    for name in names:
        clause = Q(username__iexact=name)
        query = clause if query is None else query | clause
    users = get_user_model().objects.filter(query, is_active=True).exclude(pk=author.pk)
    return [user for user in users if may_read_thread(user, thread)]


def _notification_messages(notifications: list[Notification]) -> list[tuple[str, dict]]:
    return [
        realtime.notification_event(user_id=n.recipient_id, notification_id=n.pk)
        for n in notifications
    ]


# --- threads and posts ----------------------------------------------------------------------


def _refresh_thread_counts(thread: Thread) -> None:
    shown = thread.posts.shown().count()
    thread.reply_count = max(0, shown - 1)


def _publish(
    *,
    thread: Thread,
    event: str | None,
    post: Post | None = None,
    notifications: list[Notification] = (),
) -> None:
    """After the commit: tell the thread's readers (``event``) and the notified members."""
    messages = [*_notification_messages(list(notifications))]
    if event:
        messages.insert(
            0,
            realtime.thread_event(
                event=event, thread_id=thread.pk, post_id=post.pk if post else None
            ),
        )
    realtime.broadcast_on_commit(messages)


def _notify_mentions(*, text: str, thread: Thread, post: Post, author, actor, previous=""):
    return _notify(
        recipients=_mention_recipients(
            text=text, thread=thread, author=author, exclude_text=previous
        ),
        kind=Notification.Kind.MENTION,
        thread=thread,
        post=post,
        actor=actor,
        message=thread.title,
    )


def start_thread(
    *, category: Category, author, title: str, body: str, tags: Iterable[str] = ()
) -> Thread:
    """Open a thread in ``category`` with its first post; the author watches it.

    Locks the author's row for the rate limits.
    """
    _require_member(author)
    if not may_read_category(author, category):
        raise PermissionDenied(_("You may not post in this category."))
    title, body, tags = clean_title(title), clean_body(body), clean_tags(tags)
    html = render_markdown(body)
    with transaction.atomic():
        locked_author = _lock_user(author)
        check_rate_limits(author=locked_author, body=body)
        now = timezone.now()
        thread = Thread.objects.create(
            category=category, title=title, author=author, last_activity=now
        )
        if tags:
            thread.tags.set(tags)
        post = Post.objects.create(thread=thread, author=author, body=body, body_html=html)
        Subscription.objects.get_or_create(thread=thread, user=author)
        ReadState.objects.create(thread=thread, user=author, last_read_post_id=post.pk)
        notifications = _notify_mentions(
            text=body, thread=thread, post=post, author=author, actor=author
        )
        _publish(thread=thread, event=None, post=post, notifications=notifications)
    return thread


PRIVATE_CATEGORY_SLUG = "private-conversations"


def private_category() -> Category:
    """The category that holds every private conversation; listed to nobody."""
    category, _created = Category.objects.get_or_create(
        slug=PRIVATE_CATEGORY_SLUG,
        defaults={
            "name": "Private conversations",
            "visibility": Category.Visibility.PRIVATE,
            "order": 9999,
        },
    )
    return category


def start_private_thread(
    *, author, title: str, body: str, users: Iterable = (), organisations: Iterable = ()
) -> Thread:
    """Open a private conversation: a thread that only ``author``, ``users`` and the
    co-admins of ``organisations`` read, over every path (lists, search, API, sockets,
    notifications). Its posts follow the forum's rules (sanitising, rate limits).

    The caller's transaction is joined; locks the author's row for the rate limits.
    """
    _require_member(author)
    title, body = clean_title(title), clean_body(body)
    html = render_markdown(body)
    with transaction.atomic():
        locked_author = _lock_user(author)
        check_rate_limits(author=locked_author, body=body)
        now = timezone.now()
        thread = Thread.objects.create(
            category=private_category(), title=title, author=author, last_activity=now
        )
        people = {author.pk: author, **{user.pk: user for user in users}}
        ThreadParticipant.objects.bulk_create(
            [ThreadParticipant(thread=thread, user=user) for user in people.values()]
            + [
                ThreadParticipant(thread=thread, organisation=organisation)
                for organisation in {org.pk: org for org in organisations}.values()
            ]
        )
        post = Post.objects.create(thread=thread, author=author, body=body, body_html=html)
        for user in people.values():
            Subscription.objects.get_or_create(thread=thread, user=user)
        ReadState.objects.create(thread=thread, user=author, last_read_post_id=post.pk)
    return thread


def notify_members(
    *, recipients: Iterable, kind: str, message: str, link: str, actor=None
) -> list[Notification]:
    """Notify ``recipients`` (active accounts) of something outside the forum that ``link``
    (a path of the site) leads to; their open notification sockets are told after the
    commit. Returns the notifications stored."""
    if kind not in Notification.Kind.values:
        raise ValueError(f"unknown notification kind: {kind!r}")
    with transaction.atomic():
        rows = [
            Notification(
                recipient=recipient,
                kind=kind,
                thread=None,
                post=None,
                actor=actor,
                message=message[:300],
                link=link[:300],
            )
            for recipient in recipients
            if recipient.is_active
        ]
        notifications = Notification.objects.bulk_create(rows) if rows else []
        realtime.broadcast_on_commit(_notification_messages(notifications))
    return notifications


def post_reply(*, thread: Thread, author, body: str) -> Post:
    """Add a reply to ``thread``: refused (409) while the thread is locked, except for
    moderators. Mentioned members and the thread's watchers are notified; the author
    starts watching.

    Locks the author's row (rate limits), then the thread's row (lock state, reply count).
    """
    _require_member(author)
    body = clean_body(body)
    html = render_markdown(body)
    with transaction.atomic():
        locked_author = _lock_user(author)
        thread = Thread.objects.select_for_update().select_related("category").get(pk=thread.pk)
        _require_readable(author, thread)
        if thread.locked and not is_moderator(author):
            raise Conflict(_("This thread is locked; it takes no new replies."), code="locked")
        check_rate_limits(author=locked_author, body=body)
        post = Post.objects.create(thread=thread, author=author, body=body, body_html=html)
        _refresh_thread_counts(thread)
        thread.last_activity = post.created
        thread.save(update_fields=["reply_count", "last_activity"])
        Subscription.objects.get_or_create(thread=thread, user=author)
        _advance_read_state(thread=thread, user=author, post_id=post.pk)

        notifications = _notify_mentions(
            text=body, thread=thread, post=post, author=author, actor=author
        )
        # However many watch the thread, the reply costs its author the same: the watchers
        # hear of it from the task queue, once the reply is committed.
        enqueue(forum_tasks.notify_watchers_of_reply, post_id=post.pk)
        _publish(thread=thread, event="post.created", post=post, notifications=notifications)
    return post


def notify_watchers_of_reply(*, post_id: int) -> int:
    """Notify the watchers of a reply's thread (not its author, not those already notified
    of this post, e.g. by a mention) and tell their open pages; returns how many.

    Run by the task queue after the reply commits. Locks the post's row, so that a retried
    or doubled run notifies nobody twice.
    """
    with transaction.atomic():
        post = (
            Post.objects.select_for_update(of=("self",))
            .select_related("thread__category", "author")
            .filter(pk=post_id)
            .first()
        )
        if post is None or not post.is_shown:
            return 0
        thread = post.thread
        already = set(Notification.objects.filter(post=post).values_list("recipient", flat=True))
        watchers = [
            sub.user
            for sub in thread.subscriptions.select_related("user").exclude(user=post.author_id)
            if sub.user_id not in already
            and sub.user.is_active
            and may_read_thread(sub.user, thread)
        ]
        notifications = _notify(
            recipients=watchers,
            kind=Notification.Kind.REPLY,
            thread=thread,
            post=post,
            actor=post.author,
            message=thread.title,
        )
        realtime.broadcast_on_commit(_notification_messages(notifications))
    return len(notifications)


def check_edit_post(*, post: Post, editor) -> None:
    """Raise unless ``editor`` may edit ``post`` now: ``PermissionDenied`` for someone else's
    post (or a thread they may not read), ``Conflict`` for a removed post, a locked thread
    or an author's post older than FORUM_EDIT_WINDOW. Moderators edit any post.

    The edit form asks this before it shows a post's source; ``edit_post`` asks it again
    under the post's lock.
    """
    _require_member(editor)
    thread = post.thread
    _require_readable(editor, thread)
    if is_moderator(editor):
        return
    if post.author_id != editor.pk:
        raise PermissionDenied(_("You may edit only your own posts."))
    if not post.is_shown:
        raise Conflict(_("This post was removed and can no longer be edited."))
    if thread.locked:
        raise Conflict(_("This thread is locked."), code="locked")
    window = settings.FORUM_EDIT_WINDOW
    if window and timezone.now() - post.created > timedelta(seconds=window):
        raise Conflict(_("Posts can be edited for a limited time only."), code="too_old")


def edit_post(*, post: Post, editor, body: str) -> Post:
    """Replace the source of ``post``, keeping the previous one as a revision.

    Authors edit their own posts within FORUM_EDIT_WINDOW while the thread is open;
    moderators edit any post. Locks the post's row so two edits keep a linear history.
    """
    _require_member(editor)
    body = clean_body(body)
    html = render_markdown(body)
    with transaction.atomic():
        post = Post.objects.select_for_update().select_related("thread__category").get(pk=post.pk)
        thread = post.thread
        check_edit_post(post=post, editor=editor)
        if body == post.body:
            return post
        PostRevision.objects.create(post=post, body=post.body, edited_by=editor)
        previous = post.body
        post.body, post.body_html, post.edited = body, html, timezone.now()
        post.save(update_fields=["body", "body_html", "edited"])
        notifications = _notify_mentions(
            text=body,
            thread=thread,
            post=post,
            author=post.author or editor,
            actor=editor,
            previous=previous,
        )
        _publish(thread=thread, event="post.updated", post=post, notifications=notifications)
    return post


def delete_post(*, post: Post, actor) -> Post:
    """Soft-delete ``post`` (its author or a moderator); deleting twice changes nothing.

    Locks the thread's row (reply count), then the post's.
    """
    _require_member(actor)
    with transaction.atomic():
        thread = (
            Thread.objects.select_for_update().select_related("category").get(pk=post.thread_id)
        )
        post = Post.objects.select_for_update().get(pk=post.pk)
        _require_readable(actor, thread)
        if post.author_id != actor.pk and not is_moderator(actor):
            raise PermissionDenied(_("You may delete only your own posts."))
        if post.deleted is not None:
            return post
        post.deleted, post.deleted_by = timezone.now(), actor
        post.save(update_fields=["deleted", "deleted_by"])
        _refresh_thread_counts(thread)
        thread.save(update_fields=["reply_count"])
        _publish(thread=thread, event="post.deleted", post=post)
    return post


def react(*, post: Post, user, kind: str, add: bool = True) -> dict[str, int]:
    """Add (or with ``add=False`` take back) ``user``'s reaction of ``kind`` to ``post``;
    returns the post's counts. Reacting twice is the same as once."""
    _require_member(user)
    if kind not in Reaction.Kind.values:
        raise ValidationError({"kind": [_("Choose one of: %s.") % ", ".join(Reaction.Kind.values)]})
    with transaction.atomic():
        post = Post.objects.select_related("thread__category").get(pk=post.pk)
        _require_readable(user, post.thread)
        if not post.is_shown:
            raise Conflict(_("This post was removed."))
        if add:
            try:
                with transaction.atomic():
                    Reaction.objects.get_or_create(post=post, user=user, kind=kind)
            except IntegrityError:  # a concurrent identical reaction won the race
                pass
        else:
            Reaction.objects.filter(post=post, user=user, kind=kind).delete()
        realtime.broadcast_on_commit(
            [realtime.thread_event(event="post.updated", thread_id=post.thread_id, post_id=post.pk)]
        )
        counts = selectors.reaction_counts(post)
    return counts


def watch(*, thread: Thread, user, watching: bool = True) -> bool:
    """Start (or stop) notifying ``user`` of replies in ``thread``; returns the new state."""
    _require_member(user)
    _require_readable(user, thread)
    with transaction.atomic():
        if watching:
            Subscription.objects.get_or_create(thread=thread, user=user)
        else:
            Subscription.objects.filter(thread=thread, user=user).delete()
    return watching


def _advance_read_state(*, thread: Thread, user, post_id: int) -> None:
    state, created = ReadState.objects.get_or_create(
        thread=thread, user=user, defaults={"last_read_post_id": post_id}
    )
    if not created:
        # A conditional update: a late request never moves the marker backwards.
        ReadState.objects.filter(pk=state.pk, last_read_post_id__lt=post_id).update(
            last_read_post_id=post_id, updated=timezone.now()
        )


def mark_read(*, thread: Thread, user, post_id: int | None = None) -> int:
    """Record that ``user`` has read ``thread`` up to ``post_id`` (default: its last post);
    returns the post id now marked. Anonymous readers have nothing to record."""
    if not is_active_member(user):
        return 0
    _require_readable(user, thread)
    last = thread.posts.order_by("-pk").values_list("pk", flat=True).first() or 0
    target = last if post_id is None else min(int(post_id), last)
    if target <= 0:
        return 0
    with transaction.atomic():
        _advance_read_state(thread=thread, user=user, post_id=target)
    return ReadState.objects.get(thread=thread, user=user).last_read_post_id


def flag_post(*, post: Post, reporter, reason: str, note: str = "") -> Flag:
    """Report ``post`` to the moderators; a second report by the same member while the
    first is open returns the open one."""
    _require_member(reporter)
    if reason not in Flag.Reason.values:
        raise ValidationError({"reason": [_("Choose one of: %s.") % ", ".join(Flag.Reason.values)]})
    note = (note or "").strip()
    if len(note) > 500:
        raise ValidationError({"note": [_("Keep the note under 500 characters.")]})
    post = Post.objects.select_related("thread__category").get(pk=post.pk)
    _require_readable(reporter, post.thread)
    if post.author_id == reporter.pk:
        raise ValidationError({"detail": [_("You cannot flag your own post.")]})
    open_flag = Flag.objects.filter(post=post, reporter=reporter, resolved__isnull=True).first()
    if open_flag:
        return open_flag
    try:
        with transaction.atomic():
            return Flag.objects.create(post=post, reporter=reporter, reason=reason, note=note)
    except IntegrityError:  # the same member's concurrent report
        return Flag.objects.get(post=post, reporter=reporter, resolved__isnull=True)


def mark_notifications_read(*, user, ids: Iterable[int] | None = None) -> int:
    """Mark ``user``'s notifications (all, or those in ``ids``) read; returns how many."""
    _require_member(user)
    unread = Notification.objects.filter(recipient=user, read__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read=timezone.now())


# --- moderation -------------------------------------------------------------------------------


def _moderate_thread(*, thread: Thread, moderator, **changes) -> Thread:
    _require_moderator(moderator)
    with transaction.atomic():
        thread = Thread.objects.select_for_update().select_related("category").get(pk=thread.pk)
        changed = [field for field, value in changes.items() if getattr(thread, field) != value]
        if not changed:
            return thread
        for field in changed:
            setattr(thread, field, changes[field])
        thread.save(update_fields=changed)
        notifications = []
        if thread.author_id and thread.author_id != moderator.pk and set(changed) - {"pinned"}:
            notifications = _notify(
                recipients=[thread.author],
                kind=Notification.Kind.MODERATION,
                thread=thread,
                post=None,
                actor=moderator,
                message=_in_language_of(thread.author, _moderation_message, changed, thread),
            )
        _publish(thread=thread, event="thread.updated", notifications=notifications)
    return thread


def _in_language_of(recipient, build_message, *args) -> str:
    """A notification's text, stored as written: in its recipient's language, not the
    moderator's."""
    with translation.override(preferred_language(recipient)):
        return str(build_message(*args))


def _post_moderation_message(hidden: bool) -> str:
    return _("A moderator hid your post.") if hidden else _("A moderator restored your post.")


def _moderation_message(changed: list[str], thread: Thread) -> str:
    if "category_id" in changed or "category" in changed:
        return _("A moderator moved your thread to %s.") % thread.category.name
    if "locked" in changed:
        return (
            _("A moderator locked your thread.")
            if thread.locked
            else _("Your thread is open again.")
        )
    return _("A moderator changed your thread.")


def lock_thread(*, thread: Thread, moderator, locked: bool = True) -> Thread:
    """Close (or reopen) ``thread`` to replies. Locks the thread's row."""
    return _moderate_thread(thread=thread, moderator=moderator, locked=bool(locked))


def pin_thread(*, thread: Thread, moderator, pinned: bool = True) -> Thread:
    """Keep ``thread`` at the top of its category (or stop doing so)."""
    return _moderate_thread(thread=thread, moderator=moderator, pinned=bool(pinned))


def move_thread(*, thread: Thread, moderator, category: Category) -> Thread:
    """Move ``thread`` to ``category``; readers who may not read the new category lose it
    at once (their sockets are told and closed)."""
    return _moderate_thread(thread=thread, moderator=moderator, category=category)


def hide_post(*, post: Post, moderator, hidden: bool = True) -> Post:
    """Hide ``post`` from readers (or show it again); its author is told.

    Locks the thread's row (reply count), then the post's.
    """
    _require_moderator(moderator)
    with transaction.atomic():
        thread = Thread.objects.select_for_update().get(pk=post.thread_id)
        post = Post.objects.select_for_update().get(pk=post.pk)
        if post.hidden == hidden:
            return post
        post.hidden = hidden
        post.save(update_fields=["hidden"])
        _refresh_thread_counts(thread)
        thread.save(update_fields=["reply_count"])
        notifications = []
        if post.author_id and post.author_id != moderator.pk:
            notifications = _notify(
                recipients=[post.author],
                kind=Notification.Kind.MODERATION,
                thread=thread,
                post=post,
                actor=moderator,
                message=_in_language_of(post.author, _post_moderation_message, hidden),
            )
        event = "post.deleted" if hidden else "post.updated"
        _publish(thread=thread, event=event, post=post, notifications=notifications)
    return post


def resolve_flag(*, flag: Flag, moderator, resolution: str) -> Flag:
    """Decide on a reported post: ``hidden`` hides it, ``dismissed`` leaves it. Every open
    flag on the same post is resolved the same way. Locks the flags of the post."""
    _require_moderator(moderator)
    if resolution not in Flag.Resolution.values:
        raise ValidationError(
            {"resolution": [_("Choose one of: %s.") % ", ".join(Flag.Resolution.values)]}
        )
    with transaction.atomic():
        flag = Flag.objects.select_for_update().select_related("post").get(pk=flag.pk)
        if flag.resolved is not None:
            raise Conflict(_("This flag was already resolved."), code="resolved")
        if resolution == Flag.Resolution.HIDDEN:
            hide_post(post=flag.post, moderator=moderator, hidden=True)
        now = timezone.now()
        Flag.objects.filter(post=flag.post, resolved__isnull=True).update(
            resolved=now, resolved_by=moderator, resolution=resolution
        )
        flag.refresh_from_db()
    return flag
