"""Sign-up with e-mail verification, sign-in, sign-out and password reset, inside the site."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache

from tests.factories import DEFAULT_PASSWORD, make_user

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "another-long-passphrase-2012"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


def link_in(message) -> str:
    match = re.search(r"https?://[^/\s]+(/accounts/\S+)", message.body)
    assert match, message.body
    return match.group(1)


def test_account_pages_use_the_site_frame(client, home):
    for url in ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]:
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert 'class="site-header"' in html
        assert 'class="site-footer"' in html
        assert "template-account" in html


def test_signup_sends_a_verification_email_whose_link_verifies_the_address(client, home):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "micael@example.org",
            "username": "micael",
            "password1": DEFAULT_PASSWORD,
            "password2": DEFAULT_PASSWORD,
        },
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["micael@example.org"]
    address = EmailAddress.objects.get(email="micael@example.org")
    assert address.verified is False

    confirm_url = link_in(mail.outbox[0])
    page = client.get(confirm_url)
    assert page.status_code == 200
    assert 'class="site-header"' in page.content.decode()
    confirmed = client.post(confirm_url)
    assert confirmed.status_code == 302
    address.refresh_from_db()
    assert address.verified is True


def test_an_unverified_account_cannot_sign_in_until_it_verifies(client, home):
    make_user(username="unverified", verified=False)
    response = client.post(
        "/accounts/login/", {"login": "unverified", "password": DEFAULT_PASSWORD}
    )
    assert "_auth_user_id" not in client.session
    assert response.status_code in (200, 302)


def test_signup_with_mismatched_passwords_creates_nobody(client, home):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "x@example.org",
            "username": "x",
            "password1": DEFAULT_PASSWORD,
            "password2": "different",
        },
    )
    assert response.status_code == 200
    assert not get_user_model().objects.filter(username="x").exists()
    assert mail.outbox == []


def test_login_and_logout_through_the_pages(client, home):
    user = make_user(username="micael")
    response = client.post("/accounts/login/", {"login": "micael", "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    assert "Sign out" in client.get("/").content.decode()
    client.post("/accounts/logout/")
    assert "_auth_user_id" not in client.session


def test_wrong_password_shows_a_form_error(client, home):
    make_user(username="micael")
    response = client.post("/accounts/login/", {"login": "micael", "password": "nope"})
    assert response.status_code == 200
    assert "errorlist" in response.content.decode() or "not correct" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_password_reset_email_link_sets_a_new_password(client, home):
    make_user(username="micael", email="micael@example.org")
    response = client.post("/accounts/password/reset/", {"email": "micael@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    reset_url = link_in(mail.outbox[0])
    form_page = client.get(reset_url, follow=True)
    assert form_page.status_code == 200
    final_url = form_page.redirect_chain[-1][0] if form_page.redirect_chain else reset_url
    done = client.post(final_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert client.login(username="micael", password=NEW_PASSWORD)


def test_account_management_pages_use_the_site_frame(client, home):
    client.force_login(make_user(username="micael"))
    for url in ["/accounts/email/", "/accounts/password/change/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert 'class="site-footer"' in response.content.decode()
