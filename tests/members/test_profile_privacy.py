"""Per-field profile privacy: one rule (members/profile_privacy.py), every surface.

The owner ("Harriet") shows her profile to everyone but hides some fields; each test reads
one surface as another member, as an anonymous visitor, as the owner and as staff, and
looks for the hidden words.
"""

import json

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client
from rest_framework.test import APIClient

from forum import services as forum_services
from forum.models import Category
from members.models import MemberProfile, Membership
from members.profile_privacy import PRIVATE_FIELDS, visible_fields
from tests.factories import make_member, make_organisation, make_user

pytestmark = pytest.mark.django_db

HIDDEN_BIO = "Secret heron biography"
MEMBERS_LANGUAGES = "Quechua, Faroese"


@pytest.fixture
def owner(db):
    profile = make_member(
        username="harriet",
        display_name="Harriet Owner",
        bio=HIDDEN_BIO,
        country="IS",
        languages=MEMBERS_LANGUAGES,
        phone="+354 555 0101",
        links=["https://example.org/harriet-heron"],
        bio_visibility="hidden",
        country_visibility="hidden",
        languages_visibility="members",
        links_visibility="hidden",
        organisations_visibility="hidden",
        email_visibility="hidden",
        phone_visibility="members",
    )
    organisation = make_organisation(name="Heron Fjord Cluster")
    Membership.objects.create(
        member=profile, organisation=organisation, status="approved", is_primary=True
    )
    return profile


@pytest.fixture
def reader(db):
    return make_member(username="reader", display_name="Reader")


def client_for(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def api_for(user):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


HIDDEN_WORDS = (HIDDEN_BIO, "Iceland", "harriet-heron", "Heron Fjord Cluster", "harriet@example")


def assert_hidden(text: str):
    for word in HIDDEN_WORDS:
        assert word not in text, word


def test_the_one_rule_answers_per_viewer(owner, reader, editor):
    assert visible_fields(profile=owner, viewer=reader.user) == {"languages", "phone"}
    assert visible_fields(profile=owner, viewer=None) == set()
    assert visible_fields(profile=owner, viewer=owner.user) == set(PRIVATE_FIELDS)
    assert visible_fields(profile=owner, viewer=editor) == set(PRIVATE_FIELDS)


def test_a_new_profile_keeps_todays_defaults(reader):
    other = make_member(username="fresh", bio="Hello", country="DK")
    assert visible_fields(profile=other, viewer=reader.user) == {
        "bio",
        "country",
        "languages",
        "links",
        "organisations",
    }


def test_the_profile_page_hides_hidden_fields(owner, reader):
    page = client_for(reader.user).get(f"/members/{owner.pk}/").content.decode()
    assert_hidden(page)
    assert MEMBERS_LANGUAGES in page
    assert "+354 555 0101" in page
    anonymous = client_for(None).get(f"/members/{owner.pk}/").content.decode()
    assert_hidden(anonymous)
    assert MEMBERS_LANGUAGES not in anonymous
    assert "+354 555 0101" not in anonymous


def test_the_owner_sees_every_field_on_their_page(owner):
    page = client_for(owner.user).get(f"/members/{owner.pk}/").content.decode()
    for word in (HIDDEN_BIO, "Iceland", "harriet-heron", "Heron Fjord Cluster"):
        assert word in page


def test_the_member_list_hides_hidden_fields(owner, reader):
    page = client_for(reader.user).get("/members/").content.decode()
    assert "Harriet Owner" in page
    # (the country filter lists every country: look at the cards)
    assert '<p class="meta">Iceland</p>' not in page
    assert_hidden(page.replace("Iceland</option>", ""))
    MemberProfile.objects.filter(pk=owner.pk).update(
        country_visibility="public", organisations_visibility="members"
    )
    page = client_for(reader.user).get("/members/").content.decode()
    assert '<p class="meta">Iceland</p>' in page
    assert "Heron Fjord Cluster" in page


def test_the_api_gives_null_for_hidden_fields(owner, reader, editor):
    data = api_for(reader.user).get(f"/api/members/{owner.pk}/").json()
    assert data["bio"] is None
    assert data["country"] is None
    assert data["links"] == []
    assert data["organisations"] == []
    assert data["email"] is None
    assert data["languages"] == MEMBERS_LANGUAGES
    assert data["phone"] == "+354 555 0101"
    assert_hidden(json.dumps(api_for(reader.user).get("/api/members/").json()))
    staff = api_for(editor).get(f"/api/members/{owner.pk}/").json()
    assert staff["bio"] == HIDDEN_BIO and staff["country"] == "IS"


def test_member_search_does_not_match_a_hidden_field(owner, reader):
    api = api_for(reader.user)
    assert api.get("/api/members/", {"q": "heron biography"}).json()["count"] == 0
    assert api.get("/api/members/", {"country": "IS"}).json()["count"] == 0
    organisation = owner.memberships.get().organisation
    assert api.get("/api/members/", {"organisation": organisation.slug}).json()["count"] == 0
    html = client_for(reader.user).get("/members/", {"q": "heron biography"}).content.decode()
    assert "Harriet Owner" not in html
    # The owner finds themselves: the field is theirs.
    assert api_for(owner.user).get("/api/members/", {"q": "heron biography"}).json()["count"] == 1


def test_site_search_does_not_match_or_quote_a_hidden_bio(owner, reader):
    answer = api_for(reader.user).get("/api/search/", {"q": "heron biography"}).json()
    assert_hidden(json.dumps(answer))
    assert "Harriet Owner" not in json.dumps(answer)
    MemberProfile.objects.filter(pk=owner.pk).update(bio_visibility="members")
    answer = api_for(reader.user).get("/api/search/", {"q": "heron biography"}).json()
    assert "Harriet Owner" in json.dumps(answer)
    anonymous = api_for(None).get("/api/search/", {"q": "heron biography"}).json()
    assert "Harriet Owner" not in json.dumps(anonymous)


@pytest.fixture
def thread(owner):
    category = Category.objects.create(name="General", slug="general")
    return forum_services.start_thread(
        category=category, author=owner.user, title="Fjords", body="About fjords."
    )


def test_forum_author_cards_show_the_country_only_when_shown(owner, reader, thread):
    post = api_for(reader.user).get(f"/api/forum/threads/{thread.pk}/posts/").json()["results"][0]
    assert post["author"] == {"id": owner.pk, "display_name": "Harriet Owner", "country": None}
    assert (
        "Iceland"
        not in client_for(reader.user).get(f"/forum/threads/{thread.pk}/").content.decode()
    )
    MemberProfile.objects.filter(pk=owner.pk).update(country_visibility="members")
    post = api_for(reader.user).get(f"/api/forum/threads/{thread.pk}/posts/").json()["results"][0]
    assert post["author"]["country"] == "IS"
    assert "Iceland" in client_for(reader.user).get(f"/forum/threads/{thread.pk}/").content.decode()
    anonymous = api_for(None).get(f"/api/forum/threads/{thread.pk}/posts/").json()["results"][0]
    assert anonymous["author"]["country"] is None


@pytest.mark.django_db(transaction=True)
async def test_the_socket_post_payload_leaves_a_hidden_country_out(settings):
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    settings.FORUM_POST_INTERVAL = 0

    def world():
        owner = make_member(username="sock", display_name="Sock Owner", country="IS")
        owner.country_visibility = "hidden"
        owner.save()
        reader = make_user(username="sockreader")
        category = Category.objects.create(name="Open", slug="open")
        thread = forum_services.start_thread(
            category=category, author=owner.user, title="Sockets", body="First."
        )
        client = Client()
        client.force_login(reader)
        return thread, f"sessionid={client.cookies['sessionid'].value}".encode()

    thread, cookie = await database_sync_to_async(world)()
    first = await database_sync_to_async(thread.posts.get)()
    reply = await database_sync_to_async(forum_services.post_reply)(
        thread=thread, author=thread.author, body="Missed reply."
    )
    from config.asgi import application

    communicator = WebsocketCommunicator(
        application,
        f"/ws/forum/threads/{thread.pk}/?after={first.pk}",
        headers=[(b"origin", b"http://testserver"), (b"cookie", cookie)],
    )
    connected, _code = await communicator.connect(timeout=5)
    assert connected
    message = json.loads(await communicator.receive_from(timeout=3))
    assert message["post"]["id"] == reply.pk
    assert message["post"]["author"]["display_name"] == "Sock Owner"
    assert message["post"]["author"]["country"] is None
    await communicator.disconnect()


def test_a_member_sets_who_sees_each_field_through_the_api(reader):
    api = api_for(reader.user)
    response = api.patch(
        "/api/members/me/", {"bio_visibility": "hidden", "phone_visibility": "members"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["bio_visibility"] == "hidden"
    reader.refresh_from_db()
    assert (reader.bio_visibility, reader.phone_visibility) == ("hidden", "members")
    assert api.patch("/api/members/me/", {"bio_visibility": "friends"}).status_code == 400
    # Others never see the settings themselves.
    other = make_member(username="peer")
    assert "bio_visibility" not in api_for(other.user).get(f"/api/members/{reader.pk}/").json()


def test_a_member_sets_who_sees_each_field_in_the_profile_form(reader):
    client = client_for(reader.user)
    form = client.get("/members/me/edit/").context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(display_name="Reader", links="", expertise="", organisations_visibility="hidden")
    data.pop("avatar", None)
    response = client.post("/members/me/edit/", data)
    assert response.status_code == 302, response.context["form"].errors
    reader.refresh_from_db()
    assert reader.organisations_visibility == "hidden"


def test_the_organisation_page_leaves_out_people_who_hide_their_organisations(owner, reader):
    organisation = owner.memberships.get().organisation
    page = client_for(reader.user).get(organisation.get_absolute_url()).content.decode()
    assert "Harriet Owner" not in page
    MemberProfile.objects.filter(pk=owner.pk).update(organisations_visibility="members")
    page = client_for(reader.user).get(organisation.get_absolute_url()).content.decode()
    assert "Harriet Owner" in page
    anonymous = client_for(None).get(organisation.get_absolute_url()).content.decode()
    assert "Harriet Owner" not in anonymous
