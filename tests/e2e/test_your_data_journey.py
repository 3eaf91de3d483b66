"""A member finds "Your data" from the profile, opts in to newsletters, asks for a copy of
their data, deletes the account with the password, and comes back by signing in."""

import re

import pytest
from playwright.sync_api import expect

from privacy.models import ConsentRecord, DataExport, DeletionRequest
from tests.factories import DEFAULT_PASSWORD, make_member

pytestmark = [pytest.mark.postgres, pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_member_manages_their_data_deletes_the_account_and_comes_back(open_page):
    member = make_member(username="leaving", display_name="Lea Leaving")
    page = open_page(user=member.user, path="/members/me/edit/")

    page.get_by_role("link", name=re.compile("Your data")).click()
    expect(page.get_by_role("heading", name="Your data", exact=True)).to_be_visible()

    page.locator("input[name=marketing]").check()
    page.locator("form:has(input[name=marketing]) [type=submit]").click()
    expect(page.locator("body")).to_contain_text("Your choice about newsletters is saved.")
    assert ConsentRecord.objects.filter(user=member.user, action="accepted").count() == 1

    page.get_by_role("button", name="Prepare a copy of my data").click()
    expect(page.locator("body")).to_contain_text("a link to it will come by e-mail")
    assert DataExport.objects.filter(user=member.user).exists()

    page.locator("input[name=password]").fill("not my password")
    page.get_by_role("button", name="Delete my account").click()
    expect(page.locator("body")).to_contain_text("This is not your password.")
    page.locator("input[name=password]").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Delete my account").click()
    expect(page.locator("body")).to_contain_text("Your account is closed.")
    member.user.refresh_from_db()
    assert not member.user.is_active and DeletionRequest.objects.filter(user=member.user)

    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill("leaving")
    page.locator("input[name=password]").fill(DEFAULT_PASSWORD)
    page.locator("form:has(input[name=password]) [type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/"))
    member.user.refresh_from_db()
    assert member.user.is_active and not DeletionRequest.objects.filter(user=member.user)
