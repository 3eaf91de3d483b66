"""The site and partner searches look for the first SEARCH_MAX_WORDS words of a query: a
long query costs what a short one does, and finds what its first words find."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forum import services as forum_services
from forum.models import Category
from tests.factories import make_member

pytestmark = pytest.mark.django_db

TEN_WORDS = "alpha bravo charlie delta echo foxtrot golf hotel india juliet"
#: Forty-five more words, none of them in anything: the query stays under 200 characters.
LONG_QUERY = TEN_WORDS + " " + " ".join(["zz"] * 45)


@pytest.fixture(autouse=True)
def _uncached(settings):
    settings.SEARCH_RESULTS_CACHE_SECONDS = 0
    settings.SEARCH_MAX_WORDS = 10


@pytest.fixture
def thread(db):
    category = Category.objects.create(name="Cluster management", slug="management")
    return forum_services.start_thread(
        category=category,
        author=make_member(username="writer").user,
        title=TEN_WORDS.title(),
        body="Opening words.",
    )


def thread_titles(response) -> list[str]:
    assert response.status_code == 200, response.content[:300]
    return [result["title"] for result in response.json()["results"]]


def test_words_past_the_limit_are_not_searched_for(api_client, thread):
    assert len(LONG_QUERY) <= 200
    found = api_client.get("/api/search/", {"q": LONG_QUERY, "kind": "threads"})
    assert thread_titles(found) == [thread.title]


def test_the_answer_names_the_words_that_were_searched(api_client, thread):
    body = api_client.get("/api/search/", {"q": LONG_QUERY}).json()
    assert body["query"] == TEN_WORDS


def test_a_long_query_runs_the_same_sql_as_its_first_ten_words(api_client, thread):
    # Once first: the day's label ranks and the spelling lexicon are read on first use.
    api_client.get("/api/search/", {"q": TEN_WORDS})
    statements = []
    for query in (TEN_WORDS, LONG_QUERY):
        with CaptureQueriesContext(connection) as captured:
            assert api_client.get("/api/search/", {"q": query}).status_code == 200
        statements.append([entry["sql"] for entry in captured.captured_queries])
    assert statements[0] == statements[1]


def test_the_limit_is_a_setting(api_client, thread, settings):
    settings.SEARCH_MAX_WORDS = 3
    found = api_client.get("/api/search/", {"q": "alpha bravo charlie zulu", "kind": "threads"})
    assert thread_titles(found) == [thread.title]


def test_the_search_page_caps_the_words_too(client, thread):
    response = client.get("/search/", {"q": LONG_QUERY, "kind": "threads"})
    assert response.status_code == 200
    assert thread.get_absolute_url() in response.content.decode()


def test_the_partner_search_caps_the_words_too(api_client, indexed):
    indexed.organisation(name="Alpha Bravo Cluster", description=TEN_WORDS)
    indexed.reindex()
    found = api_client.get("/api/search/partners/", {"q": LONG_QUERY})
    assert found.status_code == 200
    assert [result["name"] for result in found.json()["results"]] == ["Alpha Bravo Cluster"]
