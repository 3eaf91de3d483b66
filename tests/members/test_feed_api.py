"""Following in the API, and the personal feed: every app's part (events, partner
requests, forum threads, members' activity), through the dashboard's registry of sources."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from events.models import EventPage
from forum import services as forum_services
from forum.models import Category
from members import dashboard
from members.models import Follow, MemberProfile
from partnering import services as partnering_services
from tests.factories import make_event, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(member):
    client = APIClient()
    client.force_authenticate(member.user)
    return client


def test_following_through_the_api(api, member, other_member, organisation):
    assert (
        api.post(
            "/api/members/me/following/", {"organisation": organisation.slug}, format="json"
        ).status_code
        == 200
    )
    answer = api.post("/api/members/me/following/", {"member": other_member.pk}, format="json")
    assert answer.status_code == 200
    assert [m["id"] for m in answer.json()["members"]] == [other_member.pk]
    assert [o["slug"] for o in answer.json()["organisations"]] == [organisation.slug]
    # twice is once
    api.post("/api/members/me/following/", {"member": other_member.pk}, format="json")
    assert Follow.objects.filter(follower=member).count() == 2

    assert api.delete(f"/api/members/me/following/members/{other_member.pk}/").status_code == 204
    assert (
        api.delete(f"/api/members/me/following/organisations/{organisation.slug}/").status_code
        == 204
    )
    assert api.get("/api/members/me/following/").json() == {"members": [], "organisations": []}


@pytest.mark.parametrize(
    "payload, status",
    [
        ({}, 400),
        ({"member": "x"}, 400),
        ({"member": 1, "organisation": "a"}, 400),
        ({"member": 1, "organisation": ""}, 400),
        ({"organisation": ""}, 400),
    ],
)
def test_bad_follow_requests_are_400(api, payload, status):
    assert api.post("/api/members/me/following/", payload, format="json").status_code == status
    # the same as a form, whose empty fields DRF would otherwise drop
    assert api.post("/api/members/me/following/", payload, format="multipart").status_code == status


def test_a_hidden_profile_or_oneself_cannot_be_followed(api, member):
    hidden = make_member(username="hider", visibility="hidden")
    assert (
        api.post("/api/members/me/following/", {"member": hidden.pk}, format="json").status_code
        == 404
    )
    assert (
        api.post("/api/members/me/following/", {"member": member.pk}, format="json").status_code
        == 400
    )


def test_anonymous_callers_have_no_feed_or_following(client):
    assert APIClient().get("/api/members/me/feed/").status_code == 401
    assert APIClient().get("/api/members/me/following/").status_code == 401


@pytest.fixture
def followed_world(member, other_member, organisation, coadmin, settings):
    """The member follows the organisation and the other member; each part of the site has
    news of them, and of someone not followed."""
    settings.FORUM_POST_INTERVAL = 0
    settings.FORUM_DUPLICATE_WINDOW = 0
    Follow.objects.create(follower=member, organisation=organisation)
    Follow.objects.create(follower=member, member=other_member)
    event = make_event(title="Robotics summit", organiser=organisation)
    EventPage.objects.filter(pk=event.pk).update(
        first_published_at=timezone.now() - datetime.timedelta(hours=3)
    )
    make_event(title="Unrelated fair")
    partnering_services.create_request(
        author=coadmin.user,
        organisation=organisation,
        kind="cooperation",
        title="Gripper partners wanted",
        description="We seek gripper makers.",
        deadline=timezone.localdate() + datetime.timedelta(days=30),
        publish=True,
    )
    category = Category.objects.create(name="General", slug="general")
    forum_services.start_thread(
        category=category, author=other_member.user, title="Cluster finance", body="Let us talk."
    )
    stranger = make_member(username="stranger")
    forum_services.start_thread(
        category=category, author=stranger.user, title="Unfollowed talk", body="Hello."
    )
    members_only = Category.objects.create(
        name="Lounge", slug="lounge", visibility=Category.Visibility.MEMBERS
    )
    forum_services.start_thread(
        category=members_only, author=other_member.user, title="Members lounge", body="Hi."
    )
    return event


def test_the_feed_shows_every_part_of_the_site(api, followed_world):
    answer = api.get("/api/members/me/feed/")
    assert answer.status_code == 200, answer.content
    items = answer.json()["results"]
    kinds = {item["kind"] for item in items}
    assert {"events.event", "partnering.request", "forum.thread"} <= kinds
    titles = " ".join(item["title"] for item in items)
    assert "Robotics summit" in titles
    assert "Gripper partners wanted" in titles
    assert "Cluster finance" in titles and "Members lounge" in titles
    assert "Unrelated fair" not in titles and "Unfollowed talk" not in titles
    whens = [item["when"] for item in items]
    assert whens == sorted(whens, reverse=True)
    assert answer.json()["next"] is None


def test_the_feed_leaves_out_what_the_member_may_not_see(api, member, other_member, followed_world):
    MemberProfile.objects.filter(pk=other_member.pk).update(visibility="hidden")
    titles = " ".join(i["title"] for i in api.get("/api/members/me/feed/").json()["results"])
    assert "Cluster finance" not in titles


def test_the_feed_pages_with_before(api, member, other_member, settings):
    settings.FORUM_POST_INTERVAL = 0
    settings.FORUM_DUPLICATE_WINDOW = 0
    settings.FORUM_NEW_ACCOUNT_DAILY_POSTS = 0
    Follow.objects.create(follower=member, member=other_member)
    category = Category.objects.create(name="General", slug="general")
    for n in range(25):
        forum_services.start_thread(
            category=category, author=other_member.user, title=f"Thread {n}", body=f"Body {n}."
        )
    first = api.get("/api/members/me/feed/").json()
    assert len(first["results"]) == 20
    second = api.get(first["next"]).json()
    seen = [i["title"] for i in first["results"] + second["results"]]
    assert len(seen) == len(set(seen))
    assert {f"Thread {n}" for n in range(25)} <= {t.split("“")[-1].rstrip("”") for t in seen}


@pytest.mark.parametrize("before", ["", "yesterday", "2026-13-01T00:00:00Z", "2026-01-01T00:00:00"])
def test_a_bad_cursor_is_a_400(api, before):
    assert api.get("/api/members/me/feed/", {"before": before}).status_code == 400


def test_a_failing_source_leaves_the_rest_of_the_feed(api, followed_world):
    @dashboard.register_feed_source("tests.broken")
    def broken(**kwargs):
        raise RuntimeError("boom")

    try:
        assert api.get("/api/members/me/feed/").json()["results"]
    finally:
        dashboard.unregister_feed_source("tests.broken")


def test_the_dashboard_page_shows_the_feed(client, member, followed_world):
    client.force_login(member.user)
    page = client.get("/members/me/").content.decode()
    assert "Robotics summit" in page and "Gripper partners wanted" in page
