"""An editor writes a news item in the Wagtail admin and publishes it: the home page and
the pages API show it."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from playwright.sync_api import expect
from wagtail.models import Page

from pages.models import HomePage, NewsIndexPage, NewsPage
from tests.e2e.conftest import RESULTS_DIR

pytestmark = [pytest.mark.postgres, pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "editor-Passphrase-42"
TITLE = "Cluster Club opens its Nordic office"


@pytest.fixture
def news_index(wagtail_site):
    """A HomePage as the site's root with a news index under it."""
    home = HomePage(title="Club home", slug="club-home")
    Page.get_first_root_node().add_child(instance=home)
    home.save_revision().publish()
    wagtail_site.root_page = home
    wagtail_site.save()
    index = NewsIndexPage(title="News", slug="news")
    home.add_child(instance=index)
    index.save_revision().publish()
    return index


def test_an_editor_publishes_a_news_page_that_the_home_page_and_the_api_then_list(
    open_page, news_index
):
    # Not a superuser: an editor with Wagtail's groups, whose page permissions come from
    # the migrations that every transactional test starts from. Editors may only submit
    # for moderation; the right to publish is the Moderators group's.
    editor = get_user_model().objects.create_user(
        username="editor", email="editor@example.org", password=PASSWORD
    )
    editor.groups.add(*Group.objects.filter(name__in=["Editors", "Moderators"]))
    page = open_page(path="/admin/login/")
    page.locator("input[name=username]").fill("editor")
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))

    page.goto(f"/admin/pages/{news_index.pk}/add_subpage/")
    expect(page).to_have_url(re.compile(rf"/admin/pages/add/club/newspage/{news_index.pk}/$"))
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_date").fill("2026-11-20")
    page.locator("#id_intro").fill("A new office in Aalborg serves the Nordic clusters.")
    page.locator("footer .w-dropdown__toggle").click()
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".messages")).to_contain_text("published")

    # Publishing also makes the page's aliases in the other locales: take the English one.
    news = NewsPage.objects.get(title=TITLE, locale__language_code="en")
    assert news.live and news.get_parent().pk == news_index.pk
    assert news.date == datetime.date(2026, 11, 20)

    page.goto("/")
    latest = page.locator("section[aria-labelledby=home-news]")
    expect(latest.get_by_role("link", name=TITLE)).to_be_visible()

    answer = page.context.request.get("/api/v2/pages/?type=club.NewsPage&locale=en&fields=intro")
    assert answer.ok, answer.status
    items = answer.json()["items"]
    assert [(item["title"], item["intro"]) for item in items] == [
        (TITLE, "A new office in Aalborg serves the Nordic clusters.")
    ]
    RESULTS_DIR.mkdir(exist_ok=True)
    page.screenshot(path=str(RESULTS_DIR / "editor-publishes-final.png"), full_page=True)
