"""The forum's HTML pages: categories, thread lists with unread counts, thread, forms."""

from datetime import timedelta

import pytest

from forum import services
from forum.models import Post, Thread

pytestmark = pytest.mark.django_db


def test_the_forum_index_lists_only_categories_the_reader_may_see(
    client, public_category, members_category, member
):
    page = client.get("/forum/")
    assert page.status_code == 200
    assert "Cluster management" in page.text
    assert "/forum/c/partner-search/" not in page.text
    client.force_login(member.user)
    assert "/forum/c/partner-search/" in client.get("/forum/").text


def test_a_category_page_shows_unread_counts_to_members(
    client, public_category, public_thread, member, other_member
):
    services.post_reply(thread=public_thread, author=member.user, body="A new reply")
    client.force_login(other_member.user)
    page = client.get(f"/forum/c/{public_category.slug}/")
    assert page.status_code == 200
    assert public_thread.title in page.text
    assert '<strong class="unread" data-unread>2</strong>' in page.text


def test_members_only_category_and_thread_pages_are_404_for_anonymous_readers(
    client, members_category, private_thread
):
    assert client.get(f"/forum/c/{members_category.slug}/").status_code == 404
    assert client.get(f"/forum/threads/{private_thread.pk}/").status_code == 404


def test_the_thread_page_shows_posts_a_reply_box_and_the_live_script(
    client, public_thread, other_member
):
    client.force_login(other_member.user)
    page = client.get(f"/forum/threads/{public_thread.pk}/")
    assert page.status_code == 200
    assert "First post here." in page.text
    assert "data-reply-form" in page.text
    assert "forum/forum.js" in page.text
    assert f'data-socket="/ws/forum/threads/{public_thread.pk}/"' in page.text


def test_anonymous_readers_get_a_sign_in_link_instead_of_a_reply_box(client, public_thread):
    page = client.get(f"/forum/threads/{public_thread.pk}/")
    assert "data-reply-form" not in page.text
    assert "Sign in to reply." in page.text


def test_replying_through_the_html_form_stores_the_post(client, public_thread, other_member):
    client.force_login(other_member.user)
    answer = client.post(f"/forum/threads/{public_thread.pk}/", {"body": "Via the form"})
    post = Post.objects.get(body="Via the form")
    assert answer.status_code == 302
    assert answer["Location"].endswith(f"#post-{post.pk}")


def test_a_refused_html_reply_shows_the_reason_on_the_form(
    client, public_thread, other_member, moderator
):
    services.lock_thread(thread=public_thread, moderator=moderator.user)
    client.force_login(other_member.user)
    page = client.get(f"/forum/threads/{public_thread.pk}/")
    assert "data-reply-form" not in page.text
    answer = client.post(f"/forum/threads/{public_thread.pk}/", {"body": "Sneaking in"})
    assert answer.status_code == 200
    assert "locked" in answer.text
    assert not Post.objects.filter(body="Sneaking in").exists()


def test_starting_a_thread_through_the_html_form(client, public_category, member):
    client.force_login(member.user)
    assert client.get("/forum/new/").status_code == 200
    answer = client.post(
        "/forum/new/",
        {
            "category": public_category.pk,
            "title": "A thread from the form",
            "tags": "events, training",
            "body": "Hello all",
        },
    )
    thread = Thread.objects.get(title="A thread from the form")
    assert answer.status_code == 302
    assert sorted(thread.tags.names()) == ["events", "training"]


def test_notifications_page_lists_and_marks_read(client, public_thread, member, other_member):
    services.post_reply(thread=public_thread, author=other_member.user, body="Hello @member")
    client.force_login(member.user)
    page = client.get("/forum/notifications/")
    assert "Other mentioned you" in page.text
    assert 'data-notification-badge data-socket="/ws/notifications/"' in page.text
    client.post("/forum/notifications/read/")
    assert member.user.forum_notifications.filter(read__isnull=True).count() == 0


def test_moderators_lock_and_hide_from_the_thread_page(client, public_thread, moderator):
    client.force_login(moderator.user)
    client.post(f"/forum/threads/{public_thread.pk}/action/", {"action": "lock"})
    public_thread.refresh_from_db()
    assert public_thread.locked
    post = public_thread.posts.get()
    client.post(f"/forum/posts/{post.pk}/action/", {"action": "hide"})
    post.refresh_from_db()
    assert post.hidden


def test_members_cannot_lock_from_the_thread_page(client, public_thread, other_member):
    client.force_login(other_member.user)
    client.post(f"/forum/threads/{public_thread.pk}/action/", {"action": "lock"})
    public_thread.refresh_from_db()
    assert not public_thread.locked


def test_an_author_edits_a_post_from_the_thread_page_and_the_old_text_is_kept(
    client, public_thread, member
):
    post = public_thread.posts.get()
    client.force_login(member.user)

    thread_page = client.get(f"/forum/threads/{public_thread.pk}/")
    assert f'href="/forum/posts/{post.pk}/edit/"' in thread_page.text
    form = client.get(f"/forum/posts/{post.pk}/edit/")
    assert form.status_code == 200
    assert "First post here." in form.text

    answer = client.post(f"/forum/posts/{post.pk}/edit/", {"body": "Better *words*."})

    assert answer.status_code == 302
    assert answer["Location"].endswith(f"/forum/threads/{public_thread.pk}/#post-{post.pk}")
    post.refresh_from_db()
    assert post.body == "Better *words*."
    assert "<em>words</em>" in post.body_html
    assert post.edited is not None
    assert list(post.revisions.values_list("body", flat=True)) == ["First post here."]


def test_others_get_no_edit_link_and_their_edit_is_refused_on_the_form(
    client, public_thread, other_member
):
    post = public_thread.posts.get()
    client.force_login(other_member.user)

    assert (
        f"/forum/posts/{post.pk}/edit/"
        not in client.get(f"/forum/threads/{public_thread.pk}/").text
    )
    form = client.get(f"/forum/posts/{post.pk}/edit/")
    answer = client.post(f"/forum/posts/{post.pk}/edit/", {"body": "Not mine to change"})

    assert (form.status_code, answer.status_code) == (403, 403)
    assert "First post here." not in form.text
    post.refresh_from_db()
    assert post.body == "First post here."


def test_an_empty_or_anonymous_edit_changes_nothing(client, public_thread, member):
    post = public_thread.posts.get()
    anonymous = client.post(f"/forum/posts/{post.pk}/edit/", {"body": "Who am I?"})
    assert anonymous.status_code == 302
    assert "/login" in anonymous["Location"] or "/accounts/" in anonymous["Location"]

    client.force_login(member.user)
    empty = client.post(f"/forum/posts/{post.pk}/edit/", {"body": "   "})

    assert empty.status_code == 200
    assert "This field is required." in empty.text
    post.refresh_from_db()
    assert post.body == "First post here."


def test_editing_a_post_that_does_not_exist_is_a_404(client, member):
    client.force_login(member.user)

    assert client.get("/forum/posts/999999/edit/").status_code == 404
    assert client.post("/forum/posts/999999/edit/", {"body": "Into the void"}).status_code == 404


def test_opening_a_thread_page_writes_nothing(client, public_thread, member, other_member):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from forum.models import ReadState

    services.post_reply(thread=public_thread, author=member.user, body="Unread for the other")
    # Wagtail makes the site's settings row at the first page of a new site.
    client.get(f"/forum/threads/{public_thread.pk}/")
    client.force_login(other_member.user)
    before = list(ReadState.objects.values_list("thread_id", "user_id", "last_read_post_id"))
    with CaptureQueriesContext(connection) as captured:
        assert client.get(f"/forum/threads/{public_thread.pk}/").status_code == 200
    writes = [
        query["sql"]
        for query in captured.captured_queries
        if query["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        and "django_session" not in query["sql"]
    ]
    assert writes == []
    assert list(ReadState.objects.values_list("thread_id", "user_id", "last_read_post_id")) == (
        before
    )
    page = client.get(f"/forum/threads/{public_thread.pk}/").text
    assert f'data-read-api="/api/forum/threads/{public_thread.pk}/read/"' in page


def test_a_thread_page_reads_reactions_in_one_query_however_many_posts(
    client, public_thread, member, other_member
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(other_member.user)
    url = f"/forum/threads/{public_thread.pk}/"
    client.get(url)  # the first page of a new site makes its settings row
    with CaptureQueriesContext(connection) as one_post:
        client.get(url)
    for n in range(5):
        post = services.post_reply(thread=public_thread, author=member.user, body=f"Reply {n}")
        services.react(post=post, user=other_member.user, kind="like")
    with CaptureQueriesContext(connection) as six_posts:
        page = client.get(url)
    assert len(six_posts.captured_queries) == len(one_post.captured_queries)
    assert page.text.count('data-kind="like"') >= 6


@pytest.mark.parametrize("removal", ["hidden", "deleted"])
def test_the_edit_form_of_a_removed_post_is_a_404_that_shows_not_a_word_of_it(
    client, public_thread, member, other_member, moderator, removal
):
    post = services.post_reply(
        thread=public_thread, author=member.user, body="Words the author took back."
    )
    if removal == "hidden":
        services.hide_post(post=post, moderator=moderator.user)
    else:
        services.delete_post(post=post, actor=member.user)

    for reader in (member, other_member):
        client.force_login(reader.user)
        form = client.get(f"/forum/posts/{post.pk}/edit/")
        sent = client.post(f"/forum/posts/{post.pk}/edit/", {"body": "Edited back in."})
        assert (form.status_code, sent.status_code) == (404, 404)
        assert "took back" not in form.text + sent.text
    post.refresh_from_db()
    assert post.body == "Words the author took back."

    client.force_login(moderator.user)
    form = client.get(f"/forum/posts/{post.pk}/edit/")
    assert form.status_code == 200
    assert "Words the author took back." in form.text


def test_the_edit_form_of_a_post_in_a_members_only_thread_is_a_login_for_anonymous_readers(
    client, private_thread
):
    post = private_thread.posts.get()

    answer = client.get(f"/forum/posts/{post.pk}/edit/")

    assert answer.status_code == 302
    assert "/accounts/login/" in answer["Location"]


def test_an_author_whose_edit_window_closed_is_sent_back_without_the_form(
    client, public_thread, member, settings
):
    settings.FORUM_EDIT_WINDOW = 60
    post = public_thread.posts.get()
    Post.objects.filter(pk=post.pk).update(created=post.created - timedelta(hours=1))
    client.force_login(member.user)

    answer = client.get(f"/forum/posts/{post.pk}/edit/")

    assert answer.status_code == 302
    assert answer["Location"].endswith(f"/forum/threads/{public_thread.pk}/#post-{post.pk}")
    assert answer.content == b""
    assert "limited time only" in client.get(answer["Location"]).text


def test_a_hidden_post_cannot_be_flagged_or_deleted_from_the_thread_page_by_members(
    client, public_thread, member, other_member, moderator
):
    post = services.post_reply(thread=public_thread, author=member.user, body="Hidden words.")
    services.hide_post(post=post, moderator=moderator.user)

    client.force_login(other_member.user)
    flagged = client.post(f"/forum/posts/{post.pk}/action/", {"action": "flag", "reason": "spam"})
    client.force_login(member.user)
    deleted = client.post(f"/forum/posts/{post.pk}/action/", {"action": "delete"})

    assert (flagged.status_code, deleted.status_code) == (404, 404)
    post.refresh_from_db()
    assert post.deleted is None
    assert not post.flags.exists()
