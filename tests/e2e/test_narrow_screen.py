"""On a 375 px wide phone the navigation folds into a menu that works by keyboard, and no
public page scrolls sideways."""

import pytest

from tests.e2e.test_accessibility import demo_paths

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

PHONE = {"width": 375, "height": 667}


def test_the_menu_button_opens_and_closes_the_menu_by_keyboard(open_page):
    page = open_page()
    page.set_viewport_size(PHONE)
    page.goto("/styleguide/")
    toggle = page.locator("[data-menu-toggle]")
    menu = page.locator("#site-menu")
    assert toggle.is_visible()
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not menu.is_visible()
    # From the top of the page: the skip link, the brand, then the menu button.
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.hasAttribute('data-menu-toggle')"):
            break
    else:
        pytest.fail("the menu button is not reached by Tab")
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "true"
    assert menu.is_visible()
    page.keyboard.press("Tab")
    assert page.evaluate("document.getElementById('site-menu').contains(document.activeElement)")
    page.keyboard.press("Escape")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not menu.is_visible()
    assert page.evaluate("document.activeElement.hasAttribute('data-menu-toggle')")
    # The same button answers a tap.
    toggle.click()
    assert menu.is_visible()


def test_on_a_wide_screen_the_menu_is_open_without_a_button(open_page):
    page = open_page()
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/styleguide/")
    assert not page.locator("[data-menu-toggle]").is_visible()
    assert page.locator("#site-menu").is_visible()


def test_no_public_page_scrolls_sideways_at_375_pixels(open_page):
    from demo.loader import load_demo
    from members.models import MemberProfile

    load_demo(log=lambda line: None)
    reader = MemberProfile.objects.get(user__username="demo-anna").user
    anonymous, signed_in = open_page(), open_page(user=reader)
    for page in (anonymous, signed_in):
        page.set_viewport_size(PHONE)
    too_wide = []
    for path, needs_member in demo_paths():
        page = signed_in if needs_member else anonymous
        answer = page.goto(path)
        assert answer.status == 200, path
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            culprits = page.evaluate(
                """() => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > 376)
                .slice(0, 3).map(e => e.tagName + '.' + e.className)"""
            )
            too_wide.append(f"{path}: {width}px {culprits}")
    assert too_wide == [], "\n".join(too_wide)
