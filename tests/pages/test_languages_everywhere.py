"""Every HTML page of the site exists in each language: the forum, the directories, partner
search, registration and sign-in, not only the editorial pages."""

import re

import pytest
from django.utils import translation

from forum.models import Category
from tests.factories import make_member, make_organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def places(db):
    organisation = make_organisation(name="Nordic Hydrogen Cluster")
    Category.objects.create(name="Cluster management", slug="management")
    return {
        "forum": "/forum/",
        "category": "/forum/c/management/",
        "organisations": "/organisations/",
        "organisation": f"/organisations/{organisation.slug}/",
        "members": "/members/",
        "partner search": "/partners/?country=DK",
        "site search": "/search/?q=hydrogen",
        "sign-in": "/accounts/login/",
        "sign-up": "/accounts/signup/",
    }


@pytest.mark.parametrize("language", ["de", "fr", "es"])
def test_each_page_is_served_under_each_language_prefix_in_that_language(client, places, language):
    for name, path in places.items():
        response = client.get(f"/{language}{path}")
        assert response.status_code == 200, (name, language, response.status_code)
        html = response.content.decode()
        assert f'<html lang="{language}"' in html, name
        assert response["Content-Language"] == language
        with translation.override(language):
            assert translation.gettext("Sign in") in html, name


def test_the_english_addresses_keep_working_in_english(client, places):
    for name, path in places.items():
        response = client.get(path, HTTP_ACCEPT_LANGUAGE="de")
        assert response.status_code == 200, name
        assert '<html lang="en"' in response.content.decode(), name


def test_the_switcher_keeps_the_visitor_on_the_same_page_with_its_query(client, places):
    html = client.get("/de/partners/?country=DK").content.decode()
    switcher = html[html.index('class="language-switcher"') :]
    switcher = switcher[: switcher.index("</nav>")]
    hrefs = dict(re.findall(r'href="([^"]+)" hreflang="(\w+)"', switcher))
    assert {language: href for href, language in hrefs.items()} == {
        "en": "/partners/?country=DK",
        "de": "/de/partners/?country=DK",
        "fr": "/fr/partners/?country=DK",
        "es": "/es/partners/?country=DK",
    }
    assert 'aria-current="true">Deutsch' in switcher


def test_each_page_names_its_language_alternates_for_search_engines(client, places):
    html = client.get("/fr/forum/").content.decode()
    alternates = dict(re.findall(r'<link rel="alternate" hreflang="([\w-]+)" href="([^"]+)"', html))
    assert alternates == {
        "en": "http://testserver/forum/",
        "de": "http://testserver/de/forum/",
        "fr": "http://testserver/fr/forum/",
        "es": "http://testserver/es/forum/",
        "x-default": "http://testserver/forum/",
    }


def test_links_of_the_site_frame_stay_in_the_visitors_language(client, places):
    member = make_member(username="lyon")
    client.force_login(member.user)
    html = client.get("/fr/forum/").content.decode()
    for path in ("/fr/forum/", "/fr/organisations/", "/fr/members/", "/fr/partners/"):
        assert f'href="{path}"' in html, path
    assert 'action="/fr/search/"' in html


def test_an_error_page_offers_no_other_languages(client, places):
    response = client.get("/de/organisations/no-such-cluster/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "language-switcher" not in html and 'hreflang="' not in html
    assert "no-such-cluster" not in html
