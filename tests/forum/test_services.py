"""The forum's actions: notifications, watching, flags and moderation."""

import pytest
from django.core.exceptions import PermissionDenied

from domain.exceptions import Conflict
from forum import services
from forum.models import Flag, Notification, Subscription

pytestmark = pytest.mark.django_db


def test_mentions_of_existing_members_notify_them_once(public_category, member, other_member):
    thread = services.start_thread(
        category=public_category,
        author=member.user,
        title="Mentions work",
        body="Hello @other and @OTHER and @nobody-here, see `@member`",
    )
    notes = Notification.objects.filter(kind="mention")
    assert [(n.recipient, n.thread) for n in notes] == [(other_member.user, thread)]


def test_mentions_in_members_only_threads_skip_accounts_that_cannot_read_them(
    members_category, member, disabled_member
):
    services.start_thread(
        category=members_category, author=member.user, title="Private", body="Hi @disabled"
    )
    assert not Notification.objects.exists()


def test_replies_notify_watchers_but_not_the_author(
    public_thread, member, other_member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.post_reply(thread=public_thread, author=other_member.user, body="First reply")
    assert list(Notification.objects.values_list("recipient", "kind")) == [
        (member.user.pk, "reply")
    ]
    assert Subscription.objects.filter(thread=public_thread, user=other_member.user).exists()
    services.watch(thread=public_thread, user=member.user, watching=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.post_reply(thread=public_thread, author=other_member.user, body="Second reply")
    assert Notification.objects.count() == 1


def test_watchers_hear_of_a_reply_only_once_it_commits(
    public_thread, member, other_member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.post_reply(thread=public_thread, author=other_member.user, body="Pending")
        assert not Notification.objects.exists()
    assert callbacks
    for callback in callbacks:
        callback()
    assert list(Notification.objects.values_list("recipient", "kind")) == [
        (member.user.pk, "reply")
    ]


def test_the_watchers_task_run_twice_notifies_each_watcher_once(
    public_thread, member, other_member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reply = services.post_reply(thread=public_thread, author=other_member.user, body="Once")
    assert services.notify_watchers_of_reply(post_id=reply.pk) == 0
    assert Notification.objects.filter(recipient=member.user).count() == 1


def test_a_reply_removed_before_its_task_runs_notifies_nobody(
    public_thread, member, other_member, moderator
):
    reply = services.post_reply(thread=public_thread, author=other_member.user, body="Oops")
    services.hide_post(post=reply, moderator=moderator.user, hidden=True)
    assert services.notify_watchers_of_reply(post_id=reply.pk) == 0
    assert services.notify_watchers_of_reply(post_id=10**9) == 0
    assert not Notification.objects.filter(kind="reply").exists()


def test_a_mentioned_watcher_gets_one_notification_not_two(
    public_thread, member, other_member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.post_reply(thread=public_thread, author=other_member.user, body="Hey @member")
    assert list(Notification.objects.values_list("kind", flat=True)) == ["mention"]


def test_editing_keeps_history_and_only_new_mentions_notify(public_thread, member, other_member):
    post = public_thread.posts.get()
    services.edit_post(post=post, editor=member.user, body="Now with @other")
    services.edit_post(post=post, editor=member.user, body="Now with @other again")
    assert [r.body for r in post.revisions.all()] == ["First post here.", "Now with @other"]
    assert Notification.objects.filter(recipient=other_member.user).count() == 1


def test_authors_cannot_edit_after_the_edit_window(settings, public_thread, member):
    settings.FORUM_EDIT_WINDOW = 1
    post = public_thread.posts.get()
    type(post).objects.filter(pk=post.pk).update(created=post.created.replace(year=2020))
    with pytest.raises(Conflict):
        services.edit_post(post=post, editor=member.user, body="Too late edit")


def test_a_disabled_account_cannot_post(public_thread, disabled_member):
    with pytest.raises(PermissionDenied):
        services.post_reply(thread=public_thread, author=disabled_member, body="I am disabled")


def test_moderators_may_reply_to_locked_threads(public_thread, moderator, other_member):
    services.lock_thread(thread=public_thread, moderator=moderator.user)
    with pytest.raises(Conflict):
        services.post_reply(thread=public_thread, author=other_member.user, body="Blocked")
    post = services.post_reply(thread=public_thread, author=moderator.user, body="Closing note")
    assert post.pk


def test_moving_a_thread_tells_its_author(public_thread, members_category, member, moderator):
    services.move_thread(thread=public_thread, moderator=moderator.user, category=members_category)
    note = Notification.objects.get(recipient=member.user)
    assert note.kind == "moderation"
    assert "Partner search" in note.message


def test_upholding_a_flag_hides_the_post_and_resolves_every_open_flag(
    public_thread, member, other_member, moderator
):
    post = public_thread.posts.get()
    first = services.flag_post(post=post, reporter=other_member.user, reason="spam")
    again = services.flag_post(post=post, reporter=other_member.user, reason="spam")
    assert first == again
    second = services.flag_post(post=post, reporter=moderator.user, reason="offensive")
    services.resolve_flag(flag=first, moderator=moderator.user, resolution="hidden")
    post.refresh_from_db()
    assert post.hidden
    assert set(Flag.objects.values_list("resolution", flat=True)) == {"hidden"}
    with pytest.raises(Conflict):
        services.resolve_flag(flag=second, moderator=moderator.user, resolution="dismissed")


def test_members_cannot_resolve_flags_or_hide_posts(public_thread, member, other_member):
    post = public_thread.posts.get()
    flag = services.flag_post(post=post, reporter=other_member.user, reason="spam")
    with pytest.raises(PermissionDenied):
        services.resolve_flag(flag=flag, moderator=other_member.user, resolution="hidden")
    with pytest.raises(PermissionDenied):
        services.hide_post(post=post, moderator=member.user)
