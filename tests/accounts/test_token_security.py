"""The token endpoint as a password guesser meets it: one client address whatever headers it
sends, one lock per account shared with the sign-in page, no hint of who has an account, no
token for an unverified address, and tokens that end."""

from datetime import timedelta

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.models import TokenUse
from tests.factories import DEFAULT_PASSWORD, make_user

pytestmark = pytest.mark.django_db

URL = "/api/auth/token/"
ME = "/api/members/me/"


class CountingHasher(MD5PasswordHasher):
    """MD5 (fast), counting how often a password is hashed or checked."""

    algorithm = "counting_md5"
    calls = 0

    def encode(self, password, salt):
        CountingHasher.calls += 1
        return super().encode(password, salt)


@pytest.fixture(autouse=True)
def _fresh_limits_and_fast_hashes(settings):
    settings.PASSWORD_HASHERS = ["tests.accounts.test_token_security.CountingHasher"]
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def ingrid(db):
    return make_user(username="ingrid", email="ingrid@example.org")


def ask_token(client, *, ip="198.51.100.7", forwarded_for=None, **credentials):
    extra = {"REMOTE_ADDR": ip}
    if forwarded_for:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return client.post(URL, credentials, format="json", **extra)


def signed_in_with(token_key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_key}")
    return client


# --- one client address ----------------------------------------------------------------------


def test_changing_x_forwarded_for_does_not_escape_the_token_throttle(api_client, ingrid):
    statuses = [
        ask_token(
            api_client,
            forwarded_for=f"203.0.113.{n}",
            username="ingrid",
            password=DEFAULT_PASSWORD,
        ).status_code
        for n in range(11)
    ]
    assert statuses[:10] == [200] * 10
    assert statuses[10] == 429


def test_behind_a_trusted_proxy_each_client_address_has_its_own_allowance(
    api_client, ingrid, settings
):
    settings.TRUSTED_PROXY_COUNT = 1

    def ask(forwarded_for):
        return ask_token(
            api_client, forwarded_for=forwarded_for, username="ingrid", password=DEFAULT_PASSWORD
        ).status_code

    assert [ask(f"spoofed-{n}, 203.0.113.1") for n in range(10)] == [200] * 10
    assert ask("spoofed-again, 203.0.113.1") == 429
    assert ask("203.0.113.1, 203.0.113.2") == 200


# --- one lock per account ---------------------------------------------------------------------


def test_failed_token_requests_lock_the_account_on_the_api_and_the_sign_in_page(
    api_client, client, ingrid
):
    for attempt in range(5):
        response = ask_token(
            api_client, ip=f"203.0.113.{attempt}", username="ingrid", password=f"no-{attempt}"
        )
        assert response.status_code == 400
    locked = ask_token(
        api_client,
        ip="192.0.2.50",
        forwarded_for="10.9.8.7",
        username="ingrid",
        password=DEFAULT_PASSWORD,
    )
    assert locked.status_code == 429
    assert 1 <= int(locked["Retry-After"]) <= 300
    assert "token" not in locked.json()

    page = client.post(
        "/accounts/login/",
        {"login": "ingrid", "password": DEFAULT_PASSWORD},
        REMOTE_ADDR="192.0.2.51",
    )
    assert page.status_code == 429
    assert 1 <= int(page["Retry-After"]) <= 300
    assert "Too many failed login attempts" in page.content.decode()
    assert "_auth_user_id" not in client.session


def test_failed_sign_ins_on_the_page_lock_the_token_endpoint(api_client, client, ingrid):
    for attempt in range(5):
        client.post(
            "/accounts/login/",
            {"login": "ingrid", "password": f"no-{attempt}"},
            REMOTE_ADDR=f"203.0.113.{attempt}",
        )
    response = ask_token(api_client, ip="192.0.2.9", username="ingrid", password=DEFAULT_PASSWORD)
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1


def test_alternating_username_and_email_is_still_one_account(api_client, ingrid):
    for attempt in range(5):
        login = {"username": "ingrid"} if attempt % 2 else {"email": "INGRID@example.org"}
        ask_token(api_client, ip=f"203.0.113.{attempt}", password=f"no-{attempt}", **login)
    by_email = ask_token(
        api_client, ip="192.0.2.9", email="ingrid@example.org", password=DEFAULT_PASSWORD
    )
    assert by_email.status_code == 429


def test_another_account_is_not_locked_by_a_neighbours_failures(api_client, ingrid):
    make_user(username="otto")
    for attempt in range(5):
        ask_token(api_client, ip=f"203.0.113.{attempt}", username="ingrid", password="no")
    response = ask_token(api_client, ip="192.0.2.9", username="otto", password=DEFAULT_PASSWORD)
    assert response.status_code == 200


def test_the_owner_of_a_locked_account_resets_the_password_and_gets_a_token(
    api_client, client, ingrid
):
    for attempt in range(6):
        ask_token(api_client, ip=f"203.0.113.{attempt}", username="ingrid", password="no")
    client.post("/accounts/password/reset/", {"email": "ingrid@example.org"})
    link = next(
        line for line in mail.outbox[0].body.splitlines() if "/accounts/password/reset/key/" in line
    )
    path = link[link.index("/accounts/") :].strip()
    form = client.get(path, follow=True)
    client.post(
        form.redirect_chain[-1][0] if form.redirect_chain else path,
        {"password1": "a-fresh-passphrase-2026", "password2": "a-fresh-passphrase-2026"},
    )
    response = ask_token(
        api_client, ip="192.0.2.9", username="ingrid", password="a-fresh-passphrase-2026"
    )
    assert response.status_code == 200


# --- nothing said about who has an account ----------------------------------------------------


@pytest.mark.parametrize(
    "credentials",
    [
        {"username": "ingrid", "password": "wrong"},
        {"username": "nobody-here", "password": "wrong"},
        {"email": "ingrid@example.org", "password": "wrong"},
        {"email": "nobody@example.org", "password": "wrong"},
    ],
    ids=["known-username", "unknown-username", "known-email", "unknown-email"],
)
def test_unknown_accounts_cost_the_same_hashing_as_a_wrong_password(
    api_client, ingrid, credentials
):
    # the same kind of login with a known account and a wrong password
    baseline = {key: value for key, value in credentials.items() if key != "password"}
    baseline = {key: ("ingrid" if key == "username" else "ingrid@example.org") for key in baseline}
    baseline["password"] = "wrong"
    CountingHasher.calls = 0
    ask_token(api_client, ip="192.0.2.1", **baseline)
    wrong_password_hashes = CountingHasher.calls
    cache.clear()
    CountingHasher.calls = 0
    response = ask_token(api_client, ip="192.0.2.2", **credentials)
    assert response.status_code == 400
    assert wrong_password_hashes >= 1
    assert CountingHasher.calls == wrong_password_hashes


# --- verified addresses only ------------------------------------------------------------------


def test_an_account_with_an_unverified_address_gets_no_token(api_client):
    make_user(username="newbie", email="newbie@example.org", verified=False)
    response = ask_token(api_client, username="newbie", password=DEFAULT_PASSWORD)
    assert response.status_code == 403
    assert response.json()["code"] == "email_unverified"
    assert not Token.objects.filter(user__username="newbie").exists()


# --- tokens end -------------------------------------------------------------------------------


def token_of(api_client, username="ingrid") -> str:
    response = ask_token(api_client, username=username, password=DEFAULT_PASSWORD)
    assert response.status_code == 200
    return response.json()["token"]


def test_delete_revokes_the_callers_own_token_only(api_client, ingrid):
    make_user(username="otto")
    mine, theirs = token_of(api_client), token_of(api_client, "otto")
    assert signed_in_with(mine).get(ME).status_code == 200
    assert signed_in_with(mine).delete(URL).status_code == 204
    assert signed_in_with(mine).get(ME).status_code == 401
    assert signed_in_with(theirs).get(ME).status_code == 200


def test_delete_without_credentials_is_a_401(api_client):
    response = api_client.delete(URL)
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")


def test_changing_the_password_revokes_the_token(api_client, client, ingrid):
    key = token_of(api_client)
    client.force_login(ingrid)
    response = client.post(
        "/accounts/password/change/",
        {
            "oldpassword": DEFAULT_PASSWORD,
            "password1": "a-fresh-passphrase-2026",
            "password2": "a-fresh-passphrase-2026",
        },
    )
    assert response.status_code == 302
    assert signed_in_with(key).get(ME).status_code == 401
    assert not Token.objects.filter(key=key).exists()


def test_a_password_set_anywhere_else_revokes_the_token_too(api_client, ingrid):
    key = token_of(api_client)
    ingrid.set_password("set-by-an-administrator-2026")
    ingrid.save()
    assert signed_in_with(key).get(ME).status_code == 401


def test_saving_the_account_without_a_new_password_keeps_the_token(api_client, ingrid):
    key = token_of(api_client)
    ingrid.first_name = "Ingrid"
    ingrid.save()
    assert signed_in_with(key).get(ME).status_code == 200


def test_a_token_left_unused_past_the_idle_limit_stops_working(api_client, ingrid, settings):
    settings.TOKEN_IDLE_DAYS = 90
    key = token_of(api_client)
    TokenUse.objects.filter(token_id=key).update(last_used=timezone.now() - timedelta(days=91))
    response = signed_in_with(key).get(ME)
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]
    fresh = token_of(api_client)
    assert fresh != key
    assert signed_in_with(fresh).get(ME).status_code == 200


def test_a_token_in_use_stays_alive_and_its_use_is_recorded(api_client, ingrid, settings):
    settings.TOKEN_IDLE_DAYS = 90
    key = token_of(api_client)
    long_ago = timezone.now() - timedelta(days=89)
    TokenUse.objects.filter(token_id=key).update(last_used=long_ago)
    assert signed_in_with(key).get(ME).status_code == 200
    assert TokenUse.objects.get(token_id=key).last_used > timezone.now() - timedelta(minutes=1)


def test_a_token_used_moments_ago_is_not_written_again(api_client, ingrid):
    key = token_of(api_client)
    client = signed_in_with(key)
    client.get(ME)
    with CaptureQueriesContext(connection) as captured:
        client.get(ME)
    writes = [q["sql"] for q in captured.captured_queries if "accounts_tokenuse" in q["sql"]]
    assert not any(sql.lstrip().upper().startswith(("UPDATE", "INSERT")) for sql in writes)


def test_the_schema_documents_revoking_and_the_limits(api_client):
    schema = api_client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    operations = schema["paths"]["/api/auth/token/"]
    assert "delete" in operations
    assert "429" in operations["post"]["responses"]
    assert "TOKEN_IDLE_DAYS" in operations["post"]["description"]
