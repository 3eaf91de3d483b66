"""Site search reads each language's pages in that language: German stemming finds a German
page by another form of its words, and each page is found once, in the visitor's language,
not once per alias."""

import pytest
from wagtail.models import Locale

from pages.models import StandardPage
from tests.pages.conftest import publish

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture
def german_page(home):
    english = publish(
        home,
        StandardPage(
            title="Cluster management in Europe",
            slug="cluster-management",
            intro="How clusters are run across Europe.",
        ),
    )
    german = english.copy_for_translation(
        Locale.objects.get_or_create(language_code="de")[0], copy_parents=True
    )
    german.title = "Clustermanagement in Europa"
    german.intro = "Wie Clusterorganisationen in Europa geführt werden."
    german.save_revision().publish()
    for code in ("fr", "es"):  # aliases, as the site makes them: English text in each
        english.copy_for_translation(
            Locale.objects.get_or_create(language_code=code)[0], copy_parents=True, alias=True
        )
    return german


def page_titles(client, language, q):
    answer = client.get("/api/search/", {"q": q, "kind": "pages", "locale": language})
    assert answer.status_code == 200
    assert answer["Content-Language"] == language
    return [result["title"] for result in answer.json()["results"]]


def test_a_german_query_finds_the_german_page_by_another_form_of_its_word(client, german_page):
    # "Clustermanagements" (genitive) and "geführt"/"führen" meet at their German stems.
    assert page_titles(client, "de", "Clustermanagements") == ["Clustermanagement in Europa"]
    assert page_titles(client, "de", "Clusterorganisation") == ["Clustermanagement in Europa"]


def test_each_language_finds_its_own_version_once(client, german_page):
    assert page_titles(client, "en", "cluster management") == ["Cluster management in Europe"]
    # The French alias holds the English text and is found once, as the French page.
    assert page_titles(client, "fr", "Europe") == ["Cluster management in Europe"]
    assert page_titles(client, "de", "Europe") == []  # "Europa" here


def test_the_html_search_page_in_german_shows_the_german_page(client, german_page):
    page = client.get("/de/search/", {"q": "Clustermanagements"}).content.decode()
    assert "Clustermanagement in Europa" in page
    assert "Cluster management in Europe" not in page
