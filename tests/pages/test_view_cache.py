"""Anonymous answers of the directory, forum, partner request and award views are kept like
Wagtail pages, each until the data it lists changes; members always reach the view."""

import pytest
from django.test import Client
from django.urls import reverse

from caching import generations
from forum import services as forum_services
from forum.models import Category
from pages import page_cache
from tests.awards.factories import make_cycle
from tests.factories import make_member, make_organisation

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache")]

HIT = "X-Page-Cache"


@pytest.fixture
def forum_thread(settings):
    settings.FORUM_POST_INTERVAL = 0
    settings.FORUM_DUPLICATE_WINDOW = 0
    settings.FORUM_NEW_ACCOUNT_DAILY_POSTS = 0
    category = Category.objects.create(name="Cluster management", slug="cluster-management")
    author = make_member(username="ada", display_name="Ada Author").user
    thread = forum_services.start_thread(
        category=category, author=author, title="Sharing strategies", body="First words."
    )
    return thread


def test_a_forum_thread_is_kept_for_anonymous_readers_until_somebody_replies(
    client, forum_thread, django_assert_max_num_queries
):
    path = f"/forum/threads/{forum_thread.pk}/"
    first = client.get(path)
    assert first.status_code == 200 and HIT not in first
    with django_assert_max_num_queries(0):
        second = client.get(path)
    assert second[HIT] == "hit"
    assert second.content == first.content
    forum_services.post_reply(thread=forum_thread, author=forum_thread.author, body="A reply.")
    fresh = client.get(path)
    assert HIT not in fresh
    assert "A reply." in fresh.content.decode()
    assert client.get("/forum/").status_code == 200
    assert client.get("/forum/")[HIT] == "hit"


def test_a_member_reading_a_thread_leaves_the_anonymous_copy_fresh(client, forum_thread):
    path = f"/forum/threads/{forum_thread.pk}/"
    reader = make_member(username="rea", display_name="Rea Reader").user
    member_client = Client()
    member_client.force_login(reader)
    client.get(path)
    own = member_client.get(path)
    assert own.status_code == 200
    assert HIT not in own
    assert "Rea Reader" in own.content.decode()
    # The page's script then marks the thread read: the member's own row, not what
    # others see.
    assert forum_services.mark_read(thread=forum_thread, user=reader) > 0
    kept = client.get(path)
    assert kept[HIT] == "hit"
    assert "Rea Reader" not in kept.content.decode()


def test_a_members_only_thread_is_never_kept(client, forum_thread):
    category = Category.objects.create(name="Inner", slug="inner", visibility="members")
    hidden = forum_services.start_thread(
        category=category, author=forum_thread.author, title="Members talk", body="Hush."
    )
    path = f"/forum/threads/{hidden.pk}/"
    first = client.get(path)
    assert first.status_code != 200
    assert HIT not in client.get(path)


def test_the_organisation_directory_shows_a_new_organisation_at_once(client):
    make_organisation(name="Aarhus Energy Cluster")
    assert "Aarhus Energy Cluster" in client.get("/organisations/").content.decode()
    assert client.get("/organisations/")[HIT] == "hit"
    make_organisation(name="Berlin Hydrogen Hub")
    fresh = client.get("/organisations/")
    assert HIT not in fresh
    assert "Berlin Hydrogen Hub" in fresh.content.decode()


def test_an_award_cycle_page_shows_an_edit_at_once(client):
    cycle = make_cycle()
    path = reverse("awards:cycle", kwargs={"slug": cycle.slug})
    assert client.get(path).status_code == 200
    assert client.get(path)[HIT] == "hit"
    cycle.title = "Cluster Manager of the Year, renamed"
    cycle.save()
    fresh = client.get(path)
    assert HIT not in fresh
    assert "Cluster Manager of the Year, renamed" in fresh.content.decode()


def test_the_partner_requests_listing_is_kept_under_its_own_generation(client):
    assert client.get("/partners/requests/").status_code == 200
    assert client.get("/partners/requests/")[HIT] == "hit"
    generations.advance("pagecache:generation:partnering")
    assert HIT not in client.get("/partners/requests/")


def test_a_signed_in_member_never_gets_the_anonymous_copy_and_never_fills_it(client):
    make_organisation(name="Aarhus Energy Cluster")
    member = make_member(username="ada", display_name="Ada Author").user
    client.force_login(member)
    own = client.get("/organisations/")
    assert own.status_code == 200 and HIT not in own
    # The members' own shared copy (tests/pages/test_member_page_cache.py), with her links.
    again = client.get("/organisations/")
    assert again[HIT] == "hit" and "Ada Author" in again.content.decode()
    client.logout()
    client.cookies.clear()
    anonymous = client.get("/organisations/")
    assert HIT not in anonymous  # the member's answer was not kept
    assert "Ada Author" not in anonymous.content.decode()
    assert client.get("/organisations/")[HIT] == "hit"


def test_views_not_registered_are_never_kept(client):
    assert client.get("/styleguide/").status_code == 200
    assert HIT not in client.get("/styleguide/")
    assert "styleguide" not in page_cache.ANONYMOUS_VIEWS


def test_each_language_has_its_own_copy(client):
    make_organisation(name="Aarhus Energy Cluster")
    english = client.get("/organisations/")
    client.get("/organisations/")
    german = client.get("/de/organisations/")
    assert HIT not in german
    assert german.content != english.content
    assert client.get("/de/organisations/")[HIT] == "hit"
