"""Site-wide search: /api/search/?q= and the /search/ page."""

import pytest
from wagtail.search.index import insert_or_update_object

from tests.factories import make_event, make_member

URL = "/api/search/"

pytestmark = pytest.mark.django_db


def make_page(*, title, intro="", live=True):
    from wagtail.models import Locale, Page

    from pages.models import StandardPage

    Locale.objects.get_or_create(language_code="en")
    root = Page.get_first_root_node()
    home = root.get_children().first() or root
    page = StandardPage(title=title, slug=title.lower().replace(" ", "-"), intro=intro, live=live)
    home.add_child(instance=page)
    # Wagtail indexes after commit; test transactions never commit.
    insert_or_update_object(page)
    return page


def groups(response):
    assert response.status_code == 200, response.content
    return {group["kind"]: group for group in response.json()["groups"]}


def titles(group):
    return [result["title"] for result in group["results"]]


def test_results_are_grouped_by_kind_with_highlights(indexed, api_client):
    make_page(title="Hydrogen strategy", intro="<p>Our <b>hydrogen</b> roadmap.</p>")
    event = make_event(title="Hydrogen summit", intro="Two days about hydrogen valleys.")
    insert_or_update_object(event)
    indexed.organisation(name="Hydrogen Valley", description="Electrolysers & <fuel> cells")
    make_member(display_name="Hanna Hydrogen-Expert", visibility="public")
    indexed.reindex()

    found = groups(api_client.get(URL, {"q": "hydrogen"}))

    assert titles(found["pages"]) == ["Hydrogen strategy"]
    assert titles(found["events"]) == ["Hydrogen summit"]
    assert titles(found["organisations"]) == ["Hydrogen Valley"]
    assert titles(found["members"]) == ["Hanna Hydrogen-Expert"]
    assert found["pages"]["results"][0]["highlight"] == "Our <mark>hydrogen</mark> roadmap."
    assert found["organisations"]["results"][0]["title_highlight"] == (
        "<mark>Hydrogen</mark> Valley"
    )
    assert found["organisations"]["results"][0]["url"].endswith(
        "/organisations/" + found["organisations"]["results"][0]["slug"] + "/"
    )
    assert found["events"]["results"][0]["url"].startswith("http")


def test_highlights_escape_the_text_around_the_marks(indexed, api_client):
    indexed.organisation(name="Valley", description="Fuel <script>cells</script> & more")
    indexed.reindex()

    found = groups(api_client.get(URL, {"q": "cells"}))

    assert found["organisations"]["results"][0]["highlight"] == "Fuel <mark>cells</mark> &amp; more"


def test_hidden_profiles_are_never_found_and_members_only_ones_not_by_visitors(
    db, api_client, user_factory
):
    make_member(display_name="Pia Public", visibility="public")
    make_member(display_name="Mia Members", visibility="members")
    hidden = make_member(display_name="Hilda Hidden", visibility="hidden")
    signed_in = make_member(display_name="Someone Else")

    assert titles(groups(api_client.get(URL, {"q": "pia"}))["members"]) == ["Pia Public"]
    assert titles(groups(api_client.get(URL, {"q": "mia"}))["members"]) == []
    assert titles(groups(api_client.get(URL, {"q": "hilda"}))["members"]) == []

    api_client.force_authenticate(signed_in.user)
    assert titles(groups(api_client.get(URL, {"q": "mia"}))["members"]) == ["Mia Members"]
    assert titles(groups(api_client.get(URL, {"q": "hilda"}))["members"]) == []

    api_client.force_authenticate(hidden.user)
    assert titles(groups(api_client.get(URL, {"q": "hilda"}))["members"]) == ["Hilda Hidden"]


def test_unpublished_pages_events_and_organisations_are_not_found(indexed, api_client):
    make_page(title="Draft plan", live=False)
    insert_or_update_object(make_event(title="Draft gathering", publish=False))
    indexed.organisation(name="Draft Cluster", is_published=False)
    indexed.reindex()

    found = groups(api_client.get(URL, {"q": "draft"}))

    assert all(group["count"] == 0 for group in found.values())


def test_editors_promotions_come_with_the_answer(db, api_client):
    from wagtail.contrib.search_promotions.models import Query, SearchPromotion

    page = make_page(title="Join the club")
    query = Query.objects.create(query_string="membership")
    SearchPromotion.objects.create(query=query, page=page, description="How to join", sort_order=0)

    answer = api_client.get(URL, {"q": "Membership"}).json()

    assert answer["promotions"] == [
        {
            "title": "Join the club",
            "url": "http://testserver/join-the-club/",
            "description": "How to join",
        }
    ]


def test_one_kind_pages_as_a_list(indexed, api_client):
    for n in range(3):
        indexed.organisation(name=f"Photonics Lab {n}")
    indexed.reindex()

    first = api_client.get(URL, {"q": "photonics", "kind": "organisations", "page_size": 2}).json()
    second = api_client.get(first["next"]).json()

    assert first["count"] == 3
    assert [r["title"] for r in first["results"] + second["results"]] == [
        "Photonics Lab 0",
        "Photonics Lab 1",
        "Photonics Lab 2",
    ]
    assert second["next"] is None


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": ""},
        {"q": "%&|!"},
        {"q": "x" * 10_000},
        {"q": "a", "kind": "spaceships"},
        {"q": "a", "sort": "x"},
    ],
)
def test_bad_site_search_requests_are_400s(db, api_client, params):
    assert api_client.get(URL, params).status_code == 400


def test_nul_bytes_and_operators_in_a_site_search_are_plain_text(db, api_client):
    assert api_client.get(URL, {"q": "a\x00b & !c | (d)"}).status_code == 200


def test_threads_are_found_by_title_or_shown_post_and_only_where_the_reader_may_read(
    db, api_client, settings
):
    from forum import services
    from forum.models import Category

    settings.FORUM_POST_INTERVAL = 0
    settings.FORUM_DUPLICATE_WINDOW = 0
    settings.FORUM_NEW_ACCOUNT_DAILY_POSTS = 0
    author = make_member(display_name="Author")
    public = Category.objects.create(name="Open", slug="open")
    members = Category.objects.create(name="Closed", slug="closed", visibility="members")
    services.start_thread(
        category=public,
        author=author.user,
        title="Interreg calls",
        body="Who applies for Interreg?",
    )
    budget_thread = services.start_thread(
        category=public, author=author.user, title="Budgets", body="Our Interreg budget."
    )
    services.start_thread(
        category=members, author=author.user, title="Interreg secrets", body="Members only."
    )
    hidden = services.start_thread(
        category=public, author=author.user, title="Other", body="Interreg spam"
    )
    hidden.posts.update(hidden=True)

    anonymous = groups(api_client.get(URL, {"q": "interreg"}))["threads"]
    api_client.force_authenticate(make_member(display_name="Reader").user)
    signed_in = groups(api_client.get(URL, {"q": "interreg"}))["threads"]

    assert sorted(titles(anonymous)) == ["Budgets", "Interreg calls"]
    assert sorted(titles(signed_in)) == ["Budgets", "Interreg calls", "Interreg secrets"]
    budgets = next(r for r in anonymous["results"] if r["title"] == "Budgets")
    assert budgets["highlight"] == "Our <mark>Interreg</mark> budget."
    assert budgets["url"] == f"http://testserver/forum/threads/{budget_thread.pk}/"
