"""A member registers for an upcoming event, finds it in "my registrations" and takes the
calendar file home."""

import re

import icalendar
import pytest
from playwright.sync_api import expect

from members.models import Membership
from tests.e2e.conftest import RESULTS_DIR
from tests.factories import make_event, make_member, make_organisation

pytestmark = [pytest.mark.postgres, pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_member_registers_sees_the_registration_and_downloads_the_calendar_file(
    open_page, wagtail_site
):
    # wagtail_site first: the event index goes under the site's home page.
    event = make_event(
        title="Smart Manufacturing Matchmaking", capacity=5, city="Aarhus", country="DK"
    )
    member = make_member(username="maja", display_name="Maja Member")
    Membership.objects.create(
        member=member, organisation=make_organisation(), status=Membership.Status.APPROVED
    )
    page = open_page(user=member.user, path=event.url)
    expect(page.locator("h1")).to_contain_text("Smart Manufacturing Matchmaking")

    page.locator("section.registration").get_by_role("button", name="Register").click()
    expect(page.locator("body")).to_contain_text("Your seat is confirmed.")
    expect(page.locator("section.registration")).to_contain_text("You are registered.")

    page.locator("section.registration").get_by_role("link", name="My registrations").click()
    expect(page).to_have_url(re.compile(r"/events/my-registrations/$"))
    item = page.locator("article.registration").filter(has_text="Smart Manufacturing Matchmaking")
    expect(item).to_have_count(1)
    expect(item).to_contain_text("Confirmed")
    expect(item).to_contain_text("Aarhus")

    link = item.get_by_role("link", name="Calendar file (.ics)")
    answer = page.context.request.get(link.get_attribute("href"))
    assert answer.ok, answer.status
    assert answer.headers["content-type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(answer.body())
    [vevent] = calendar.walk("VEVENT")
    assert str(vevent["SUMMARY"]) == "Smart Manufacturing Matchmaking"
    # Calendar files carry whole seconds.
    assert vevent.decoded("DTSTART") == event.start.replace(microsecond=0)
    RESULTS_DIR.mkdir(exist_ok=True)
    page.screenshot(path=str(RESULTS_DIR / "event-journey-final.png"), full_page=True)
