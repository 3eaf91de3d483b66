"""The home page shows a living club: next events with their seats, open calls, active
discussions, the newest partner requests, organisations and members, in a fixed number of
queries."""

import datetime
import io

import pytest
from bs4 import BeautifulSoup
from django.core.files.images import ImageFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.images import get_image_model

from events.models import EventIndexPage
from events.services import register_for_event
from forum import services as forum
from forum.models import Category
from partnering import services as partnering
from tests.factories import make_event, make_member, make_organisation
from tests.forum.conftest import _no_rate_limits  # noqa: F401 (threads in quick succession)

pytestmark = pytest.mark.django_db


@pytest.fixture
def club(home):
    """The home page with an event index under it, a public and a members-only category."""
    index = EventIndexPage(title="Events", slug="events")
    home.add_child(instance=index)
    public = Category.objects.create(name="General", slug="general", order=1)
    members = Category.objects.create(name="Members", slug="members", order=2, visibility="members")
    return {"home": home, "index": index, "public": public, "members": members}


def logo(colour):
    from PIL import Image as PILImage

    buffer = io.BytesIO()
    PILImage.new("RGB", (300, 200), colour).save(buffer, format="PNG")
    return get_image_model().objects.create(title="Logo", file=ImageFile(buffer, name="logo.png"))


def add_activity(club, n):
    """An event with seats, a thread, an open request and an organisation with a logo."""
    author = make_member(username=f"author{n}")
    event = make_event(index=club["index"], title=f"Conference {n}", capacity=10)
    register_for_event(event=event, member=make_member(username=f"guest{n}"))
    forum.start_thread(
        category=club["public"], author=author.user, title=f"Public thread {n}", body="Hello"
    )
    make_organisation(name=f"Cluster {n}", logo=logo((10 * n, 80, 150)))
    partnering.create_request(
        author=author.user,
        kind="mentoring",
        title=f"Request {n}",
        description="Mentoring for new cluster managers.",
        deadline=timezone.localdate() + datetime.timedelta(days=10),
        publish=True,
    )


def home_html(client):
    response = client.get("/")
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def test_the_home_page_shows_what_is_happening_now(client, club):
    add_activity(club, 1)
    forum.start_thread(
        category=club["members"],
        author=make_member(username="insider").user,
        title="Members-only thread",
        body="Hush",
    )
    soup = home_html(client)
    events = soup.select_one("section[aria-labelledby=home-events]").get_text(" ", strip=True)
    assert "Conference 1" in events and "9 seats left" in events
    threads = soup.select_one("section[aria-labelledby=home-threads]").get_text(" ", strip=True)
    assert "Public thread 1" in threads
    assert "Members-only thread" not in threads
    requests = soup.select_one("section[aria-labelledby=home-requests]").get_text(" ", strip=True)
    assert "Request 1" in requests
    organisations = soup.select_one("section[aria-labelledby=home-organisations]")
    image = organisations.select_one("img.logo")
    assert image["alt"] == "Logo of Cluster 1"
    assert image["loading"] == "lazy" and image["width"] and image["height"]


def test_a_full_event_says_so_and_a_members_thread_shows_to_members(client, club):
    event = make_event(index=club["index"], title="Tiny workshop", capacity=1)
    register_for_event(event=event, member=make_member(username="first"))
    insider = make_member(username="insider")
    forum.start_thread(
        category=club["members"], author=insider.user, title="Members-only thread", body="Hi"
    )
    client.force_login(insider.user)
    soup = home_html(client)
    assert "Full: waitlist open" in soup.select_one("section[aria-labelledby=home-events]").text
    assert "Members-only thread" in soup.select_one("section[aria-labelledby=home-threads]").text


def test_the_home_page_costs_the_same_queries_however_much_happens(client, club):
    add_activity(club, 1)
    client.get("/")  # the logo's rendition is made on its first showing
    with CaptureQueriesContext(connection) as few:
        home_html(client)
    for n in range(2, 6):
        add_activity(club, n)
    client.get("/")  # the new logos' renditions are made once, on their first showing
    with CaptureQueriesContext(connection) as many:
        soup = home_html(client)
    assert len(soup.select("section[aria-labelledby=home-requests] li")) == 4
    assert len(soup.select("section[aria-labelledby=home-organisations] img.logo")) == 4
    assert len(many) == len(few), "\n".join(q["sql"][:150] for q in many.captured_queries)


def test_new_members_show_only_the_profiles_the_visitor_may_see(client, club):
    make_member(username="open", display_name="Olga Open", visibility="public")
    insider = make_member(username="inner", display_name="Ivan Inner", visibility="members")
    make_member(username="shy", display_name="Sara Shy", visibility="hidden")

    section = home_html(client).select_one("section[aria-labelledby=home-members]").text
    assert "Olga Open" in section
    assert "Ivan Inner" not in section and "Sara Shy" not in section

    client.force_login(insider.user)
    section = home_html(client).select_one("section[aria-labelledby=home-members]").text
    assert "Olga Open" in section and "Ivan Inner" in section and "Sara Shy" not in section


def test_a_member_sees_the_home_page_every_member_sees_not_their_own_hidden_things(client, club):
    """The home page is one page for all members (``HomePage.member_neutral``): a member's
    hidden profile and unpublished organisation are on their own pages, not here."""
    make_member(username="inner", display_name="Ivan Inner", visibility="members")
    shy = make_member(username="shy", display_name="Sara Shy", visibility="hidden")
    make_organisation(name="Published Cluster")
    draft = make_organisation(name="Unpublished Cluster", is_published=False)
    draft.co_admins.add(shy.user)

    client.force_login(shy.user)
    soup = home_html(client)
    members = soup.select_one("section[aria-labelledby=home-members]").text
    assert "Ivan Inner" in members and "Sara Shy" not in members
    organisations = soup.select_one("section[aria-labelledby=home-organisations]").text
    assert "Published Cluster" in organisations and "Unpublished Cluster" not in organisations
