"""Without a mouse: a member signs in, finds an event, registers, opens a thread and
replies, with the keyboard only. Every focused element shows its focus, focus never gets
stuck, and a live reply is announced without taking the focus away."""

import pytest
from playwright.sync_api import expect

from forum import services as forum_services
from forum.models import Category
from members.models import Membership
from tests.e2e.conftest import outside_the_browser_loop
from tests.factories import DEFAULT_PASSWORD, make_event, make_member, make_organisation

pytestmark = [pytest.mark.postgres, pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: Tab presses allowed to reach an element: far more than any page of the site needs.
MAX_TABS = 150

FOCUS_SHOWN = """() => {
    const element = document.activeElement;
    if (!element || element === document.body) return false;
    const style = getComputedStyle(element);
    const outlined = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
    return outlined || style.boxShadow !== "none";
}"""


DESCRIBE_FOCUS = """() => {
    const e = document.activeElement;
    return e ? e.tagName + " " + (e.textContent || e.name || "").trim().slice(0, 40) : "";
}"""


def tab_to(page, matches: str) -> None:
    """Press Tab until the focused element satisfies the JS predicate ``matches`` (called
    with the element); on the way, each focused element must show its focus."""
    seen = []
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        described = page.evaluate(DESCRIBE_FOCUS)
        seen.append(described)
        # Past the page's last element focus leaves the document (the body) and comes
        # back at the top on the next Tab: that is the way round, not a trap.
        if page.evaluate("() => document.activeElement === document.body"):
            continue
        assert page.evaluate(FOCUS_SHOWN), f"no visible focus on {described!r}"
        if page.evaluate(f"(e => ({matches}))(document.activeElement)"):
            return
    raise AssertionError(f"never reached {matches}; focus went through {seen[-20:]}")


def press_enter_and_load(page) -> None:
    """Enter on a link or a submit button: wait for the page it leads to."""
    with page.expect_navigation():
        page.keyboard.press("Enter")


def link_named(text: str) -> str:
    return f"e && e.tagName === 'A' && e.textContent.trim() === {text!r}"


def test_a_member_signs_in_registers_and_replies_with_the_keyboard_only(open_page, wagtail_site):
    event = make_event(title="Cluster excellence day", capacity=10, city="Graz", country="AT")
    member = make_member(username="kira", display_name="Kira Keyboard")
    Membership.objects.create(
        member=member, organisation=make_organisation(), status=Membership.Status.APPROVED
    )
    category = Category.objects.create(name_en="Cluster management", slug="cluster-management")
    replier = make_member(username="liam", display_name="Liam Live")
    thread = forum_services.start_thread(
        category=category,
        author=replier.user,
        title="Financing after the start-up phase",
        body="Which mix works for you?",
    )

    page = open_page(path="/accounts/login/?next=/forum/")
    tab_to(page, "e && e.name === 'login'")
    page.keyboard.type("kira")
    tab_to(page, "e && e.name === 'password'")
    page.keyboard.type(DEFAULT_PASSWORD)
    press_enter_and_load(page)
    expect(page.locator(".account")).to_contain_text("Kira Keyboard")

    # The main menu, then the event, then its registration button.
    tab_to(page, link_named("Events"))
    press_enter_and_load(page)
    tab_to(page, link_named("Cluster excellence day"))
    press_enter_and_load(page)
    expect(page.locator("h1")).to_contain_text("Cluster excellence day")
    tab_to(page, "e && e.tagName === 'BUTTON' && e.textContent.trim() === 'Register'")
    press_enter_and_load(page)
    expect(page.locator("body")).to_contain_text("Your seat is confirmed.")
    assert event.registrations.filter(member=member, status="confirmed").exists()

    # The forum, the thread, and a reply typed and sent from the keyboard.
    tab_to(page, link_named("Forum"))
    press_enter_and_load(page)
    tab_to(page, link_named("Financing after the start-up phase"))
    press_enter_and_load(page)
    tab_to(page, "e && e.tagName === 'TEXTAREA'")
    page.keyboard.type("Membership fees and paid services, in that order.")
    tab_to(page, "e && e.tagName === 'BUTTON' && e.textContent.trim() === 'Post reply'")
    page.keyboard.press("Enter")  # the page's script posts it: no new page
    expect(page.locator("#posts")).to_contain_text("Membership fees and paid services")

    # A live reply is announced (the list is a polite live region) and leaves the focus
    # where the reader had it.
    tab_to(page, "e && e.tagName === 'TEXTAREA'")
    assert page.locator("#posts").get_attribute("aria-live") == "polite"
    # Another member than the thread's starter: the forum's pace limit is not what is tested.
    live_author = make_member(username="mira", display_name="Mira Live")
    outside_the_browser_loop(
        forum_services.post_reply, thread=thread, author=live_author.user, body="Arrives live"
    )
    expect(page.locator("#posts")).to_contain_text("Arrives live")
    assert page.evaluate("() => document.activeElement.tagName") == "TEXTAREA"
