"""A form sent back with errors opens with a summary linking to each field, and every
field in error says so to assistive technology (aria-invalid, aria-describedby)."""

import datetime

import pytest
from bs4 import BeautifulSoup

from tests.pages.conftest import make_call

pytestmark = pytest.mark.django_db


def check_error_summary_and_fields(html, *, expected_fields):
    """The summary links to every field in error; each such field is marked invalid and
    described by its error (and its help text, when it has one)."""
    soup = BeautifulSoup(html, "html.parser")
    summary = soup.select_one("[data-error-summary]")
    assert summary is not None, "no error summary"
    assert summary.get("tabindex") == "-1"
    assert summary.find(["h2", "h3"]).get_text(strip=True)
    targets = [a["href"].lstrip("#") for a in summary.select("a[href^='#']")]
    for name in expected_fields:
        field = soup.find(attrs={"name": name})
        assert field is not None, name
        assert field.get("id") in targets, f"{name} not linked from the summary"
        assert field.get("aria-invalid") == "true", name
        described_by = field.get("aria-describedby", "").split()
        error = soup.find(id=f"{field['id']}_error")
        assert error is not None and error.get_text(strip=True), name
        assert error["id"] in described_by, name
        for reference in described_by:
            assert soup.find(id=reference) is not None, f"{name} described by missing {reference}"
    # Fields without errors are not marked invalid.
    invalid = {tag.get("name") for tag in soup.find_all(attrs={"aria-invalid": "true"})}
    assert invalid == set(expected_fields)
    return soup


def test_a_call_application_with_bad_fields_opens_with_a_summary(client, home):
    call = make_call(home, slug="open-call", deadline_date=datetime.date(2099, 1, 1))
    response = client.post(call.url, {"full_name": "", "e_mail": "not-an-address"})
    assert response.status_code == 200
    check_error_summary_and_fields(
        response.content.decode(), expected_fields=["full_name", "e_mail"]
    )


def test_a_sign_up_with_a_bad_address_and_mismatched_passwords_opens_with_a_summary(client):
    response = client.post(
        "/accounts/signup/",
        {"email": "nobody", "username": "newcomer", "password1": "x", "password2": "y"},
    )
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one("[data-error-summary]") is not None
    assert soup.find(attrs={"name": "email"}).get("aria-invalid") == "true"
    assert soup.find(id="id_email_error") is not None
    assert "id_email_error" in soup.find(attrs={"name": "email"})["aria-describedby"].split()


def test_a_new_thread_without_title_or_body_opens_with_a_summary(client, member):
    from forum.models import Category

    category = Category.objects.create(name="General", slug="general", order=1)
    client.force_login(member.user)
    response = client.post("/forum/new/", {"category": category.pk, "title": "", "body": ""})
    assert response.status_code == 200
    check_error_summary_and_fields(response.content.decode(), expected_fields=["title", "body"])


def test_help_text_is_tied_to_its_field_even_without_errors(client, member):
    client.force_login(member.user)
    soup = BeautifulSoup(client.get("/members/me/edit/").content, "html.parser")
    assert soup.select_one("[data-error-summary]") is None
    helped = soup.select("[id$='_helptext']")
    assert helped, "the profile form has help texts"
    for help_text in helped:
        field = soup.find(id=help_text["id"].removesuffix("_helptext"))
        assert field is not None
        assert help_text["id"] in field.get("aria-describedby", "").split()


def test_a_valid_form_shows_no_summary(client, home):
    call = make_call(home, slug="fine-call", deadline_date=datetime.date(2099, 1, 1))
    response = client.post(call.url, {"full_name": "Ana Ruiz", "e_mail": "ana@example.org"})
    assert "data-error-summary" not in response.content.decode()
