"""Partner requests through the API, the services and the pages: posting, matching with
reasons, notifying the best-fitting co-admins (never the author's own side), answering
with a private conversation nobody else reads, shortlisting and closing."""

import datetime

import pytest
from django.core import mail
from django.test import TestCase
from django.utils import timezone
from rest_framework.test import APIClient

from forum.models import Notification, Post, Thread
from partnering import services
from partnering.models import Interest, PartnerMatch, PartnerRequest
from search.engines.base import database_engine
from tests.factories import make_member, make_organisation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _unthrottled(settings):
    settings.FORUM_POST_INTERVAL = 0
    settings.FORUM_DUPLICATE_WINDOW = 0
    settings.FORUM_NEW_ACCOUNT_DAILY_POSTS = 0
    settings.PARTNER_REQUEST_NOTIFIED = 2


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def deadline(days=30) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


@pytest.fixture
def world():
    author = make_member(username="ada", display_name="Ada Author")
    own = make_organisation(name="Aarhus Energy", country="DK", sectors=["Energy"])
    own.co_admins.add(author.user)
    colleague = make_member(username="cole", display_name="Cole Colleague")
    own.co_admins.add(colleague.user)
    best = make_organisation(
        name="Berlin Energy Hub",
        country="DE",
        sectors=["Energy"],
        technologies=["Hydrogen", "Batteries"],
    )
    second = make_organisation(name="Vienna Grid", country="AT", technologies=["Hydrogen"])
    third = make_organisation(name="Graz Energy", country="AT", sectors=["Energy"])
    unrelated = make_organisation(name="Lisbon Textiles", country="PT", sectors=["Textiles"])
    admins = {}
    for organisation, name in ((best, "bert"), (second, "vera"), (third, "gregor")):
        admins[name] = make_member(username=name, display_name=name.title()).user
        organisation.co_admins.add(admins[name])
    stranger = make_member(username="stan", display_name="Stan Stranger").user
    database_engine().rebuild()
    return {
        "author": author.user,
        "colleague": colleague.user,
        "own": own,
        "best": best,
        "second": second,
        "third": third,
        "unrelated": unrelated,
        "stranger": stranger,
        **admins,
    }


def post_request(world, **extra):
    body = {
        "kind": "project_partner",
        "title": "Hydrogen storage pilot",
        "description": "We seek a partner for a **hydrogen** storage pilot under Horizon Europe.",
        "sectors": ["energy"],
        "technologies": ["hydrogen"],
        "countries": ["DE", "AT"],
        "deadline": deadline(),
        "organisation": world["own"].slug,
        **extra,
    }
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client_for(world["author"]).post("/api/partner-requests/", body, format="json")
    return response


def test_a_published_request_ranks_the_fitting_organisations_with_their_reasons(world):
    response = post_request(world)
    assert response.status_code == 201, response.content
    item = response.json()
    assert item["status"] == "open"
    assert "<strong>hydrogen</strong>" in item["description_html"]

    matches = client_for(world["author"]).get(f"/api/partner-requests/{item['id']}/matches/")
    assert matches.status_code == 200
    ranked = [m["organisation"]["slug"] for m in matches.json()["results"]]
    assert ranked[0] == world["best"].slug
    assert set(ranked) == {world["best"].slug, world["second"].slug, world["third"].slug}
    assert world["own"].slug not in ranked and world["unrelated"].slug not in ranked
    reasons = matches.json()["results"][0]["reasons"]
    assert reasons["sectors"] == ["Energy"]
    assert reasons["technologies"] == ["Hydrogen"]
    assert reasons["countries"] == ["Germany"]


def test_the_best_fitting_co_admins_are_notified_and_never_the_authors_side(world):
    post_request(world)
    notified = set(
        Notification.objects.filter(kind="partner_request").values_list(
            "recipient__username", flat=True
        )
    )
    # PARTNER_REQUEST_NOTIFIED is 2: the two best organisations' co-admins.
    assert notified == {"bert", "vera"}
    item = PartnerRequest.objects.get()
    assert Notification.objects.filter(kind="partner_request").first().path == (
        f"/partners/requests/{item.pk}/"
    )
    sent = {message.to[0] for message in mail.outbox}
    assert sent == {"bert@example.org", "vera@example.org"}
    message = mail.outbox[0]
    assert message.extra_headers["List-Unsubscribe"].startswith("<http")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_matching_twice_notifies_nobody_twice(world):
    post_request(world)
    item = PartnerRequest.objects.get()
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.match_request(request_id=item.pk)
    assert Notification.objects.filter(kind="partner_request").count() == 2
    assert PartnerMatch.objects.filter(request=item, notified=True).count() == 2


def test_e_mail_preferences_are_followed_and_a_link_unsubscribes_in_one_click(world):
    client = client_for(world["bert"])
    assert client.get("/api/members/me/notifications/").json() == {
        "partner_requests": "immediate",
        "saved_searches": "immediate",
    }
    answer = client.patch(
        "/api/members/me/notifications/", {"partner_requests": "daily"}, format="json"
    )
    assert answer.status_code == 200
    assert (
        client.patch(
            "/api/members/me/notifications/", {"partner_requests": "hourly"}, format="json"
        ).status_code
        == 400
    )
    post_request(world)
    assert {m.to[0] for m in mail.outbox} == {"vera@example.org"}
    # Bert's request waits for the daily digest.
    mail.outbox.clear()
    assert services.send_digests(frequency="daily") == 1
    assert mail.outbox[0].to == ["bert@example.org"]
    assert services.send_digests(frequency="daily") == 0

    token = services.unsubscribe_token(user=world["vera"], kind="partner_requests")
    anonymous = APIClient()
    assert anonymous.get(f"/unsubscribe/{token}/").status_code == 200
    assert services.preferences_of(world["vera"]).partner_requests == "immediate"
    assert anonymous.post(f"/unsubscribe/{token}/").status_code == 200
    assert services.preferences_of(world["vera"]).partner_requests == "never"
    assert anonymous.post(f"/unsubscribe/{token}x/").status_code == 400


def test_interest_opens_a_private_conversation_that_nobody_else_reads(world):
    item = post_request(world).json()
    bert = client_for(world["bert"])
    answer = bert.post(
        f"/api/partner-requests/{item['id']}/interest/",
        {"message": "We run hydrogen pilots in Berlin.", "organisation": world["best"].slug},
        format="json",
    )
    assert answer.status_code == 201, answer.content
    conversation = answer.json()["conversation"]
    assert Thread.objects.get(pk=conversation).is_private
    # Twice is a conflict; one's own request is refused.
    again = bert.post(
        f"/api/partner-requests/{item['id']}/interest/", {"message": "Again"}, format="json"
    )
    assert again.status_code == 409
    own = client_for(world["colleague"]).post(
        f"/api/partner-requests/{item['id']}/interest/", {"message": "Me too"}, format="json"
    )
    assert own.status_code == 403
    # The author is told.
    assert Notification.objects.filter(recipient=world["author"], kind="partner_interest").exists()

    readers = ("author", "colleague", "bert")
    for name in readers:
        client = client_for(world[name])
        assert client.get(f"/api/forum/threads/{conversation}/").status_code == 200, name
        assert client.get(f"/api/forum/threads/{conversation}/posts/").status_code == 200
    reply = client_for(world["author"]).post(
        f"/api/forum/threads/{conversation}/posts/", {"body": "Let us talk."}, format="json"
    )
    assert reply.status_code == 201
    outsiders = [client_for(world["stranger"]), client_for(world["vera"]), APIClient()]
    from tests.factories import make_user

    outsiders.append(client_for(make_user(username="staffer", is_staff=True)))
    for client in outsiders:
        assert client.get(f"/api/forum/threads/{conversation}/").status_code == 404
        assert client.get(f"/api/forum/threads/{conversation}/posts/").status_code == 404
        listed = client.get("/api/forum/threads/").json()["results"]
        assert conversation not in [thread["id"] for thread in listed]
        found = client.get("/api/search/", {"q": "talk", "kind": "threads"})
        assert found.json()["count"] == 0
        post = Post.objects.filter(thread_id=conversation).first()
        assert client.get(f"/api/forum/posts/{post.pk}/").status_code == 404
        assert client.post(
            f"/api/forum/threads/{conversation}/posts/", {"body": "Hi"}, format="json"
        ).status_code in (401, 403, 404)
    assert client_for(world["stranger"]).get(f"/forum/threads/{conversation}/").status_code == 404
    # A new co-admin of Berlin reads along; the private category is listed to nobody.
    newcomer = make_member(username="nina").user
    world["best"].co_admins.add(newcomer)
    assert client_for(newcomer).get(f"/api/forum/threads/{conversation}/").status_code == 200
    categories = client_for(newcomer).get("/api/forum/categories/").json()["results"]
    assert all(category["visibility"] != "private" for category in categories)


def test_the_author_shortlists_declines_and_closes_with_the_partners_found(world):
    item = post_request(world).json()
    interests = []
    for name, organisation in (("bert", "best"), ("vera", "second")):
        answer = client_for(world[name]).post(
            f"/api/partner-requests/{item['id']}/interest/",
            {"message": f"{name} is interested.", "organisation": world[organisation].slug},
            format="json",
        )
        interests.append(answer.json()["id"])
    author = client_for(world["author"])
    listed = author.get(f"/api/partner-requests/{item['id']}/interests/").json()
    assert len(listed) == 2
    assert (
        len(client_for(world["bert"]).get(f"/api/partner-requests/{item['id']}/interests/").json())
        == 1
    )
    path = f"/api/partner-requests/{item['id']}/interests/{interests[0]}/"
    assert author.patch(path, {"status": "shortlisted"}, format="json").json()["status"] == (
        "shortlisted"
    )
    assert (
        client_for(world["bert"]).patch(path, {"status": "shortlisted"}, format="json").status_code
        == 403
    )
    closed = author.patch(
        f"/api/partner-requests/{item['id']}/",
        {"status": "closed", "partners": [interests[0]], "show_partnership": True},
        format="json",
    )
    assert closed.status_code == 200
    assert closed.json()["outcome"] == "partners_found"
    assert Interest.objects.get(pk=interests[0]).status == "partner"
    # Closed: no more interest, no edits.
    late = client_for(world["gregor"]).post(
        f"/api/partner-requests/{item['id']}/interest/", {"message": "Late"}, format="json"
    )
    assert late.status_code == 409
    # The partnership shows on the organisations' pages once the partner agrees.
    page = APIClient().get(f"/organisations/{world['own'].slug}/").content.decode()
    assert "Partnerships found through the club" not in page
    client_for(world["bert"]).patch(path, {"shown": True}, format="json")
    page = APIClient().get(f"/organisations/{world['own'].slug}/").content.decode()
    assert "Partnerships found through the club" in page and "Berlin Energy Hub" in page
    page = APIClient().get(f"/organisations/{world['best'].slug}/").content.decode()
    assert "Aarhus Energy" in page


def test_the_listing_filters_with_facets_that_respect_the_other_filters(world):
    post_request(world)
    post_request(world, title="Textile mentoring", kind="mentoring", sectors=[], countries=["PT"])
    anonymous = APIClient()
    everything = anonymous.get("/api/partner-requests/").json()
    assert everything["count"] == 2
    kinds = {v["value"]: v["count"] for v in everything["facets"]["kind"]}
    assert kinds == {"project_partner": 1, "mentoring": 1}
    german = anonymous.get("/api/partner-requests/", {"country": "DE"}).json()
    assert german["count"] == 1
    # The country facet still counts Portugal: its own filter is not applied to it.
    countries = {v["value"]: v["count"] for v in german["facets"]["country"]}
    assert countries["PT"] == 1 and countries["DE"] == 1
    assert {v["value"]: v["count"] for v in german["facets"]["kind"]} == {"project_partner": 1}
    assert anonymous.get("/api/partner-requests/", {"q": "textile"}).json()["count"] == 1
    assert anonymous.get("/api/partner-requests/", {"country": "XX"}).status_code == 400
    assert anonymous.get("/api/partner-requests/", {"kind": "nope"}).status_code == 400
    assert anonymous.get("/api/partner-requests/", {"page": "²"}).status_code == 400
    html = anonymous.get("/partners/requests/", {"country": "DE"})
    assert html.status_code == 200 and b"Hydrogen storage pilot" in html.content
    assert b"Textile mentoring" not in html.content
    site = anonymous.get("/api/search/", {"q": "textile", "kind": "requests"}).json()
    assert site["count"] == 1


def test_drafts_and_hidden_requests_are_shown_only_to_who_may_see_them(world):
    draft = post_request(world, status="draft").json()
    assert draft["status"] == "draft"
    assert Notification.objects.count() == 0
    assert APIClient().get(f"/api/partner-requests/{draft['id']}/").status_code == 404
    assert (
        client_for(world["colleague"]).get(f"/api/partner-requests/{draft['id']}/").status_code
        == 200
    )
    assert APIClient().get("/api/partner-requests/").json()["count"] == 0
    with TestCase.captureOnCommitCallbacks(execute=True):
        published = client_for(world["colleague"]).patch(
            f"/api/partner-requests/{draft['id']}/", {"status": "open"}, format="json"
        )
    assert published.status_code == 200 and published.json()["status"] == "open"
    assert Notification.objects.filter(kind="partner_request").count() == 2
    from django.contrib.auth.models import Group

    moderator = make_member(username="mod").user
    moderator.groups.add(Group.objects.get_or_create(name="Moderators")[0])
    assert (
        client_for(world["bert"])
        .patch(f"/api/partner-requests/{draft['id']}/", {"hidden": True}, format="json")
        .status_code
        == 403
    )
    hidden = client_for(moderator).patch(
        f"/api/partner-requests/{draft['id']}/", {"hidden": True}, format="json"
    )
    assert hidden.status_code == 200
    assert APIClient().get(f"/api/partner-requests/{draft['id']}/").status_code == 404
    assert (
        client_for(world["author"]).get(f"/api/partner-requests/{draft['id']}/").status_code == 200
    )


def test_bad_input_is_a_400_never_a_500(world):
    client = client_for(world["author"])
    for body in (
        {},
        {"kind": "x", "title": "T", "description": "", "deadline": "yesterday"},
        {
            "kind": "mentoring",
            "title": "A fine title",
            "description": "A description that is long enough.",
            "deadline": "2001-01-01",
        },
        {
            "kind": "mentoring",
            "title": "A fine title",
            "description": "A description that is long enough.",
            "deadline": deadline(),
            "sectors": ["no-such-sector"],
            "countries": ["ZZ"],
        },
        {
            "kind": "mentoring",
            "title": "A fine title",
            "description": "A description that is long enough.",
            "deadline": deadline(),
            "organisation": world["best"].slug,
        },
    ):
        assert client.post("/api/partner-requests/", body, format="json").status_code == 400
    assert APIClient().post("/api/partner-requests/", {}, format="json").status_code == 401


def test_a_request_closes_itself_at_its_deadline(world):
    post_request(world)
    item = PartnerRequest.objects.get()
    later = item.deadline + datetime.timedelta(days=1)
    assert services.close_expired_requests(today=item.deadline) == 0
    assert services.close_expired_requests(today=later) == 1
    item.refresh_from_db()
    assert item.status == "closed" and item.outcome == "expired"


def test_a_saved_search_hears_of_a_new_request_that_matches_it(world):
    searcher = world["stranger"]
    saved = client_for(searcher).post(
        "/api/partner-requests/saved-searches/",
        {"name": "Energy in DE or AT", "sector": ["energy"], "country": ["DE", "AT"]},
        format="json",
    )
    assert saved.status_code == 201
    other = make_member(username="otto").user
    client_for(other).post(
        "/api/partner-requests/saved-searches/",
        {"name": "Portugal", "country": ["PT"]},
        format="json",
    )
    post_request(world)
    assert Notification.objects.filter(recipient=searcher, kind="partner_request").exists()
    assert not Notification.objects.filter(recipient=other).exists()


def test_the_html_journey_posts_answers_and_closes(world, client):
    client.force_login(world["author"])
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            "/partners/requests/new/",
            {
                "kind": "cooperation",
                "title": "Cluster cooperation on grids",
                "description": "Looking for clusters working on smart grids.",
                "organisation": world["own"].pk,
                "technologies": "Hydrogen",
                "countries": ["AT"],
                "deadline": deadline(),
                "publish": "1",
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    item = PartnerRequest.objects.get()
    page = client.get(item.get_absolute_url()).content.decode()
    assert "Vienna Grid" in page  # the matches, for the author
    bad = client.post("/partners/requests/new/", {"title": "x"})
    assert bad.status_code == 200 and "errorlist" in bad.content.decode()

    client.force_login(world["vera"])
    answered = client.post(
        f"/partners/requests/{item.pk}/interest/", {"message": "Vienna is interested."}
    )
    interest = Interest.objects.get()
    assert answered.status_code == 302 and answered["Location"] == (
        interest.conversation.get_absolute_url()
    )
    assert client.get(answered["Location"]).status_code == 200

    client.force_login(world["author"])
    client.post(f"/partners/requests/interests/{interest.pk}/action/", {"action": "shortlisted"})
    interest.refresh_from_db()
    assert interest.status == "shortlisted"
    client.post(
        f"/partners/requests/{item.pk}/action/", {"action": "close", "partners": [interest.pk]}
    )
    item.refresh_from_db()
    assert item.status == "closed" and item.outcome == "partners_found"


def test_the_listing_reads_as_many_queries_for_one_request_as_for_five(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(world["colleague"])
    post_request(world)
    client.get("/api/partner-requests/")
    with CaptureQueriesContext(connection) as one:
        assert client.get("/api/partner-requests/").json()["count"] == 1
    for n in range(4):
        post_request(world, title=f"Another hydrogen request {n}")
    with CaptureQueriesContext(connection) as five:
        assert client.get("/api/partner-requests/").json()["count"] == 5
    assert len(five.captured_queries) == len(one.captured_queries)
