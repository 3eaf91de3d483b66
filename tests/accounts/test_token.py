"""POST /api/auth/token/ trades a username or e-mail and a password for an API token, and
answers every bad request with a 400 JSON message."""

import pytest
from django.core.cache import cache

from tests.factories import DEFAULT_PASSWORD, make_user

pytestmark = pytest.mark.django_db

URL = "/api/auth/token/"


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def user(db):
    return make_user(username="micael", email="micael@example.org")


def test_username_and_password_give_a_token_that_authenticates(api_client, user):
    response = api_client.post(URL, {"username": "micael", "password": DEFAULT_PASSWORD})
    assert response.status_code == 200
    token = response.json()["token"]
    assert len(token) == 40
    again = api_client.post(URL, {"username": "micael", "password": DEFAULT_PASSWORD})
    assert again.json()["token"] == token


def test_email_and_password_give_the_same_token(api_client, user):
    by_name = api_client.post(URL, {"username": "micael", "password": DEFAULT_PASSWORD})
    by_email = api_client.post(URL, {"email": "Micael@Example.org", "password": DEFAULT_PASSWORD})
    assert by_email.status_code == 200
    assert by_email.json()["token"] == by_name.json()["token"]


@pytest.mark.parametrize(
    "payload",
    [
        {"username": "micael", "password": "wrong"},
        {"email": "micael@example.org", "password": "wrong"},
        {"email": "nobody@example.org", "password": DEFAULT_PASSWORD},
        {"username": "nobody", "password": DEFAULT_PASSWORD},
    ],
)
def test_wrong_credentials_are_a_400_that_does_not_say_which_part_was_wrong(
    api_client, user, payload
):
    response = api_client.post(URL, payload)
    assert response.status_code == 400
    assert response.json() == {"detail": "Unable to sign in with these credentials."}


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "password"),
        ({"password": DEFAULT_PASSWORD}, "username"),
        ({"username": "micael"}, "password"),
        ({"email": "not-an-address", "password": "x"}, "email"),
        ({"username": "", "password": "x"}, "username"),
    ],
)
def test_missing_or_malformed_fields_are_a_400_naming_the_field(api_client, user, payload, field):
    response = api_client.post(URL, payload)
    assert response.status_code == 400
    assert field in response.json()


def test_an_inactive_account_gets_no_token(api_client, user):
    user.is_active = False
    user.save()
    response = api_client.post(URL, {"username": "micael", "password": DEFAULT_PASSWORD})
    assert response.status_code == 400
    assert "token" not in response.json()


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("{not json", "application/json"),
        ('["micael"]', "application/json"),
        ("null", "application/json"),
        ("username=micael", "text/plain"),
    ],
)
def test_malformed_bodies_are_a_4xx_json_never_a_500(api_client, user, body, content_type):
    response = api_client.generic("POST", URL, body, content_type=content_type)
    assert response.status_code in (400, 415)
    assert response["Content-Type"].startswith("application/json")


def test_get_is_not_allowed(api_client):
    response = api_client.get(URL)
    assert response.status_code == 405
