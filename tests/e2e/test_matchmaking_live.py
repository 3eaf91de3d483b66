"""Two members book a meeting in the browser: one asks, the other sees the request arrive
and accepts it, and both agendas show the meeting live, without reloading."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import RESULTS_DIR
from tests.factories import make_event
from tests.matchmaking.brokerage import make_matchmaking, make_participant

pytestmark = [pytest.mark.postgres, pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_two_members_book_a_meeting_and_both_agendas_show_it_live(open_page, wagtail_site):
    event = make_event(title="Brokerage day", capacity=20)
    brokerage = make_matchmaking(event=event, slots=3, tables=2)
    alice = make_participant(brokerage, display_name="Alice Arm", offer="Robot arms")
    bob = make_participant(brokerage, display_name="Bob Barn", looking_for="Robot arms")
    path = f"/events/{event.pk}/matchmaking/"

    bobs_page = open_page(user=bob.user, path=path)
    expect(bobs_page.locator("#matchmaking-live")).to_have_attribute("data-live", "open")
    alices_page = open_page(user=alice.user, path=path)
    expect(alices_page.locator("#matchmaking-live")).to_have_attribute("data-live", "open")

    card = alices_page.locator("#participants article.participant").filter(has_text="Bob Barn")
    card.locator("textarea[name=message]").fill("Shall we talk about arms?")
    card.get_by_role("button", name="Request a meeting").click()
    expect(alices_page.locator("body")).to_contain_text("Your request is sent.")
    expect(alices_page.locator("#matchmaking-live")).to_have_attribute("data-live", "open")

    # Bob's page hears of the request without a reload.
    request = bobs_page.locator("#requests-in article.meeting").filter(has_text="Alice Arm")
    expect(request).to_contain_text("Shall we talk about arms?")
    request.get_by_role("button", name="Accept").click()
    expect(bobs_page.locator("body")).to_contain_text("The meeting is in both agendas.")
    expect(bobs_page.locator("#agenda")).to_contain_text("Alice Arm")
    expect(bobs_page.locator("#agenda")).to_contain_text("Table 1")

    # Alice's page, open all along, shows the meeting in her agenda.
    expect(alices_page.locator("#agenda")).to_contain_text("Bob Barn")
    expect(alices_page.locator("#agenda")).to_contain_text("Table 1")
    expect(alices_page.locator("#requests-out")).not_to_contain_text("Bob Barn")
    RESULTS_DIR.mkdir(exist_ok=True)
    alices_page.screenshot(path=str(RESULTS_DIR / "matchmaking-final.png"), full_page=True)
