"""The forum's pages for signed-in members: which members share one copy of them
(``pages.page_cache``) and the parts that are each member's own, filled in as a page is
served (``caching.member_parts``): unread counts, the notification badge, watching a thread,
the actions on the member's own posts.

What the forum shows a member is what it shows every member, but for moderators (hidden
posts, their tools), for a member whose profile hides their name or a listed field from
others (they see their own), and for private conversations (their participants only):
those get the page drawn for them.
"""

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.utils.html import format_html

from caching.member_parts import int_arguments, register_member_part
from forum.models import Category, Notification, Subscription, Thread
from forum.permissions import MODERATORS_GROUP, display_name, is_active_member

RECENT_THREADS = 10
# Stands for the post's id in the actions drawn once for all of a page's posts; the
# template holds nothing else of a visitor's, so the number is replaced safely.
POST_ID_STAND_IN = 4611686018427387903
UNREAD = '<strong class="unread" data-unread>{}</strong>'
NONE_UNREAD = '<span class="muted">0</span>'


def recent_threads(user):
    """The forum index's recent activity for ``user``: the threads every reader like them
    sees; a member's private conversations are listed apart (``fill_conversations``)."""
    threads = Thread.objects.visible_to(user).exclude(
        category__visibility=Category.Visibility.PRIVATE
    )
    return threads.order_by("-last_activity")[:RECENT_THREADS]


def with_names(threads, viewer) -> list:
    """``threads`` with the name ``viewer`` sees for each author (``author_name``)."""
    threads = list(threads)
    for thread in threads:
        thread.author_name = display_name(thread.author, viewer)
    return threads


def fill_conversations(request, keys):
    """The forum index's list of the member's latest private conversations, if any."""
    if not is_active_member(request.user):
        return {}
    conversations = (
        Thread.objects.visible_to(request.user)
        .filter(category__visibility=Category.Visibility.PRIVATE)
        .select_related("author__profile")
        .order_by("-last_activity")[:RECENT_THREADS]
    )
    conversations = with_names(conversations, request.user)
    if not conversations:
        return dict.fromkeys(keys, "")
    section = render_to_string(
        "forum/_conversations.html", {"threads": conversations}, request=request
    )
    return dict.fromkeys(keys, section)


def forum_page_copy(user, *, thread_id: int | None = None) -> bool:
    """Whether signed-in ``user`` gets the members' shared copy of a forum page, in one
    query: not moderators or staff, not a member whose profile hides from others what the
    page names (their name, their country), nor, with ``thread_id``, a private
    conversation."""
    if user.is_staff or user.is_superuser:
        return False
    from members.models import MemberProfile
    from members.selectors import hides_listed_fields

    questions = {
        "moderator": Exists(
            get_user_model().groups.through.objects.filter(
                user=OuterRef("pk"), group__name=MODERATORS_GROUP
            )
        ),
        "hidden": Exists(MemberProfile.objects.filter(hides_listed_fields(), user=OuterRef("pk"))),
    }
    if thread_id is not None:
        questions["private_thread"] = ~Exists(
            Thread.objects.filter(pk=thread_id).exclude(
                category__visibility=Category.Visibility.PRIVATE
            )
        )
    answers = get_user_model().objects.filter(pk=user.pk).annotate(**questions)
    row = answers.values(*questions).first()
    return row is not None and not any(row.values())


def fill_unread(request, keys):
    """Each listed thread's unread posts for the member, in one query."""
    if not is_active_member(request.user):
        return {}
    ids = [numbers[0] for numbers in int_arguments(keys) if numbers]
    threads = Thread.objects.filter(pk__in=ids).with_unread(request.user)
    answers = {}
    for pk, unread in threads.values_list("pk", "unread"):
        if unread:
            answers[(str(pk),)] = format_html(UNREAD, unread)
        else:
            answers[(str(pk),)] = NONE_UNREAD
    return answers


def fill_notification_badge(request, keys):
    """The member's unread notifications in the forum's menu."""
    if not is_active_member(request.user):
        return {}
    unread = Notification.objects.filter(recipient=request.user, read__isnull=True).count()
    badge = render_to_string("forum/_notification_badge.html", {"unread_notifications": unread})
    return dict.fromkeys(keys, badge)


def fill_watch_button(request, keys):
    """The thread page's button to watch the thread, or to stop."""
    if not is_active_member(request.user):
        return {}
    ids = [numbers[0] for numbers in int_arguments(keys) if numbers]
    watched = set(
        Subscription.objects.filter(user=request.user, thread_id__in=ids).values_list(
            "thread_id", flat=True
        )
    )
    buttons = {
        watching: render_to_string("forum/_watch_button.html", {"watching": watching})
        for watching in (True, False)
    }
    return {(str(pk),): buttons[pk in watched] for pk in ids}


def fill_post_actions(request, keys):
    """Under each post, what the member may do with it: edit or delete their own, report
    another's. Drawn once per kind for the whole page, so a long page costs no more."""
    if not is_active_member(request.user):
        return {}
    drawn = {
        own: render_to_string(
            "forum/_post_actions.html",
            {"post_id": POST_ID_STAND_IN, "may_edit": own, "may_report": not own},
            request=request,
        )
        for own in (True, False)
    }
    answers = {}
    for key in keys:
        post_id, author_id = (key + ("",))[:2]
        if not post_id.isdigit():
            continue
        # A former member's post (no author) is another's.
        own = author_id.isdigit() and int(author_id) == request.user.pk
        answers[key] = drawn[own].replace(str(POST_ID_STAND_IN), post_id)
    return answers


def register_parts() -> None:
    """The forum's member parts (called once from ForumConfig.ready); the pages' copies
    are registered by ``pages.page_cache``, which sits above the apps."""
    register_member_part("forum.unread", fill_unread)
    register_member_part("forum.conversations", fill_conversations)
    register_member_part("forum.notifications", fill_notification_badge)
    register_member_part("forum.watch", fill_watch_button)
    register_member_part("forum.post_actions", fill_post_actions)
