"""The documents of an application: several per draft, removed while a draft, and read
through the awards' own view by exactly those who may see the application."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from wagtail.documents import get_document_model

from awards import services
from awards.models import Application, Assignment, ConflictOfInterest
from domain.exceptions import Conflict
from tests.awards.factories import (
    draft,
    make_candidate,
    make_cycle,
    make_editor,
    make_juror,
    move_to,
)
from tests.factories import make_member

pytestmark = pytest.mark.django_db

Document = get_document_model()


def pdf(name="figures.pdf", content=b"%PDF-1.4 figures"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def form(application, **extra):
    return {
        "category": application.category_id,
        "organisation": application.organisation_id,
        "title": application.title,
        "success_story": application.success_story,
        "figures": application.figures,
        "save": "1",
        **extra,
    }


def body(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.fixture
def scored():
    """A blind cycle in scoring: Anna Zebrafinch's application with a document whose name
    carries hers, an assigned juror, a conflicted one, an unassigned one."""
    cycle = make_cycle(blind=True)
    anna = make_candidate(name="Anna Zebrafinch")
    application = draft(cycle, applicant=anna, title="Growing the cluster")
    (document,) = services.add_application_documents(
        application=application,
        applicant=anna,
        uploads=[pdf("anna-zebrafinch-cv.pdf", b"%PDF-1.4 the CV")],
    )
    services.submit_application(application=application, by=anna)
    jurors = {
        name: make_juror(cycle, display_name=f"{name.title()} Juror")
        for name in ("assigned", "conflicted", "unassigned")
    }
    for name in ("assigned", "conflicted"):
        Assignment.objects.create(juror=jurors[name], application=application)
    ConflictOfInterest.objects.create(juror=jurors["conflicted"], application=application)
    move_to(cycle, "scoring")
    url = f"/awards/applications/{application.pk}/documents/{document.pk}/"
    return application, document, jurors, url


def test_an_applicant_uploads_several_documents_at_once_and_more_later(client):
    cycle = make_cycle()
    anna = make_candidate(name="Anna Berger")
    application = draft(cycle, applicant=anna)
    client.force_login(anna.user)
    url = f"/awards/applications/{application.pk}/"
    response = client.post(url, form(application, documents=[pdf("a.pdf"), pdf("b.docx")]))
    assert response.status_code == 302
    response = client.post(url, form(application, documents=[pdf("c.pdf")]))
    assert response.status_code == 302
    titles = sorted(d.title for d in Application.objects.get().documents.all())
    assert [t.rsplit(" ", 1)[-1] for t in titles] == ["a.pdf", "b.docx", "c.pdf"]
    page = client.get(url).content.decode()
    assert page.count("/remove/") == 3


def test_an_applicant_removes_one_document_of_a_draft_and_the_others_stay(client):
    cycle = make_cycle()
    anna = make_candidate(name="Anna Berger")
    application = draft(cycle, applicant=anna)
    first, second = services.add_application_documents(
        application=application, applicant=anna, uploads=[pdf("a.pdf"), pdf("b.pdf")]
    )
    client.force_login(anna.user)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            f"/awards/applications/{application.pk}/documents/{first.pk}/remove/"
        )
    assert response.status_code == 302
    assert list(application.documents.all()) == [second]
    assert not Document.objects.filter(pk=first.pk).exists()
    # Once removed, it is not there to read or remove again.
    assert (
        client.get(f"/awards/applications/{application.pk}/documents/{first.pk}/").status_code
        == 404
    )
    again = client.post(f"/awards/applications/{application.pk}/documents/{first.pk}/remove/")
    assert again.status_code == 404


def test_nobody_else_removes_a_document_nor_one_of_another_application(client):
    cycle = make_cycle()
    anna = make_candidate(name="Anna Berger")
    lars = make_candidate(name="Lars Mikkelsen")
    application = draft(cycle, applicant=anna)
    other = draft(cycle, applicant=lars)
    (document,) = services.add_application_documents(
        application=application, applicant=anna, uploads=[pdf()]
    )
    client.force_login(lars.user)
    path = f"/awards/applications/{application.pk}/documents/{document.pk}/remove/"
    assert client.post(path).status_code == 404
    # Lars's own application does not reach Anna's document either.
    assert (
        client.post(f"/awards/applications/{other.pk}/documents/{document.pk}/remove/").status_code
        == 404
    )
    assert list(application.documents.all()) == [document]


def test_documents_change_only_while_the_application_is_a_draft():
    cycle = make_cycle()
    anna = make_candidate(name="Anna Berger")
    application = draft(cycle, applicant=anna)
    (document,) = services.add_application_documents(
        application=application, applicant=anna, uploads=[pdf()]
    )
    services.submit_application(application=application, by=anna)
    with pytest.raises(Conflict):
        services.add_application_documents(
            application=application, applicant=anna, uploads=[pdf("late.pdf")]
        )
    with pytest.raises(Conflict):
        services.remove_application_document(
            application=application, applicant=anna, document_id=document.pk
        )
    assert list(application.documents.all()) == [document]


def test_a_refused_file_keeps_the_others_out_too_and_is_named_on_the_form(client):
    cycle = make_cycle()
    anna = make_candidate(name="Anna Berger")
    application = draft(cycle, applicant=anna)
    with pytest.raises(ValidationError):
        services.add_application_documents(
            application=application,
            applicant=anna,
            uploads=[pdf("fine.pdf"), SimpleUploadedFile("tool.exe", b"MZ")],
        )
    assert application.documents.count() == 0
    client.force_login(anna.user)
    response = client.post(
        f"/awards/applications/{application.pk}/",
        form(application, documents=[SimpleUploadedFile("tool.exe", b"MZ")]),
    )
    assert response.status_code == 200
    assert "tool.exe" in response.content.decode()
    assert application.documents.count() == 0


def test_an_application_carries_at_most_ten_documents():
    cycle = make_cycle()
    anna = make_candidate(name="Anna Berger")
    application = draft(cycle, applicant=anna)
    services.add_application_documents(
        application=application,
        applicant=anna,
        uploads=[pdf(f"{n}.pdf") for n in range(services.MAX_DOCUMENTS)],
    )
    with pytest.raises(ValidationError):
        services.add_application_documents(
            application=application, applicant=anna, uploads=[pdf("eleven.pdf")]
        )
    assert application.documents.count() == services.MAX_DOCUMENTS


def test_the_assigned_juror_reads_the_document_without_learning_whose_it_is(client, scored):
    application, document, jurors, url = scored
    client.force_login(jurors["assigned"].member.user)
    page = client.get(f"/awards/jury/applications/{application.pk}/").content.decode()
    assert url in page
    assert "zebrafinch" not in page.lower()
    assert "Document 1 (PDF)" in page
    response = client.get(url)
    assert response.status_code == 200
    assert body(response) == b"%PDF-1.4 the CV"
    disposition = response["Content-Disposition"]
    assert "zebrafinch" not in disposition.lower()
    assert f"application-{application.pk}-document-1.pdf" in disposition
    assert response["Cache-Control"] == "private, no-store"


def test_the_applicant_and_editors_read_the_document_under_its_own_name(client, scored):
    application, document, jurors, url = scored
    for user in (application.applicant.user, make_editor()):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert "anna-zebrafinch-cv" in response["Content-Disposition"]


@pytest.mark.parametrize("who", ["conflicted", "unassigned", "other member"])
def test_those_the_application_is_not_shown_to_get_a_404_for_its_document(client, scored, who):
    application, document, jurors, url = scored
    user = make_member().user if who == "other member" else jurors[who].member.user
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 404
    assert "zebrafinch" not in response.content.decode().lower()


def test_an_anonymous_visitor_is_sent_to_sign_in_for_a_document(client, scored):
    _application, _document, _jurors, url = scored
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_check_is_made_on_every_request_not_once(client, scored):
    application, _document, jurors, url = scored
    client.force_login(jurors["assigned"].member.user)
    assert client.get(url).status_code == 200
    services.declare_conflict(juror=jurors["assigned"], application=application)
    assert client.get(url).status_code == 404


def test_a_juror_reads_documents_only_from_jury_scoring_on(client, scored):
    application, _document, jurors, url = scored
    move_to(application.cycle, "applications")
    client.force_login(jurors["assigned"].member.user)
    assert client.get(url).status_code == 404
    move_to(application.cycle, "deliberation")
    assert client.get(url).status_code == 200


def test_the_wagtail_collection_still_keeps_jurors_out_of_its_own_link(client, scored):
    _application, document, jurors, _url = scored
    client.force_login(jurors["assigned"].member.user)
    response = client.get(document.url)
    assert response.status_code in (302, 403, 404)
