"""A form sent back with errors puts the keyboard and the screen reader on its summary,
and the summary's links take them to the fields."""

import pytest

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_focus_lands_on_the_error_summary_and_its_links_reach_the_fields(open_page):
    page = open_page(path="/accounts/signup/")
    page.fill("input[name=email]", "newcomer@example.org")
    page.fill("input[name=username]", "newcomer")
    page.fill("input[name=password1]", "x")
    page.fill("input[name=password2]", "y")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_selector("[data-error-summary]")
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    # The summary is read first: its heading is the first thing in it.
    assert page.locator("[data-error-summary] h2").inner_text().strip()
    page.keyboard.press("Tab")
    first_link = page.evaluate("document.activeElement.getAttribute('href')")
    assert first_link and first_link.startswith("#id_")
    page.keyboard.press("Enter")
    assert page.evaluate("'#' + document.activeElement.id") == first_link
