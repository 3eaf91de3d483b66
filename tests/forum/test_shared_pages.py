"""Members share one copy of each forum page; their own parts of it (unread counts, the
notification badge, watching, the actions on their own posts) are filled in for each of
them, and nothing of one member reaches another."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from caching import member_parts
from forum import services
from forum.models import Post
from tests.factories import make_member

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache")]

HIT = "X-Page-Cache"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def visit(user, path, **client_options):
    client = Client(**client_options)
    client.force_login(user)
    response = client.get(path)
    return response, response.content.decode()


def unread_cells(body: str) -> list[str]:
    return re.findall(r'<strong class="unread" data-unread>(\d+)</strong>', body)


def edit_links(body: str) -> set[int]:
    return {int(pk) for pk in re.findall(r'href="/forum/posts/(\d+)/edit/"', body)}


def test_members_share_the_forum_lists_each_with_their_own_unread_counts(
    public_category, ariadne, bertram
):
    thread = services.start_thread(
        category=public_category, author=ariadne, title="Welcome", body="Hi"
    )
    services.post_reply(thread=thread, author=ariadne, body="A second word.")
    services.mark_read(user=ariadne, thread=thread)
    for path in ("/forum/", f"/forum/c/{public_category.slug}/"):
        first, first_body = visit(ariadne, path)
        assert HIT not in first
        assert unread_cells(first_body) == []
        response, body = visit(bertram, path)
        assert response[HIT] == "hit", path
        assert "Welcome" in body
        assert unread_cells(body) == ["2"]
        assert "Bertram Beta" in body and "Ariadne Alpha" in body  # the thread's author
        assert "ariadne" not in body.split("Welcome")[0].lower()  # not her account links
        again, again_body = visit(ariadne, path)
        assert again[HIT] == "hit"
        assert unread_cells(again_body) == []


def test_a_shared_thread_page_gives_each_member_the_actions_on_their_own_posts(
    public_category, ariadne, bertram
):
    thread = services.start_thread(
        category=public_category, author=ariadne, title="Welcome", body="Hi"
    )
    reply = services.post_reply(thread=thread, author=bertram, body="Hello Ariadne.")
    opening = thread.posts.order_by("pk").first()
    path = thread.get_absolute_url()

    _first, ariadne_body = visit(ariadne, path)
    assert edit_links(ariadne_body) == {opening.pk}
    response, bertram_body = visit(bertram, path, enforce_csrf_checks=True)
    assert response[HIT] == "hit"
    assert edit_links(bertram_body) == {reply.pk}
    assert f'action="/forum/posts/{opening.pk}/action/"' in bertram_body
    assert 'value="flag"' in bertram_body and bertram_body.count('value="flag"') == 1
    assert not set(TOKEN.findall(ariadne_body)) & set(TOKEN.findall(bertram_body))

    # The forms of the filled parts carry the member's own token: the deletion goes through.
    client = Client(enforce_csrf_checks=True)
    client.force_login(bertram)
    token = TOKEN.search(client.get(path).content.decode()).group(1)
    deleted = client.post(
        reverse("forum:post-action", args=[reply.pk]),
        {"action": "delete", "csrfmiddlewaretoken": token},
    )
    assert deleted.status_code == 302
    assert Post.objects.get(pk=reply.pk).deleted is not None


def test_watching_and_the_notification_badge_are_each_members_own(
    public_category, ariadne, bertram
):
    carla = make_member(username="carla", display_name="Carla Gamma").user
    thread = services.start_thread(
        category=public_category, author=ariadne, title="Welcome", body="Hi"
    )
    reply = services.post_reply(thread=thread, author=bertram, body="Hello Ariadne.")
    services.notify_watchers_of_reply(post_id=reply.pk)
    path = thread.get_absolute_url()

    _first, ariadne_body = visit(ariadne, path)  # she watches the thread she opened
    response, carla_body = visit(carla, path)
    assert response[HIT] == "hit"
    assert 'value="unwatch"' in ariadne_body and 'value="watch"' not in ariadne_body
    assert 'value="watch"' in carla_body and 'value="unwatch"' not in carla_body
    badge = re.compile(r"data-notification-badge[^>]*?( hidden)?( aria-label[^>]*)?>(\d+)</span>")
    assert badge.search(ariadne_body).group(1, 3) == (None, "1")
    assert badge.search(carla_body).group(1, 3) == (" hidden", "0")

    services.watch(thread=thread, user=carla)
    later, later_body = visit(carla, path)
    assert later[HIT] == "hit"
    assert 'value="unwatch"' in later_body


def test_moderators_get_their_tools_on_a_page_drawn_for_them_and_make_no_copy(
    public_category, ariadne, bertram, moderator
):
    thread = services.start_thread(
        category=public_category, author=ariadne, title="Welcome", body="Hi"
    )
    path = thread.get_absolute_url()
    response, body = visit(moderator.user, path)
    assert HIT not in response
    assert 'value="hide"' in body and 'value="lock"' in body
    member, member_body = visit(bertram, path)
    assert HIT not in member  # the moderator's page was not kept for members
    assert 'value="hide"' not in member_body and 'value="lock"' not in member_body
    again, _ = visit(moderator.user, path)
    assert HIT not in again


def test_a_private_conversation_is_listed_to_its_participants_alone_on_the_shared_index(
    public_category, ariadne, bertram
):
    carla = make_member(username="carla", display_name="Carla Gamma").user
    services.start_thread(category=public_category, author=carla, title="Open talk", body="Hi")
    private = services.start_private_thread(
        author=ariadne, title="Between us two", body="Psst", users=[carla]
    )
    services.post_reply(thread=private, author=carla, body="Got it")
    visit(bertram, "/forum/")  # the members' copy
    index, index_body = visit(ariadne, "/forum/")
    assert index[HIT] == "hit"
    conversations = index_body.split('class="forum-conversations"', 1)[1].split("</section>")[0]
    assert "Between us two" in conversations
    assert unread_cells(conversations) == ["1"]  # Carla's reply, filled in a second round
    assert member_parts.secret_mark("part") not in index_body
    other, other_body = visit(bertram, "/forum/")
    assert other[HIT] == "hit"
    assert "Between us two" not in other_body and "Open talk" in other_body
    assert 'class="forum-conversations"' not in other_body

    for participant in (ariadne, carla):
        page, page_body = visit(participant, private.get_absolute_url())
        assert page.status_code == 200 and HIT not in page
        assert "Psst" in page_body
    refused, _ = visit(bertram, private.get_absolute_url())
    assert refused.status_code == 404


def test_a_member_hiding_their_profile_sees_their_own_name_and_others_do_not(
    public_category, ariadne, bertram
):
    shy = make_member(username="shy", display_name="Sheila Shy", visibility="hidden").user
    thread = services.start_thread(
        category=public_category, author=shy, title="Quiet one", body="Hi"
    )
    path = thread.get_absolute_url()
    visit(ariadne, path)
    own, own_body = visit(shy, path)
    assert HIT not in own
    assert "Sheila Shy" in own_body
    other, other_body = visit(bertram, path)
    assert other[HIT] == "hit"
    assert "Sheila Shy" not in other_body


def test_text_that_copies_a_placeholder_is_never_filled_in(public_category, ariadne, bertram):
    """A member cannot plant another member's parts (their delete form for a post of
    theirs) in a post: the placeholders carry a word only the site knows, and posts are
    sanitised besides."""
    victims = services.start_thread(
        category=public_category, author=bertram, title="Mine alone", body="Bertram's post"
    )
    victim_post = victims.posts.get()
    forged = member_parts.placeholder("forum.post_actions", victim_post.pk, bertram.pk)
    bait = services.start_thread(
        category=public_category,
        author=ariadne,
        title="Bait thread",
        body=f"{forged} <!--club_part:forum.post_actions:{victim_post.pk}:{bertram.pk}-->",
    )
    _response, body = visit(bertram, bait.get_absolute_url())
    assert f"/forum/posts/{victim_post.pk}/" not in body
    assert f"<!--{member_parts.secret_mark('part')}" not in body  # shown as text, escaped


def test_a_shared_thread_page_costs_the_same_few_queries_for_one_post_or_fifty(
    public_category, ariadne, bertram, settings
):
    settings.FORUM_POSTS_PER_PAGE = 50
    short = services.start_thread(
        category=public_category, author=ariadne, title="Short thread", body="One."
    )
    long = services.start_thread(
        category=public_category, author=ariadne, title="Long thread", body="One."
    )
    for number in range(49):
        services.post_reply(
            thread=long, author=bertram if number % 2 else ariadne, body=f"Reply {number}"
        )
    counts = []
    for thread in (short, long):
        visit(ariadne, thread.get_absolute_url())
        client = Client()
        client.force_login(bertram)  # signing in drops what is kept of the account
        client.get(thread.get_absolute_url())
        with CaptureQueriesContext(connection) as queries:
            response = client.get(thread.get_absolute_url())
        assert response[HIT] == "hit"
        counts.append(len(queries))
    assert counts[0] == counts[1]
    # The session, the user, whether the page is theirs to share, the unread notifications,
    # whether they watch the thread.
    assert counts[1] <= 5
