"""Sign-in throttling (allauth's rate limits) and password-reset hardening."""

import pytest
from django.core import mail
from django.core.cache import cache

from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def sign_in(client, login, password, ip="198.51.100.7"):
    return client.post("/accounts/login/", {"login": login, "password": password}, REMOTE_ADDR=ip)


def test_repeated_bad_passwords_on_one_account_are_blocked_with_a_clear_message(client):
    make_user(username="ingrid", password="the-right-one-2012")
    for attempt in range(5):
        response = sign_in(client, "ingrid", f"wrong-{attempt}", ip=f"203.0.113.{attempt}")
        assert response.status_code == 200
        assert "Too many" not in response.content.decode()
    blocked = sign_in(client, "ingrid", "the-right-one-2012", ip="203.0.113.99")
    assert "Too many failed login attempts" in blocked.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_spray_across_accounts_from_one_address_is_blocked(client):
    for n in range(12):
        make_user(username=f"member{n}", password="the-right-one-2012")
    answers = [sign_in(client, f"member{n}", "Summer2012!").content.decode() for n in range(12)]
    assert not any("Too many" in answer for answer in answers[:10])
    assert "Too many" in answers[-1]


def test_the_owner_of_a_blocked_account_can_still_reset_the_password(client):
    make_user(username="ingrid", email="ingrid@example.org", password="the-right-one-2012")
    for attempt in range(6):
        sign_in(client, "ingrid", f"wrong-{attempt}")
    response = client.post("/accounts/password/reset/", {"email": "ingrid@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "ingrid@example.org" in mail.outbox[0].to


def test_a_forged_host_header_on_password_reset_sends_no_email(client):
    make_user(username="ingrid", email="ingrid@example.org")
    response = client.post(
        "/accounts/password/reset/",
        {"email": "ingrid@example.org"},
        HTTP_HOST="attacker.example",
    )
    assert response.status_code == 400
    assert mail.outbox == []


def test_password_reset_links_point_at_the_real_site(client):
    make_user(username="ingrid", email="ingrid@example.org")
    client.post("/accounts/password/reset/", {"email": "ingrid@example.org"})
    assert len(mail.outbox) == 1
    assert "attacker" not in mail.outbox[0].body
    assert "/accounts/password/reset/key/" in mail.outbox[0].body
