"""The partner-request journey in two browsers: one member posts a request, a co-admin of
a fitting organisation hears of it live, expresses interest, the two talk in a private
conversation live, and the author shortlists and closes the request with the partner
found."""

import datetime
import time

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from search.engines.base import database_engine
from tests.factories import make_member, make_organisation

pytestmark = [pytest.mark.postgres, pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people():
    author = make_member(username="ada", display_name="Ada Author")
    own = make_organisation(name="Aarhus Energy", country="DK", sectors=["Energy"])
    own.co_admins.add(author.user)
    partner = make_member(username="bert", display_name="Bert Berlin")
    fitting = make_organisation(
        name="Berlin Energy Hub", country="DE", sectors=["Energy"], technologies=["Hydrogen"]
    )
    fitting.co_admins.add(partner.user)
    database_engine().rebuild()
    return author.user, partner.user


def test_post_notify_answer_talk_shortlist_and_close(open_page, people):
    author, partner = people
    watcher = open_page(user=partner, path="/partners/requests/")
    expect(watcher.locator("[data-live-notices][data-connected]")).to_have_count(1)

    page = open_page(user=author, path="/partners/requests/new/")
    page.locator("select[name=kind]").select_option("project_partner")
    page.locator("input[name=title]").fill("Hydrogen storage pilot")
    page.locator("textarea[name=description]").fill("A partner for a **hydrogen** pilot is sought.")
    page.locator("select[name=organisation]").select_option(label="Aarhus Energy")
    page.locator("select[name=sectors]").select_option(label="Energy")
    page.locator("input[name=technologies]").fill("Hydrogen")
    page.locator("select[name=countries]").select_option("DE")
    deadline = timezone.localdate() + datetime.timedelta(days=30)
    page.locator("input[name=deadline]").fill(deadline.isoformat())
    page.get_by_role("button", name="Publish").click()
    expect(page.locator("h1")).to_have_text("Hydrogen storage pilot")
    request_url = page.url

    # The co-admin of the fitting organisation hears of it without a reload.
    notice = watcher.locator("[data-notice-list] a", has_text="Hydrogen storage pilot")
    expect(notice).to_be_visible()
    # The author sees the organisation that fits, and why.
    page.reload()
    expect(page.locator("[data-matches]")).to_contain_text("Berlin Energy Hub")
    expect(page.locator("[data-matches]")).to_contain_text("Hydrogen")

    notice.click()
    watcher.locator("textarea[name=message]").fill("Berlin runs hydrogen pilots.")
    watcher.get_by_role("button", name="Express interest").click()
    expect(watcher.locator("[data-private]")).to_be_visible()
    expect(watcher.locator("#posts")).to_contain_text("Berlin runs hydrogen pilots.")
    interest_sent = time.monotonic()
    conversation_url = watcher.url

    page.goto(request_url)
    expect(page.locator("[data-interests]")).to_contain_text("Bert Berlin")
    page.locator("[data-interests]").get_by_role("link", name="Conversation").click()
    assert page.url == conversation_url
    expect(page.locator("[data-viewers]")).to_contain_text("Bert Berlin")

    page.locator("textarea[name=body]").fill("Welcome, let us plan a call.")
    page.get_by_role("button", name="Post reply").click()
    expect(watcher.locator("#posts")).to_contain_text("Welcome, let us plan a call.")
    # The forum's rate limit holds here too: a member's posts are FORUM_POST_INTERVAL apart.
    time.sleep(max(0.0, 10.5 - (time.monotonic() - interest_sent)))
    watcher.locator("textarea[name=body]").fill("Tuesday suits us.")
    watcher.get_by_role("button", name="Post reply").click()
    expect(page.locator("#posts")).to_contain_text("Tuesday suits us.")

    page.goto(request_url)
    interest = page.locator("[data-interest]").first
    interest.get_by_role("button", name="Shortlist").click()
    expect(page.locator("[data-interest]").first).to_have_attribute(
        "data-interest-status", "shortlisted"
    )
    page.locator(".close-request input[name=partners]").check()
    page.locator(".close-request").get_by_role("button", name="Close the request").click()
    expect(page.locator("[data-request-status]")).to_have_attribute("data-request-status", "closed")
    expect(page.locator("[data-interest]").first).to_have_attribute(
        "data-interest-status", "partner"
    )
