"""Every state-changing API operation refuses a browser session without a CSRF token, and
one whose request comes from a foreign Origin; API tokens need neither.

The operations are read from the OpenAPI schema, so a new endpoint is covered the day it
is added.
"""

import re

import pytest
from django.test import Client
from django.utils.crypto import get_random_string

from tests.factories import make_user

pytestmark = pytest.mark.django_db

UNSAFE = {"post", "put", "patch", "delete"}


def unsafe_operations(client) -> list[tuple[str, str]]:
    schema = client.get("/api/schema/", {"format": "json"}).json()
    operations = []
    for path, methods in schema["paths"].items():
        concrete = re.sub(r"\{[^}]+\}", "1", path)
        operations += [(method, concrete) for method in methods if method in UNSAFE]
    return sorted(operations)


def csrf_cookie(client) -> str:
    """Give the client a CSRF cookie, as a page with a form would, and return its value."""
    secret = get_random_string(32)
    client.cookies["csrftoken"] = secret
    return secret


@pytest.fixture
def browser():
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user(username="browser-member"))
    return client


def test_the_schema_lists_the_unsafe_operations(client):
    operations = unsafe_operations(client)
    assert ("post", "/api/auth/token/") in operations
    assert len(operations) >= 5


def test_session_requests_without_a_csrf_token_are_refused_everywhere(browser, client):
    refused, accepted = [], []
    for method, path in unsafe_operations(client):
        if path == "/api/auth/token/":
            continue  # exchanges credentials for a token: no session is involved
        response = getattr(browser, method)(path, data={}, content_type="application/json")
        (refused if response.status_code == 403 else accepted).append(
            (method, path, response.status_code)
        )
    assert accepted == [], f"accepted without a CSRF token: {accepted}"
    assert refused


def test_session_requests_from_a_foreign_origin_are_refused_even_with_a_token(browser, client):
    token = csrf_cookie(browser)
    accepted = []
    for method, path in unsafe_operations(client):
        if path == "/api/auth/token/":
            continue
        response = getattr(browser, method)(
            path,
            data={},
            content_type="application/json",
            HTTP_X_CSRFTOKEN=token,
            HTTP_ORIGIN="https://attacker.example",
        )
        if response.status_code != 403:
            accepted.append((method, path, response.status_code))
    assert accepted == [], f"accepted from a foreign origin: {accepted}"


def test_a_same_origin_session_request_with_the_token_gets_past_csrf(browser):
    token = csrf_cookie(browser)
    response = browser.patch(
        "/api/members/me/",
        data={"job_title": "Cluster manager"},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.status_code == 200
    assert response.json()["job_title"] == "Cluster manager"
