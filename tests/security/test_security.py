"""Production settings pass Django's deploy checks; every response carries the headers."""

import re
import secrets

import pytest

from tests.process import run_manage

PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(60),
    "ALLOWED_HOSTS": "clusterclub.eu",
    "CSRF_TRUSTED_ORIGINS": "https://clusterclub.eu",
    "SITE_URL": "https://clusterclub.eu",
}


def test_deploy_check_passes_with_production_variables():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_deploy_check_fails_with_development_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", DEBUG="true")
    assert result.returncode != 0


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/healthz", "/api/schema/", "/accounts/login/"])
def test_responses_carry_the_security_headers(client, path):
    response = client.get(path)
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "'unsafe-inline'" not in policy.split("script-src", 1)[1].split(";", 1)[0]


@pytest.mark.django_db
def test_each_response_gets_its_own_script_nonce(client):
    first = client.get("/healthz")["Content-Security-Policy"]
    second = client.get("/healthz")["Content-Security-Policy"]
    nonce = re.compile(r"'nonce-([^']+)'")
    assert nonce.search(first).group(1) != nonce.search(second).group(1)


@pytest.mark.django_db
def test_api_docs_are_served_from_the_site_itself(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert not re.search(r"""(src|href)=["']https?://""", html), "docs load from a CDN"
    script = client.get("/api/docs/", {"script": ""})
    assert script.status_code == 200
    assert "/api/schema/" in script.content.decode()


@pytest.mark.django_db
def test_unknown_api_paths_answer_json_404(client):
    response = client.get("/api/no-such-endpoint/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "Not found."}
