"""A long thread is read a page at a time: the page holds FORUM_POSTS_PER_PAGE posts, costs
the same queries whatever the thread's length, and new replies go to the last page."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forum.models import Post

pytestmark = pytest.mark.django_db


@pytest.fixture
def long_thread(public_thread, member, settings):
    settings.FORUM_POSTS_PER_PAGE = 5
    Post.objects.bulk_create(
        Post(
            thread=public_thread,
            author=member.user,
            body=f"Reply {n}",
            body_html=f"<p>Reply {n}</p>",
        )
        for n in range(1, 12)
    )
    return public_thread  # 12 posts: the first post and 11 replies, three pages


def post_bodies(response) -> list[str]:
    return re.findall(r"<p>((?:First post here\.)|Reply \d+)</p>", response.content.decode())


def test_the_first_page_shows_the_first_posts_and_links_to_the_others(client, long_thread):
    page = client.get(long_thread.get_absolute_url())
    assert post_bodies(page) == ["First post here.", "Reply 1", "Reply 2", "Reply 3", "Reply 4"]
    html = page.content.decode()
    assert "Page 1 of 3" in html and 'href="?page=2"' in html and 'href="?page=last"' in html
    assert 'data-last-page="0"' in html


def test_the_last_page_holds_the_newest_posts_and_the_reply_box(client, long_thread, member):
    client.force_login(member.user)
    last = client.get(long_thread.get_absolute_url(), {"page": "last"})
    assert post_bodies(last) == ["Reply 10", "Reply 11"]
    html = last.content.decode()
    assert 'data-last-page="1"' in html and "data-reply-form" in html
    first = client.get(long_thread.get_absolute_url()).content.decode()
    assert "data-reply-form" not in first and "Reply on the last page" in first


def test_an_earlier_page_catches_up_from_the_newest_post_and_marks_read_what_it_shows(
    client, long_thread
):
    newest = long_thread.posts.order_by("-pk").first()
    shown = long_thread.posts.order_by("pk")[4]
    html = client.get(long_thread.get_absolute_url()).content.decode()
    assert f'data-last-post-id="{newest.pk}"' in html
    assert f'data-last-shown-id="{shown.pk}"' in html


@pytest.mark.parametrize("page", ["0", "999", "x", "²", "-1"])
def test_a_page_number_out_of_range_or_malformed_still_shows_a_page(client, long_thread, page):
    answer = client.get(long_thread.get_absolute_url(), {"page": page})
    assert answer.status_code == 200
    assert len(post_bodies(answer)) in {5, 2}


def test_a_reply_from_the_html_form_lands_on_the_last_page(client, long_thread, other_member):
    client.force_login(other_member.user)
    answer = client.post(f"{long_thread.get_absolute_url()}?page=last", {"body": "A late reply"})
    assert answer.status_code == 302
    assert answer["Location"].startswith(f"{long_thread.get_absolute_url()}?page=last#post-")
    assert "A late reply" in client.get(answer["Location"].split("#")[0]).content.decode()


def test_a_page_of_a_long_thread_costs_what_a_page_of_a_short_one_does(
    client, public_thread, member, settings
):
    settings.FORUM_POSTS_PER_PAGE = 5
    url = public_thread.get_absolute_url()

    def queries(path):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured.captured_queries)

    Post.objects.bulk_create(
        Post(thread=public_thread, author=member.user, body="x", body_html="<p>x</p>")
        for _ in range(9)
    )  # ten posts: two pages
    queries(url)  # the site's own lookups (menu, footer, site root) are cached from here
    first_page, last_page = queries(url), queries(f"{url}?page=last")
    Post.objects.bulk_create(
        Post(thread=public_thread, author=member.user, body="y", body_html="<p>y</p>")
        for _ in range(200)
    )
    assert queries(url) == first_page
    assert queries(f"{url}?page=last") == last_page
    assert queries(f"{url}?page=20") == first_page  # a page in the middle reads as the first
