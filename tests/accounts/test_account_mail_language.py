"""allauth's account e-mails reach each member in the language they chose, whatever page
asked for them."""

import pytest
from django.core import mail
from django.core.cache import cache

from tests.factories import make_member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


def reset_mail_for(client, path, email):
    mail.outbox.clear()
    answer = client.post(path, {"email": email})
    assert answer.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [email]
    return mail.outbox[0]


def test_a_password_reset_asked_on_an_english_page_reaches_a_german_member_in_german(client, home):
    make_member(username="greta", language="de")

    german = reset_mail_for(client, "/accounts/password/reset/", "greta@example.org")
    assert "Passwort" in german.subject + german.body
    assert "password reset" not in german.body.lower()


def test_an_english_member_gets_english_from_a_french_page(client, home):
    make_member(username="paul", language="en")

    english = reset_mail_for(client, "/fr/accounts/password/reset/", "paul@example.org")
    assert "password" in (english.subject + english.body).lower()
    assert "mot de passe" not in (english.subject + english.body).lower()


def test_a_french_member_gets_french_from_an_english_page(client, home):
    make_member(username="amelie", language="fr")

    french = reset_mail_for(client, "/accounts/password/reset/", "amelie@example.org")
    assert "mot de passe" in (french.subject + french.body).lower()
