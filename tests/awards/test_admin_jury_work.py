"""The jury's work in the Wagtail admin: coverage, reminders, the shortlist and the
announcement, for the awards' editors only."""

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.test import TestCase

from awards import services
from awards.models import Assignment, Laureate, ReminderLog
from pages.models import NewsPage
from tests.awards.factories import (
    make_candidate,
    make_cycle,
    make_editor,
    make_juror,
    make_news_index,
    move_to,
    submitted,
)
from tests.factories import make_member, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle_in_scoring():
    """Two applications; one juror has scored the first, the other nothing yet."""
    cycle = make_cycle(scores_per_application=2, criteria=(("Impact", 1),))
    first = submitted(cycle, applicant=make_candidate(name="Anna Berger"), title="First story")
    second = submitted(cycle, applicant=make_candidate(name="Lars Holm"), title="Second story")
    cycle = move_to(cycle, "scoring")
    done = make_juror(cycle, display_name="Diligent Juror")
    behind = make_juror(cycle, display_name="Busy Juror")
    for juror in (done, behind):
        for application in (first, second):
            Assignment.objects.create(juror=juror, application=application)
    (criterion,) = cycle.criteria.all()
    for application in (first, second):
        services.score_application(
            juror=done, application=application, marks={criterion.pk: (7, "")}
        )
    return cycle, (first, second), (done, behind)


def test_editors_find_the_jury_work_in_the_admin_menu_and_see_coverage(client, cycle_in_scoring):
    cycle, (first, second), _jurors = cycle_in_scoring
    client.force_login(make_editor())
    home = client.get("/admin/").content.decode()
    assert "/admin/award-jury/" in home
    listing = client.get("/admin/award-jury/")
    assert listing.status_code == 200
    assert cycle.title in listing.content.decode()
    page = client.get(f"/admin/award-jury/{cycle.pk}/")
    assert page.status_code == 200
    coverage = list(page.context["coverage"])
    assert [(row["application"], row["scores"], row["short"]) for row in coverage] == [
        (first, 1, True),
        (second, 1, True),
    ]
    html = page.content.decode()
    assert "too few" in html and "Busy Juror" in html


def test_an_editor_reminds_the_jurors_behind_from_the_admin(client, cycle_in_scoring):
    cycle, _applications, (done, behind) = cycle_in_scoring
    editor = make_editor()
    client.force_login(editor)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(f"/admin/award-jury/{cycle.pk}/remind/")
    assert response.status_code == 302
    assert response["Location"] == f"/admin/award-jury/{cycle.pk}/"
    assert [m.to for m in mail.outbox] == [[behind.member.user.email]]
    log = ReminderLog.objects.get()
    assert (log.cycle, log.jurors, log.sent_by) == (cycle, 1, editor)
    # The page reports the run.
    assert "1 juror" in client.get(f"/admin/award-jury/{cycle.pk}/").content.decode()


def test_an_editor_draws_up_the_shortlist_and_announces_from_the_admin(client, cycle_in_scoring):
    make_news_index()
    cycle, (first, second), jurors = cycle_in_scoring
    cycle = move_to(cycle, "deliberation")
    client.force_login(make_editor())
    response = client.post(f"/admin/award-jury/{cycle.pk}/shortlist/", {"application": [first.pk]})
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.shortlisted
    # The jury has not confirmed: refused with the reason, nothing announced.
    refused = client.post(f"/admin/award-jury/applications/{first.pk}/announce/", follow=True)
    assert "Every juror must confirm the shortlist first." in refused.content.decode()
    assert not Laureate.objects.exists()
    for juror in jurors:
        services.confirm_shortlist(juror=juror)
    response = client.post(f"/admin/award-jury/applications/{first.pk}/announce/")
    assert response.status_code == 302
    laureate = Laureate.objects.get()
    assert laureate.application == first
    assert NewsPage.objects.get(pk=laureate.news_page_id).live
    # The site's results page shows the same cycle as before.
    assert client.get(f"/awards/{cycle.slug}/results/").status_code == 200


def test_only_award_editors_reach_the_jury_work(client, cycle_in_scoring):
    cycle, (first, _second), _jurors = cycle_in_scoring
    paths = [
        ("get", "/admin/award-jury/"),
        ("get", f"/admin/award-jury/{cycle.pk}/"),
        ("post", f"/admin/award-jury/{cycle.pk}/remind/"),
        ("post", f"/admin/award-jury/{cycle.pk}/shortlist/"),
        ("post", f"/admin/award-jury/applications/{first.pk}/announce/"),
    ]
    # Staff with access to the admin but not to the awards.
    staff = make_user(is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(staff)
    assert "/admin/award-jury/" not in client.get("/admin/").content.decode()
    # Wagtail's admin answers a refusal by sending them back to the dashboard.
    for method, path in paths:
        response = getattr(client, method)(path)
        assert (response.status_code, response["Location"]) == (302, "/admin/"), path
    # A member without the admin, and a visitor: sent to sign in.
    for user in (make_member().user, None):
        client.logout()
        if user is not None:
            client.force_login(user)
        for method, path in paths:
            response = getattr(client, method)(path)
            assert response.status_code == 302 and "login" in response["Location"], path
    assert not ReminderLog.objects.exists() and not Laureate.objects.exists()
    assert mail.outbox == []


def test_a_get_on_the_admin_actions_changes_nothing(client, cycle_in_scoring):
    cycle, (first, _second), _jurors = cycle_in_scoring
    client.force_login(make_editor())
    assert client.get(f"/admin/award-jury/{cycle.pk}/remind/").status_code == 405
    assert client.get(f"/admin/award-jury/applications/{first.pk}/announce/").status_code == 405
    assert not ReminderLog.objects.exists()
