"""A juror signs in, finds the applications assigned to them (a conflicted one absent),
scores one per criterion with comments and sees their progress."""

import re

import pytest
from playwright.sync_api import expect

from awards.models import Assignment, Score
from members.models import Follow
from tests.awards.factories import make_candidate, make_cycle, make_juror, move_to, submitted
from tests.e2e.conftest import RESULTS_DIR
from tests.factories import DEFAULT_PASSWORD

pytestmark = [pytest.mark.postgres, pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_juror_signs_in_and_scores_an_application(open_page, wagtail_site):
    cycle = make_cycle(criteria=(("Impact", 3), ("Innovation", 1)))
    anna = make_candidate(name="Anna Berger")
    lars = make_candidate(name="Lars Mikkelsen")
    mine = submitted(cycle, applicant=anna, title="Five clusters, one front door")
    conflicted = submitted(cycle, applicant=lars, title="A network of networks")
    juror = make_juror(cycle, username="juror", display_name="Julia Juror")
    # Julia follows Lars: the site keeps his application from her.
    Follow.objects.create(follower=juror.member, member=lars)
    for application in (mine, conflicted):
        Assignment.objects.create(juror=juror, application=application)
    move_to(cycle, "scoring")

    page = open_page(path=f"/accounts/login/?next=/awards/{cycle.slug}/jury/")
    page.locator("input[name=login]").fill("juror")
    page.locator("input[name=password]").fill(DEFAULT_PASSWORD)
    page.locator("form:has(input[name=password]) [type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/awards/{cycle.slug}/jury/$"))
    expect(page.locator(".progress")).to_contain_text("0 of 1")
    expect(page.locator("table.jury-applications")).not_to_contain_text("A network of networks")

    page.get_by_role("link", name=re.compile("Five clusters, one front door")).click()
    expect(page.locator("h1")).to_contain_text("Five clusters, one front door")
    form = page.locator("form.score-form")
    impact, innovation = cycle.criteria.all()
    # The browser refuses a mark above 10 before anything is sent (max="10").
    assert form.locator(f"input[name=score_{impact.pk}]").get_attribute("max") == "10"
    form.locator(f"input[name=score_{innovation.pk}]").fill("6")
    form.locator(f"input[name=score_{impact.pk}]").fill("8")
    form.locator(f"textarea[name=comment_{impact.pk}]").fill("Members gained a lot.")
    form.get_by_role("button", name="Save my scores").click()

    expect(page.locator("body")).to_contain_text("Your scores were saved.")
    expect(page.locator(".progress")).to_contain_text("1 of 1")
    stored = dict(Score.objects.filter(juror=juror).values_list("criterion__name", "value"))
    assert stored == {"Impact": 8, "Innovation": 6}
    assert Score.objects.get(criterion=impact).comment == "Members gained a lot."

    # The conflicted application does not exist for her, even by its address.
    answer = page.context.request.get(f"/awards/jury/applications/{conflicted.pk}/")
    assert answer.status == 404
    RESULTS_DIR.mkdir(exist_ok=True)
    page.screenshot(path=str(RESULTS_DIR / "juror-scores-final.png"), full_page=True)
