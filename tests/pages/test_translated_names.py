"""What editors and staff name (the main menu, the footer, sectors, forum categories) is
shown in the visitor's language, falls back to English where a language has no text yet,
and the admin says which languages are missing."""

import re

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import Site

from forum.models import Category
from members.models import Sector
from pages.models import ClubSettings, MenuItem, NavigationSettings, StandardPage
from search.engines import base
from tests.factories import make_organisation
from tests.pages.conftest import publish

pytestmark = pytest.mark.django_db


def menu_links(response) -> list[tuple[str, str]]:
    nav = re.search(r'<nav class="site-nav".*?</ul>', response.content.decode(), re.S).group(0)
    return re.findall(r'<li><a href="([^"]+)">([^<]+)</a>', nav)


@pytest.fixture
def menu(home):
    about = publish(home, StandardPage(title="About the club", slug="about"))
    settings = NavigationSettings.for_site(Site.objects.get(is_default_site=True))
    MenuItem.objects.create(
        menu=settings,
        sort_order=0,
        link_path="/forum/",
        label_en="Discussions",
        label_de="Diskussionen",
        label_fr="Discussions",
    )
    MenuItem.objects.create(
        menu=settings, sort_order=1, link_page=about, label_en="The club", label_de="Der Club"
    )
    return settings


def test_the_menu_is_the_editors_in_each_language_with_english_where_one_is_missing(client, menu):
    assert menu_links(client.get("/forum/")) == [
        ("/forum/", "Discussions"),
        ("/about/", "The club"),
    ]
    # The page has no German translation: the menu links to the English one.
    assert menu_links(client.get("/de/forum/")) == [
        ("/de/forum/", "Diskussionen"),
        ("/about/", "Der Club"),
    ]
    # No Spanish labels yet: the English ones, on the Spanish addresses.
    assert menu_links(client.get("/es/forum/")) == [
        ("/es/forum/", "Discussions"),
        ("/about/", "The club"),
    ]


def test_a_menu_item_for_a_page_links_to_its_translation(client, menu):
    from wagtail.models import Locale, Page

    about = Page.objects.get(slug="about").specific
    german = about.copy_for_translation(
        Locale.objects.get_or_create(language_code="de")[0], copy_parents=True
    )
    german.title = "Über den Club"
    german.save_revision().publish()
    assert ("/de/about/", "Der Club") in menu_links(client.get("/de/forum/"))


def test_an_edit_of_the_menu_is_seen_at_once_though_the_menu_is_cached(client, menu):
    assert ("/forum/", "Discussions") in menu_links(client.get("/members/"))
    item = menu.menu_items.get(link_path="/forum/")
    item.label_en = "Forum"
    item.save()
    assert ("/forum/", "Forum") in menu_links(client.get("/members/"))


def test_a_site_without_a_menu_gets_the_clubs_default_one_translated(client, home):
    english = menu_links(client.get("/forum/"))
    german = menu_links(client.get("/de/forum/"))
    assert ("/forum/", "Forum") in english and ("/partners/", "Partner search") in english
    assert ("/de/partners/", "Partnersuche") in german
    assert ("/de/about/", "Über uns") in german  # the menu's "About", not a profile's


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"link_path": "forum/"}, "starts with one slash"),
        ({"link_path": "//evil.example/"}, "starts with one slash"),
        ({}, "either a page or an address"),
    ],
)
def test_a_menu_item_needs_one_address_of_the_site(home, fields, message):
    settings = NavigationSettings.for_site(Site.objects.get(is_default_site=True))
    item = MenuItem(menu=settings, label_en="Somewhere", **fields)
    with pytest.raises(ValidationError, match=message):
        item.full_clean(exclude=["menu"])


def test_a_menu_item_with_both_a_page_and_an_address_is_refused(home):
    settings = NavigationSettings.for_site(Site.objects.get(is_default_site=True))
    item = MenuItem(menu=settings, label_en="Both", link_page=home, link_path="/forum/")
    with pytest.raises(ValidationError, match="not both"):
        item.full_clean(exclude=["menu"])


def test_the_footer_address_is_in_the_visitors_language(client, home):
    settings = ClubSettings.for_site(Site.objects.get(is_default_site=True))
    settings.address_en = "1040 Brussels"
    settings.address_de = "1040 Brüssel"
    settings.save()
    assert "1040 Brüssel" in client.get("/de/forum/").content.decode()
    assert "1040 Brussels" in client.get("/forum/").content.decode()
    assert "1040 Brussels" in client.get("/fr/forum/").content.decode()


@pytest.fixture
def energy(db):
    sector = Sector.objects.create(slug="energy", name_en="Energy", name_de="Energie")
    make_organisation(name="Baltic Grid Cluster", country="DK", sectors=["energy"])
    # The site indexes after commit, which a test's transaction never does.
    base.database_engine().rebuild()
    return sector


def sector_names(payload) -> set[str]:
    return {sector["name"] for result in payload["results"] for sector in result["sectors"]}


def test_sector_names_follow_the_language_the_api_is_asked_for(client, energy):
    german = client.get("/api/organisations/", {"locale": "de"})
    assert german["Content-Language"] == "de"
    assert sector_names(german.json()) == {"Energie"}
    french = client.get("/api/organisations/", HTTP_ACCEPT_LANGUAGE="fr")
    assert sector_names(french.json()) == {"Energy"}  # no French name yet
    english = client.get("/api/organisations/")
    assert sector_names(english.json()) == {"Energy"}


def test_partner_search_names_its_facets_and_results_in_the_language_asked_for(client, energy):
    answer = client.get("/api/search/partners/", {"sector": "energy", "locale": "de"}).json()
    assert {value["name"] for value in answer["facets"]["sector"]} == {"Energie"}
    assert answer["count"] == 1, answer
    assert sector_names(answer) == {"Energie"}
    page = client.get("/de/partners/", {"sector": "energy"}).content.decode()
    assert "Energie" in page


def test_forum_categories_are_named_in_the_visitors_language(client):
    Category.objects.create(
        slug="cluster-management",
        name_en="Cluster management",
        name_fr="Gestion de clusters",
        description_en="Running a cluster.",
        description_fr="Diriger un cluster.",
    )
    page = client.get("/fr/forum/").content.decode()
    assert "Gestion de clusters" in page and "Diriger un cluster." in page
    assert "Gestion de clusters" not in client.get("/forum/").content.decode()
    names = {c["name"] for c in client.get("/api/forum/categories/?locale=fr").json()["results"]}
    assert names == {"Gestion de clusters"}


def test_a_name_given_in_another_language_first_is_english_too(db):
    from django.utils import translation

    with translation.override("de"):
        sector = Sector.objects.create(slug="holz", name="Holz und Möbel")
    sector.refresh_from_db()
    assert sector.name_en == "Holz und Möbel" and sector.name_de == "Holz und Möbel"


def test_the_admin_shows_each_language_and_what_is_missing(client, superuser, energy):
    client.force_login(superuser)
    listing = client.get("/admin/members/sector/").content.decode()
    assert "Missing translations" in listing
    assert re.search(r"FR, ES", listing)  # Energy has English and German only

    form = client.get(f"/admin/members/sector/edit/{energy.pk}/").content.decode()
    for code in ("en", "de", "fr", "es"):
        assert f'name="name_{code}"' in form
    answer = client.post(
        f"/admin/members/sector/edit/{energy.pk}/",
        {
            "name_en": "Energy",
            "name_de": "Energie",
            "name_fr": "Énergie",
            "name_es": "Energía",
            "slug": "energy",
        },
    )
    assert answer.status_code == 302
    energy.refresh_from_db()
    assert (energy.name_fr, energy.name_es) == ("Énergie", "Energía")
    assert "FR, ES" not in client.get("/admin/members/sector/").content.decode()


def test_the_admin_refuses_a_sector_without_an_english_name(client, superuser):
    client.force_login(superuser)
    answer = client.post(
        "/admin/members/sector/create/", {"name_en": "", "name_de": "Energie", "slug": "energie"}
    )
    assert answer.status_code == 200  # the form again, with its error
    assert not Sector.objects.filter(slug="energie").exists()
