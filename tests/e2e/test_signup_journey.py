"""A newcomer signs up, verifies the address from the e-mail, completes the profile and
asks to join an organisation."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import RESULTS_DIR
from tests.factories import make_organisation

pytestmark = [pytest.mark.postgres, pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-Passphrase-42"


def _verification_link(sent_mail_dir, address: str) -> str:
    """The confirmation link of the newest e-mail sent to ``address``."""
    messages = sorted(sent_mail_dir.glob("*.log"), key=lambda path: path.stat().st_mtime)
    for path in reversed(messages):
        text = path.read_text()
        if address in text:
            match = re.search(r"https?://\S+/accounts/confirm-email/\S+/", text)
            assert match, f"no confirmation link in {path}:\n{text}"
            return match.group(0)
    raise AssertionError(f"no e-mail to {address} in {sent_mail_dir}")


def test_a_newcomer_signs_up_verifies_completes_the_profile_and_asks_to_join(
    open_page, sent_mail_dir
):
    organisation = make_organisation(name="Nordic Robotics Cluster", country="DK")
    address = "newcomer@example.org"
    page = open_page(path="/accounts/signup/")

    page.locator("input[name=email]").fill(address)
    page.locator("input[name=username]").fill("newcomer")
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    page.locator("form:has(input[name=password2]) [type=submit]").click()
    expect(page).to_have_url(re.compile(r"/accounts/confirm-email/$"))

    page.goto(_verification_link(sent_mail_dir, address))
    page.locator("form [type=submit]").last.click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))

    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill("newcomer")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form:has(input[name=password]) [type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))

    page.goto("/members/me/edit/")
    expect(page.get_by_role("heading", name="Edit my profile")).to_be_visible()
    page.locator("input[name=display_name]").fill("Nina Newcomer")
    page.locator("input[name=job_title]").fill("Cluster manager")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("body")).to_contain_text("Your profile was saved.")
    expect(page.locator("h1")).to_contain_text("Nina Newcomer")

    page.goto(organisation.get_absolute_url())
    page.locator("input[name=role]").fill("Project lead")
    page.get_by_role("button", name="Ask to join").click()
    expect(page.locator("body")).to_contain_text("Your request was sent")
    expect(page.locator("body")).to_contain_text(
        "Your request is waiting for a co-admin's decision."
    )

    page.goto("/members/me/organisations/")
    row = page.locator("tr").filter(has_text="Nordic Robotics Cluster")
    expect(row).to_contain_text("Project lead")
    expect(row.get_by_role("button", name="Withdraw request")).to_be_visible()
    RESULTS_DIR.mkdir(exist_ok=True)
    page.screenshot(path=str(RESULTS_DIR / "signup-journey-final.png"), full_page=True)
