"""A thread open in two browsers: what one member writes, the other sees without a reload."""

import re

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from forum import services
from forum.models import Category
from tests.e2e.conftest import outside_the_browser_loop
from tests.factories import make_member

pytestmark = [pytest.mark.postgres, pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def thread():
    Group.objects.get_or_create(name="Moderators")
    author = make_member(username="alice", display_name="Alice Author")
    category = Category.objects.create(name="Cluster management", slug="cluster-management")
    return services.start_thread(
        category=category, author=author.user, title="Live thread", body="Opening post"
    )


def test_a_reply_posted_in_one_page_appears_in_the_other_without_a_reload(open_page, thread):
    writer = make_member(username="bob", display_name="Bob Writer")
    reader = open_page(user=thread.author, path=f"/forum/threads/{thread.pk}/")
    reader.evaluate("window.notReloaded = true")
    page = open_page(user=writer.user, path=f"/forum/threads/{thread.pk}/")

    # Both sockets are up once each page lists the other reader.
    expect(reader.locator("[data-viewers]")).to_contain_text("Bob Writer")
    expect(page.locator("[data-viewers]")).to_contain_text("Alice Author")

    page.locator("textarea[name=body]").fill("Hello from the **other** page")
    expect(reader.locator("[data-typing]")).to_contain_text("Bob Writer")
    page.get_by_role("button", name="Post reply").click()

    new_post = reader.locator("#posts article").filter(has_text="Hello from the other page")
    expect(new_post).to_be_visible()
    expect(new_post.locator("strong").first).to_have_text("Bob Writer")
    expect(new_post.locator(".body strong")).to_have_text("other")
    assert reader.evaluate("window.notReloaded") is True
    expect(page.locator("#posts article")).to_have_count(2)
    expect(page.locator("textarea[name=body]")).to_have_value("")


def test_an_anonymous_reader_of_a_public_thread_also_sees_replies_live(open_page, thread):
    writer = make_member(username="carol", display_name="Carol")
    guest = open_page(path=f"/forum/threads/{thread.pk}/")
    page = open_page(user=writer.user, path=f"/forum/threads/{thread.pk}/")
    expect(page.locator("[data-viewers]")).to_contain_text("1")
    page.locator("textarea[name=body]").fill("Guests can read along")
    page.get_by_role("button", name="Post reply").click()
    expect(guest.locator("#posts")).to_contain_text("Guests can read along")


def test_an_open_thread_does_not_show_the_locked_tag(open_page, thread):
    page = open_page(path=f"/forum/threads/{thread.pk}/")
    expect(page.locator("[data-locked]")).to_be_hidden()
    expect(page.locator("#posts")).to_contain_text("Opening post")


def test_an_author_edits_a_post_and_a_reader_sees_the_new_words_without_a_reload(open_page, thread):
    reader = open_page(path=f"/forum/threads/{thread.pk}/")
    reader.evaluate("window.notReloaded = true")
    author = open_page(user=thread.author, path=f"/forum/threads/{thread.pk}/")
    # The reader's socket is up once its page lists the author.
    expect(reader.locator("[data-viewers]")).to_contain_text("Alice Author")

    author.get_by_role("link", name="Edit").click()
    expect(author.locator("textarea[name=body]")).to_have_value("Opening post")
    author.locator("textarea[name=body]").fill("Opening post, *corrected*")
    author.get_by_role("button", name="Save").click()

    expect(author.locator("#posts")).to_contain_text("Opening post, corrected")
    edited = reader.locator("#posts article").first
    expect(edited.locator(".body em")).to_have_text("corrected")
    assert reader.evaluate("window.notReloaded") is True


def read_up_to(page, thread, user, post_id: int) -> bool:
    """Waits (up to 5 s, letting the page run) until ``user`` has read ``thread`` to ``post_id``."""
    from forum.models import ReadState

    for _ in range(50):
        state = ReadState.objects.filter(thread=thread, user=user).first()
        if state is not None and state.last_read_post_id >= post_id:
            return True
        page.wait_for_timeout(100)
    return False


def test_opening_a_thread_in_the_browser_marks_it_read_and_a_live_reply_too(open_page, thread):
    reader = make_member(username="dora", display_name="Dora Reader")
    replier = make_member(username="erik", display_name="Erik")
    # Two members reply, each once: the forum's own pace limit is not what is tested.
    reply = services.post_reply(
        thread=thread, author=make_member(username="finn").user, body="Unread reply"
    )
    page = open_page(user=reader.user, path=f"/forum/threads/{thread.pk}/")
    expect(page.locator("#posts")).to_contain_text("Unread reply")
    assert read_up_to(page, thread, reader.user, reply.pk)

    newer = outside_the_browser_loop(
        services.post_reply, thread=thread, author=replier.user, body="Arrives live"
    )
    expect(page.locator("#posts")).to_contain_text("Arrives live")
    assert read_up_to(page, thread, reader.user, newer.pk)


def test_a_reader_switches_a_thread_to_german_and_stays_on_it_live(open_page, thread):
    page = open_page(path=f"/forum/threads/{thread.pk}/")
    page.locator(".language-switcher").get_by_role("link", name="Deutsch").click()

    expect(page).to_have_url(re.compile(rf"/de/forum/threads/{thread.pk}/$"))
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.locator(".site-header")).to_contain_text("Anmelden")
    expect(page.locator("#posts")).to_contain_text("Opening post")
    # Still the live thread: a new reply arrives without a reload.
    replier = make_member(username="gustav", display_name="Gustav")
    outside_the_browser_loop(
        services.post_reply, thread=thread, author=replier.user, body="Auch auf Deutsch"
    )
    expect(page.locator("#posts")).to_contain_text("Auch auf Deutsch")
