"""Menus and footer edited in the admin, served to headless front ends; every page type
can be previewed headlessly."""

import pytest
from wagtail.models import Page, Site
from wagtail_headless_preview.models import HeadlessPreviewMixin

from pages.models import CallIndexPage, FooterLink, MenuItem, NavigationSettings
from tests.pages.conftest import publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def navigation(home, library):
    menu = NavigationSettings.for_site(Site.objects.get(is_default_site=True))
    MenuItem.objects.create(
        menu=menu,
        sort_order=0,
        label_en="Exit strategies",
        label_de="Exit-Strategien",
        link_page=library,
    )
    MenuItem.objects.create(
        menu=menu, sort_order=1, label_en="Forum", label_de="Forum", link_path="/forum/"
    )
    FooterLink.objects.create(
        menu=menu, sort_order=0, label_en="Legal notice", label_de="Impressum", link_path="/about/"
    )
    return menu


def test_the_navigation_api_serves_menu_and_footer_in_the_requested_language(client, navigation):
    body = client.get("/api/navigation/?locale=de").json()
    assert body["language"] == "de"
    assert [item["label"] for item in body["menu"]] == ["Exit-Strategien", "Forum"]
    assert body["menu"][1]["url"] == "/de/forum/"
    assert body["footer"]["links"] == [{"label": "Impressum", "url": "/de/about/"}]
    english = client.get("/api/navigation/").json()
    assert english["menu"][0] == {"label": "Exit strategies", "url": "/exit-strategies/"}
    assert set(english["footer"]) == {
        "links",
        "contact",
        "social",
        "successors",
        "funders",
        "consortium",
    }


def test_the_html_footer_shows_the_footer_links(client, navigation, home):
    html = client.get(home.url).content.decode()
    assert "Legal notice" in html


def test_the_navigation_api_refuses_unknown_parameters(client, home):
    response = client.get("/api/navigation/?menu=main")
    assert response.status_code == 400


def test_every_page_type_can_be_previewed_headlessly():
    from wagtail.models import get_page_models

    missing = [
        m.__name__
        for m in get_page_models()
        if m is not Page and not issubclass(m, HeadlessPreviewMixin)
    ]
    assert missing == []


@pytest.fixture
def pages_of_every_type(home, news_page, standard_page, library, open_call):
    from tests.factories import make_event

    calls = publish(home, CallIndexPage(title="Calls", slug="calls"))
    event = make_event(title="Cluster Days")
    return [
        home,
        news_page.get_parent().specific,
        news_page,
        standard_page,
        library,
        open_call,
        calls,
        event,
        event.get_parent().specific,
    ]


def test_each_page_type_renders_its_draft_in_the_preview_api_and_page(client, pages_of_every_type):
    seen = set()
    for page in pages_of_every_type:
        page = page.specific
        page.title = f"Draft of {page.title}"
        preview = page.create_page_preview()
        content_type = f"{page._meta.app_label}.{page._meta.model_name}"
        seen.add(content_type)
        query = f"content_type={content_type}&token={preview.token}"
        api = client.get(f"/api/v2/page_preview/?{query}")
        assert api.status_code == 200, (content_type, api.content[:300])
        assert api.json()["title"] == page.title
        html = client.get(f"/preview/?{query}")
        assert html.status_code == 200, content_type
        assert page.title in html.content.decode()
    assert {"events.eventpage", "events.eventindexpage", "club.callindexpage"} <= seen


def test_editors_edit_menu_footer_and_register_settings_in_the_admin(client, superuser, home):
    client.force_login(superuser)
    site = Site.objects.get(is_default_site=True)
    navigation = client.get(f"/admin/settings/club/navigationsettings/{site.pk}/")
    assert navigation.status_code == 200
    assert "Footer links" in navigation.content.decode()
    registers = client.get(f"/admin/settings/members/registersettings/{site.pk}/")
    assert registers.status_code == 200
    assert "Hide them" in registers.content.decode()
