"""Applying, nominating, consenting and withdrawing, through the services and the HTML site."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase

from awards import services
from awards.models import Application
from domain.exceptions import Conflict
from members.models import Organisation
from tests.awards.factories import (
    draft,
    join,
    make_candidate,
    make_cycle,
    make_labelled_organisation,
    move_to,
    submitted,
)
from tests.factories import make_member, make_organisation

pytestmark = pytest.mark.django_db


def test_a_submitted_application_is_confirmed_by_email():
    cycle = make_cycle()
    anna = make_candidate(name="Anna Berger")
    application = draft(cycle, applicant=anna)
    assert application.status == Application.Status.DRAFT
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.submit_application(application=application, by=anna)
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert application.submitted_at is not None
    assert [m.to for m in mail.outbox] == [[anna.user.email]]
    assert cycle.title in mail.outbox[0].subject


def test_a_rolled_back_submission_sends_nothing():
    cycle = make_cycle()
    anna = make_candidate(name="Anna Berger")
    application = draft(cycle, applicant=anna)
    with TestCase.captureOnCommitCallbacks(execute=False) as callbacks:
        services.submit_application(application=application, by=anna)
    # The callbacks were registered in the transaction; not running them is a rollback.
    assert len(callbacks) == 1
    assert mail.outbox == []


def test_submission_is_refused_with_the_reasons_of_ineligibility():
    cycle = make_cycle(eligible_countries="AT, DK")
    unlabelled = make_organisation(name="No Label Cluster", country="SE")
    agency = make_labelled_organisation(name="Agency", kind=Organisation.Kind.SUPPORT_AGENCY)
    member = make_member(display_name="Sven Svensson", country="SE")
    join(member, unlabelled)
    join(member, agency)
    application = draft(cycle, applicant=member, organisation=unlabelled)
    with pytest.raises(ValidationError) as error:
        services.submit_application(application=application, by=member)
    text = " ".join(error.value.messages)
    assert "No Label Cluster holds no valid cluster-management quality label" in text
    assert "member country (AT, DK)" in text
    other = draft(cycle, applicant=member, organisation=agency, title="Second")
    with pytest.raises(ValidationError) as error:
        services.submit_application(application=other, by=member)
    assert "Agency is not a cluster organisation" in " ".join(error.value.messages)
    assert Application.objects.submitted().count() == 0


def test_the_refusal_reason_is_shown_on_the_form(client):
    cycle = make_cycle()
    member = make_member(display_name="Sven Svensson")
    organisation = make_organisation(name="Unlabelled Cluster")
    join(member, organisation)
    client.force_login(member.user)
    response = client.post(
        f"/awards/{cycle.slug}/apply/",
        {
            "category": cycle.categories.first().pk,
            "organisation": organisation.pk,
            "title": "Our story",
            "success_story": "We grew.",
            "submit": "1",
        },
    )
    assert response.status_code == 200
    assert "holds no valid cluster-management quality label" in response.content.decode()
    # The draft was kept, not submitted.
    assert Application.objects.get().status == Application.Status.DRAFT


def test_applications_close_at_the_deadline():
    cycle = make_cycle()
    anna = make_candidate(name="Anna Berger")
    application = draft(cycle, applicant=anna)
    move_to(cycle, "scoring")
    with pytest.raises(Conflict):
        services.submit_application(application=application, by=anna)
    with pytest.raises(Conflict):
        draft(cycle, applicant=anna)


def test_only_the_applicant_submits_and_a_draft_is_submitted_once():
    cycle = make_cycle()
    anna = make_candidate(name="Anna Berger")
    application = draft(cycle, applicant=anna)
    with pytest.raises(PermissionDenied):
        services.submit_application(application=application, by=make_member())
    services.submit_application(application=application, by=anna)
    with pytest.raises(Conflict):
        services.submit_application(application=application, by=anna)


def test_a_withdrawn_application_leaves_the_jury(client):
    cycle = make_cycle()
    anna = make_candidate(name="Anna Berger")
    application = submitted(cycle, applicant=anna)
    assert Application.objects.before_the_jury().count() == 1
    client.force_login(anna.user)
    response = client.post(f"/awards/applications/{application.pk}/withdraw/")
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Application.Status.WITHDRAWN
    assert Application.objects.before_the_jury().count() == 0


def test_a_nomination_reaches_the_jury_only_after_the_nominee_consents(client):
    cycle = make_cycle()
    lars = make_candidate(name="Lars Mikkelsen")
    anna = make_member(display_name="Anna Berger")
    with TestCase.captureOnCommitCallbacks(execute=True):
        application = submitted(cycle, applicant=anna, nominee=lars, consent=False)
    assert application.consent == Application.Consent.PENDING
    # The nominee is asked by e-mail, the applicant gets the confirmation.
    assert sorted(m.to[0] for m in mail.outbox) == sorted([anna.user.email, lars.user.email])
    assert Application.objects.before_the_jury().count() == 0
    # Nobody but the nominee answers.
    client.force_login(anna.user)
    assert client.get(f"/awards/applications/{application.pk}/consent/").status_code == 404
    client.force_login(lars.user)
    page = client.get(f"/awards/applications/{application.pk}/consent/")
    assert page.status_code == 200
    client.post(f"/awards/applications/{application.pk}/consent/", {"answer": "agree"})
    application.refresh_from_db()
    assert application.consent == Application.Consent.GIVEN
    assert Application.objects.before_the_jury().get() == application


def test_a_refused_nomination_never_reaches_the_jury():
    cycle = make_cycle()
    lars = make_candidate(name="Lars Mikkelsen")
    anna = make_member()
    application = submitted(cycle, applicant=anna, nominee=lars, consent=False)
    services.answer_nomination(application=application, nominee=lars, consent=False)
    assert Application.objects.before_the_jury().count() == 0
    with pytest.raises(Conflict):
        services.answer_nomination(application=application, nominee=lars, consent=True)


def test_applicants_see_only_their_own_application(client):
    cycle = make_cycle()
    anna = make_candidate(name="Anna Berger")
    application = submitted(cycle, applicant=anna)
    client.force_login(make_member().user)
    assert client.get(f"/awards/applications/{application.pk}/").status_code == 404
    client.force_login(anna.user)
    page = client.get(f"/awards/applications/{application.pk}/")
    assert page.status_code == 200
    assert "Growing the cluster" in page.content.decode()
    client.logout()
    response = client.get(f"/awards/applications/{application.pk}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_applicant_fills_the_form_and_submits_in_the_browser_site(client):
    cycle = make_cycle()
    anna = make_candidate(name="Anna Berger")
    organisation = anna.memberships.get().organisation
    client.force_login(anna.user)
    assert client.get(f"/awards/{cycle.slug}/apply/").status_code == 200
    response = client.post(
        f"/awards/{cycle.slug}/apply/",
        {
            "category": cycle.categories.first().pk,
            "organisation": organisation.pk,
            "title": "A cluster of 300",
            "success_story": "Ten years of growth.",
            "figures": "300 members",
            "submit": "1",
        },
    )
    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/awards/applications/{application.pk}/"
    assert application.status == Application.Status.SUBMITTED
    mine = client.get("/awards/applications/").content.decode()
    assert "A cluster of 300" in mine
