"""Signed-in members get the pages that are the same for every member from one shared copy,
with their own account links; nothing of one member ever reaches another."""

import re

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import PageViewRestriction

from events.models import EventIndexPage
from pages.models import CallIndexPage
from pages.page_cache import ACCOUNT_PLACEHOLDER, CSRF_PLACEHOLDER
from privacy.models import PrivacyPolicyPage, TermsPage
from tests.factories import DEFAULT_PASSWORD, make_member
from tests.pages.conftest import publish
from tests.privacy.factories import make_policy

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache")]

HIT = "X-Page-Cache"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def editor():
    user = make_member(username="edda", display_name="Edda Editor").user
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def signed_in(user, **kwargs) -> Client:
    client = Client(**kwargs)
    client.force_login(user)
    return client


def visit(user, path):
    response = signed_in(user).get(path)
    return response, response.content.decode()


def test_a_second_member_gets_the_shared_copy_with_their_own_links_and_nothing_of_the_first(
    standard_page, ariadne, bertram
):
    first, first_body = visit(ariadne, "/about/")
    assert first.status_code == 200
    assert HIT not in first
    assert "Ariadne Alpha" in first_body
    ariadne_token = TOKEN.search(first_body).group(1)

    with CaptureQueriesContext(connection) as queries:
        second, body = visit(bertram, "/about/")
    assert second[HIT] == "hit"
    assert not [q for q in queries.captured_queries if "wagtailcore_page" in q["sql"]]
    assert "The structure that carries on the ECEI." in body
    assert "Bertram Beta" in body
    assert f'action="{reverse("account_logout")}"' in body
    assert "Ariadne" not in body and "ariadne" not in body
    assert ariadne_token not in body
    assert TOKEN.search(body).group(1) != ariadne_token
    assert ACCOUNT_PLACEHOLDER not in body


def test_the_account_links_of_a_shared_copy_sign_the_member_out(standard_page, ariadne, bertram):
    visit(ariadne, "/about/")
    client = signed_in(bertram, enforce_csrf_checks=True)
    page = client.get("/about/")
    assert page[HIT] == "hit"
    token = TOKEN.search(page.content.decode()).group(1)

    refused = client.post(reverse("account_logout"), {"csrfmiddlewaretoken": "x" * 64})
    assert refused.status_code == 403
    assert client.session.get("_auth_user_id") == str(bertram.pk)

    signed_out = client.post(reverse("account_logout"), {"csrfmiddlewaretoken": token})
    assert signed_out.status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    "make_page",
    [
        pytest.param(
            lambda home: publish(home, CallIndexPage(title="Calls", slug="calls")), id="calls"
        ),
        pytest.param(
            lambda home: publish(home, EventIndexPage(title="Events", slug="events")), id="events"
        ),
        pytest.param(lambda home: make_policy(TermsPage, version=1), id="terms"),
        pytest.param(lambda home: make_policy(PrivacyPolicyPage, version=1), id="privacy"),
    ],
)
def test_each_member_neutral_page_type_is_shared_between_members(home, make_page, ariadne, bertram):
    from privacy import services

    page = make_page(home)
    in_force = {doc: version for doc, version in services.current_versions().items() if version}
    for member in (ariadne, bertram):
        services.accept_policies(user=member, versions=in_force)
    visit(ariadne, page.url)
    response, body = visit(bertram, page.url)
    assert response[HIT] == "hit"
    assert page.title in body
    assert "Bertram Beta" in body and "Ariadne" not in body


def test_news_pages_are_shared_between_members(news_index, news_page, ariadne, bertram):
    for path in ("/news/", "/news/?kind=award", news_page.url):
        visit(ariadne, path)
        response, body = visit(bertram, path)
        assert response[HIT] == "hit", path
        assert news_page.title in body
        assert "Bertram Beta" in body and "Ariadne" not in body


def test_a_member_who_must_accept_new_terms_is_sent_to_accept_them_not_served_the_copy(
    home, standard_page, ariadne, bertram
):
    from privacy import services

    make_policy(TermsPage, version=1)
    services.accept_policies(user=ariadne, versions={"terms": 1})
    visit(ariadne, "/about/")
    assert visit(ariadne, "/about/")[0][HIT] == "hit"

    response, body = visit(bertram, "/about/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("privacy:accept"))
    assert HIT not in response
    assert "The structure that carries on the ECEI." not in body


def test_an_editor_gets_the_editing_bar_and_neither_gets_nor_makes_the_shared_copy(
    standard_page, editor, ariadne, bertram
):
    response, body = visit(editor, "/about/")
    assert "wagtail-userbar" in body
    response, body = visit(ariadne, "/about/")
    assert HIT not in response  # the editor's visit stored nothing

    assert visit(bertram, "/about/")[0][HIT] == "hit"
    response, body = visit(editor, "/about/")
    assert HIT not in response
    assert "wagtail-userbar" in body
    assert "Edda Editor" in body and "Ariadne" not in body and "Bertram" not in body


def test_signing_in_keeps_the_other_members_answers_and_ones_own_links(
    standard_page, ariadne, bertram
):
    """A sign-in writes only the account's last_login: it neither empties what is kept of
    every account's admin access nor the member's own account links."""
    client = signed_in(bertram)
    client.get("/about/")
    visit(ariadne, "/about/")  # another member signs in

    with CaptureQueriesContext(connection) as queries:
        page = client.get("/about/")

    assert page[HIT] == "hit"
    assert not [q for q in queries.captured_queries if "auth_permission" in q["sql"]]
    assert not [q for q in queries.captured_queries if "members_memberprofile" in q["sql"]]


def test_a_change_of_name_or_of_staff_status_is_seen_at_once(standard_page, bertram):
    client = signed_in(bertram)
    client.get("/about/")
    profile = bertram.profile
    profile.display_name = "Bertram Renamed"
    profile.save()
    assert "Bertram Renamed" in client.get("/about/").text

    bertram.is_staff = True
    bertram.save()
    bertram.groups.add(Group.objects.get(name="Editors"))
    page = client.get("/about/")
    assert HIT not in page
    assert "wagtail-userbar" in page.text


def test_the_home_page_is_shared_and_holds_nothing_that_only_its_first_visitor_may_see(
    home, ariadne, bertram
):
    """Ariadne's hidden profile, her unpublished organisation, her hidden partner request
    and her private conversation are hers to see, but not on the copy Bertram gets."""
    from forum import services as forum
    from forum.models import Category
    from partnering import services as partnering
    from tests.factories import make_organisation

    profile = ariadne.profile
    profile.visibility = "hidden"
    profile.save()
    draft = make_organisation(name="Ariadne's Unpublished Cluster", is_published=False)
    draft.co_admins.add(ariadne)
    request = _published_request(ariadne, "Ariadne's hidden request")
    moderator = make_member(username="moda").user
    moderator.is_staff = True
    moderator.save()
    partnering.hide_request(partner_request=request, moderator=moderator)
    Category.objects.create(name="Private", slug="private", visibility="private")
    forum.start_private_thread(
        author=ariadne, title="Ariadne's private conversation", body="Hi", users=[bertram]
    )
    make_member(username="carla", display_name="Carla Gamma", visibility="members")

    first, first_body = visit(ariadne, "/")
    assert first.status_code == 200 and HIT not in first
    assert "Carla Gamma" in first_body  # members' profiles are on the members' home page
    response, body = visit(bertram, "/")
    assert response[HIT] == "hit"
    assert "Carla Gamma" in body
    assert "Bertram Beta" in body
    for private_thing in (
        "Ariadne",
        "Unpublished Cluster",
        "hidden request",
        "private conversation",
    ):
        assert private_thing not in body, private_thing


def test_publishing_a_page_makes_the_members_copy_stale(standard_page, ariadne, bertram):
    visit(ariadne, "/about/")
    assert visit(bertram, "/about/")[0][HIT] == "hit"

    standard_page.intro = "<p>Fresh words.</p>"
    standard_page.save_revision().publish()
    response, body = visit(bertram, "/about/")
    assert HIT not in response
    assert "Fresh words." in body
    assert "The structure that carries on the ECEI." not in body


@pytest.mark.parametrize(
    "storage",
    [
        # The default keeps messages in a cookie, and in the session when they are long.
        "django.contrib.messages.storage.fallback.FallbackStorage",
        "django.contrib.messages.storage.session.SessionStorage",
    ],
)
def test_a_member_with_a_message_to_read_gets_the_page_drawn_with_it(
    settings, storage, standard_page, ariadne, bertram
):
    settings.MESSAGE_STORAGE = storage
    visit(ariadne, "/about/")
    client = Client()
    signed = client.post(
        reverse("account_login"), {"login": "bertram", "password": DEFAULT_PASSWORD}
    )
    assert signed.status_code == 302

    with_message = client.get("/about/")
    assert HIT not in with_message
    body = with_message.content.decode()
    assert 'class="messages"' in body and "Successfully signed in as bertram" in body
    assert "Bertram Beta" in body

    # As a browser does, drop a message cookie that the page's answer expired.
    if "messages" in client.cookies:
        assert client.cookies["messages"]["max-age"] == 0
        del client.cookies["messages"]
    after = client.get("/about/")
    assert after[HIT] == "hit"
    assert 'class="messages"' not in after.content.decode()


def test_anonymous_visitors_and_members_never_get_each_others_copies(
    client, standard_page, ariadne
):
    sign_in = f'href="{reverse("account_login")}"'
    assert HIT not in client.get("/about/")
    assert client.get("/about/")[HIT] == "hit"

    response, body = visit(ariadne, "/about/")
    assert HIT not in response  # the anonymous copy is not the members'
    assert "Ariadne Alpha" in body and sign_in not in body
    assert visit(ariadne, "/about/")[0][HIT] == "hit"

    anonymous = client.get("/about/")
    assert anonymous[HIT] == "hit"
    anonymous_body = anonymous.content.decode()
    assert sign_in in anonymous_body
    assert "Ariadne" not in anonymous_body and ACCOUNT_PLACEHOLDER not in anonymous_body


def test_a_members_copy_is_not_served_to_anonymous_visitors(client, standard_page, ariadne):
    visit(ariadne, "/about/")
    assert visit(ariadne, "/about/")[0][HIT] == "hit"
    response = client.get("/about/")
    assert HIT not in response
    assert "Ariadne" not in response.content.decode()


def test_a_page_restricted_to_a_group_is_never_shared(standard_page, ariadne, bertram):
    board = Group.objects.create(name="Board")
    restriction = PageViewRestriction.objects.create(
        page=standard_page, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(board)
    ariadne.groups.add(board)

    visit(ariadne, "/about/")
    response, body = visit(ariadne, "/about/")
    assert HIT not in response
    assert "The structure that carries on the ECEI." in body
    response, body = visit(bertram, "/about/")
    assert response.status_code == 302
    assert "The structure that carries on the ECEI." not in body


def test_restricting_a_shared_page_to_a_group_takes_it_from_the_other_members_at_once(
    client, standard_page, ariadne, bertram
):
    client.get("/about/")
    visit(ariadne, "/about/")
    assert visit(bertram, "/about/")[0][HIT] == "hit"

    board = Group.objects.create(name="Board")
    ariadne.groups.add(board)
    restriction = PageViewRestriction.objects.create(
        page=standard_page, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(board)

    response, body = visit(bertram, "/about/")
    assert response.status_code == 302
    assert "The structure that carries on the ECEI." not in body
    assert client.get("/about/").status_code == 302
    assert "The structure that carries on the ECEI." in visit(ariadne, "/about/")[1]


# --- Site views that members share -----------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/organisations/", "/members/", "/partners/", "/awards/", "/awards/laureates/"]
)
def test_members_share_the_directories_partner_search_and_awards(path, home, ariadne, bertram):
    from tests.factories import make_organisation

    make_organisation(name="Shared Energy Cluster")
    visit(ariadne, path)
    response, body = visit(bertram, path)
    assert response.status_code == 200
    assert response[HIT] == "hit", path
    assert "Bertram Beta" in body
    assert f'action="{reverse("account_logout")}"' in body
    assert ACCOUNT_PLACEHOLDER not in body


def test_a_coadmin_of_an_unpublished_organisation_gets_the_directory_drawn_for_them(
    home, ariadne, bertram
):
    from tests.factories import make_organisation

    draft = make_organisation(name="Ariadne's Unpublished Cluster", is_published=False)
    draft.co_admins.add(ariadne)
    response, body = visit(ariadne, "/organisations/")
    assert "Unpublished Cluster" in body
    assert HIT not in visit(ariadne, "/organisations/")[0]

    visit(bertram, "/organisations/")
    response, body = visit(bertram, "/organisations/")
    assert response[HIT] == "hit"
    assert "Unpublished Cluster" not in body
    # and the copy Bertram's visit made is not served to Ariadne either
    response, body = visit(ariadne, "/organisations/")
    assert HIT not in response and "Unpublished Cluster" in body


@pytest.mark.parametrize(
    "hidden, path, her_own",
    [
        ("visibility", "/members/", "Ariadne Alpha"),
        ("bio_visibility", "/members/?q=secret", "Ariadne Alpha"),
        ("country_visibility", "/members/", '<p class="meta">Denmark</p>'),
    ],
)
def test_a_member_who_hides_something_of_their_profile_gets_the_member_list_drawn_for_them(
    hidden, path, her_own, home, ariadne, bertram
):
    profile = ariadne.profile
    profile.bio = "Ariadne's secret biography"
    profile.country = "DK"
    setattr(profile, hidden, "hidden")
    profile.save()
    response, body = visit(ariadne, path)
    assert her_own in body
    assert HIT not in visit(ariadne, path)[0]

    visit(bertram, path)
    response, body = visit(bertram, path)
    assert response[HIT] == "hit"
    assert her_own not in body
    response, body = visit(ariadne, path)
    assert HIT not in response and her_own in body


def test_staff_never_get_nor_make_the_members_copy_of_a_directory(home, ariadne, bertram):
    from tests.factories import make_organisation

    make_organisation(name="Staff-only Draft Cluster", is_published=False)
    staff = make_member(username="stella", display_name="Stella Staff").user
    staff.is_staff = True
    staff.save()
    response, body = visit(staff, "/organisations/")
    assert "Staff-only Draft Cluster" in body
    response, body = visit(ariadne, "/organisations/")
    assert HIT not in response and "Staff-only Draft Cluster" not in body
    assert HIT not in visit(staff, "/organisations/")[0]


def _published_request(author, title):
    import datetime

    from django.utils import timezone

    from partnering import services as partnering

    return partnering.create_request(
        author=author,
        kind="mentoring",
        title=title,
        description="Mentoring for new cluster managers.",
        deadline=timezone.localdate() + datetime.timedelta(days=10),
        publish=True,
    )


def test_the_shared_request_listing_saves_a_search_with_each_members_own_token(
    home, ariadne, bertram
):
    from partnering.models import SavedSearch

    _published_request(ariadne, "Energy storage partners")
    first, first_body = visit(ariadne, "/partners/requests/?q=energy")
    assert "Energy storage partners" in first_body
    ariadne_tokens = set(TOKEN.findall(first_body))

    client = signed_in(bertram, enforce_csrf_checks=True)
    page = client.get("/partners/requests/?q=energy")
    assert page[HIT] == "hit"
    body = page.content.decode()
    assert "Energy storage partners" in body
    tokens = TOKEN.findall(body)
    assert len(tokens) == 2  # the search's form and the sign-out form
    assert not ariadne_tokens & set(tokens)
    assert CSRF_PLACEHOLDER not in body

    saved = client.post(
        reverse("partnering:saved-searches"),
        {"csrfmiddlewaretoken": tokens[0], "query": "q=energy", "name": "Energy"},
    )
    assert saved.status_code == 302
    assert SavedSearch.objects.filter(user=bertram, name="Energy").exists()
    forged = client.post(
        reverse("partnering:saved-searches"),
        {"csrfmiddlewaretoken": "x" * 64, "query": "q=energy", "name": "Forged"},
    )
    assert forged.status_code == 403


def test_the_administrator_of_a_hidden_request_and_moderators_get_the_listing_drawn_for_them(
    home, ariadne, bertram
):
    from partnering import services as partnering

    hidden = _published_request(ariadne, "Hidden storage request")
    staff = make_member(username="stella").user
    staff.is_staff = True
    staff.save()
    partnering.hide_request(partner_request=hidden, moderator=staff)

    response, body = visit(ariadne, "/partners/requests/")
    assert "Hidden storage request" in body
    visit(bertram, "/partners/requests/")
    response, body = visit(bertram, "/partners/requests/")
    assert response[HIT] == "hit" and "Hidden storage request" not in body
    response, body = visit(ariadne, "/partners/requests/")
    assert HIT not in response and "Hidden storage request" in body


def test_a_member_who_renames_themselves_sees_their_new_name_on_the_shared_copies(
    standard_page, ariadne, bertram
):
    visit(ariadne, "/about/")
    response, body = visit(bertram, "/about/")
    assert response[HIT] == "hit" and "Bertram Beta" in body

    profile = bertram.profile
    profile.display_name = "Bertram Renamed"
    profile.save()
    response, body = visit(bertram, "/about/")
    assert response[HIT] == "hit"
    assert "Bertram Renamed" in body and "Bertram Beta" not in body
    assert visit(bertram, "/de/about/")[1].count("Bertram Renamed") >= 1


def test_an_organisation_page_has_one_copy_for_its_followers_and_one_for_the_others(
    home, ariadne, bertram
):
    from members import services as members
    from tests.factories import make_organisation

    organisation = make_organisation(name="Aarhus Energy Cluster")
    carla = make_member(username="carla", display_name="Carla Gamma").user
    path = organisation.get_absolute_url()

    visit(ariadne, path)
    response, body = visit(bertram, path)
    assert response[HIT] == "hit" and "Aarhus Energy Cluster" in body
    assert 'value="follow"' in body and "Bertram Beta" in body

    members.follow(follower=carla.profile, organisation=organisation)
    response, body = visit(carla, path)  # following made the copies stale
    assert HIT not in response and 'value="unfollow"' in body
    response, body = visit(ariadne, path)
    assert HIT not in response and 'value="follow"' in body
    response, body = visit(bertram, path)
    assert response[HIT] == "hit" and 'value="follow"' in body
    assert 'value="unfollow"' not in body


def test_an_organisation_page_is_drawn_for_its_co_admins_and_members(home, ariadne, bertram):
    from members import services as members
    from tests.factories import make_organisation

    organisation = make_organisation(name="Aarhus Energy Cluster")
    organisation.co_admins.add(ariadne)
    path = organisation.get_absolute_url()
    response, body = visit(ariadne, path)
    assert "Edit this organisation" in body
    visit(bertram, path)
    response, body = visit(bertram, path)
    assert response[HIT] == "hit" and "Edit this organisation" not in body
    response, body = visit(ariadne, path)
    assert HIT not in response and "Edit this organisation" in body

    members.request_membership(member=bertram.profile, organisation=organisation)
    visit(bertram, path)
    response, body = visit(bertram, path)
    assert HIT not in response
    assert "waiting for a co-admin" in body


def test_a_member_page_is_shared_but_not_with_its_owner(home, ariadne, bertram):
    carla = make_member(username="carla", display_name="Carla Gamma", bio="Carla's story")
    path = carla.get_absolute_url()
    visit(ariadne, path)
    response, body = visit(bertram, path)
    assert response[HIT] == "hit" and "Carla&#x27;s story" in body
    response, body = visit(carla.user, path)
    assert HIT not in response
    assert f'action="{reverse("members:member_follow", args=[carla.pk])}"' not in body


def test_members_share_a_call_page_and_apply_with_their_own_token(open_call, ariadne, bertram):
    from pages.models import CallApplication

    visit(ariadne, open_call.url)
    client = Client(enforce_csrf_checks=True)
    client.force_login(bertram)
    page = client.get(open_call.url)
    assert page[HIT] == "hit"
    assert 'name="full_name"' in page.text and "Ariadne" not in page.text
    token = TOKEN.findall(page.text)[-1]

    answer = client.post(
        open_call.url,
        {"csrfmiddlewaretoken": token, "full_name": "Bertram Beta", "e_mail": "b@example.org"},
    )

    assert answer.status_code == 200
    assert "Application received." in answer.text
    assert CallApplication.objects.get(page=open_call).applicant == bertram


def test_an_invalid_application_is_answered_with_its_errors_and_not_kept(
    open_call, ariadne, bertram
):
    visit(ariadne, open_call.url)
    client = signed_in(bertram)
    refused = client.post(open_call.url, {"full_name": "", "e_mail": "not-an-address"})
    assert refused.status_code == 200 and HIT not in refused
    assert "field--error" in refused.text
    again = client.get(open_call.url)
    assert again[HIT] == "hit"
    assert "field--error" not in again.text


def test_what_a_shared_views_tests_answered_for_a_member_is_asked_again_once_it_changes(
    home, ariadne, bertram
):
    """The tests' answers are kept per member: becoming the co-admin of an unpublished
    organisation or a moderator draws the pages for the member at their next visit."""
    from django.contrib.auth.models import Group

    from forum.models import Category
    from forum.permissions import MODERATORS_GROUP
    from tests.factories import make_organisation

    Category.objects.create(name="General", slug="general", visibility="public")
    client = signed_in(bertram)
    for path in ("/organisations/", "/forum/c/general/"):
        visit(ariadne, path)
        assert client.get(path)[HIT] == "hit"
        assert client.get(path)[HIT] == "hit"  # the kept answer

    draft = make_organisation(name="Bertram's Unpublished Cluster", is_published=False)
    draft.co_admins.add(bertram)
    page = client.get("/organisations/")
    assert HIT not in page and "Unpublished Cluster" in page.text

    bertram.groups.add(Group.objects.get(name=MODERATORS_GROUP))
    assert HIT not in client.get("/forum/c/general/")
