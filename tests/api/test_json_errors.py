"""Every answer under /api/ is JSON, errors included: an unknown path (404), a refused method
(405) and a server error (500, with no traceback), in production and with DEBUG on alike.
HTML paths keep their HTML error pages."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

SECRET = "internal detail that must stay in the log"


@pytest.fixture(params=[False, True], ids=["production", "debug"])
def debug(request, settings):
    settings.DEBUG = request.param
    return request.param


@pytest.fixture
def client():
    """A client that gets the error answer rather than the exception, as a real one does."""
    return Client(raise_request_exception=False)


def assert_json(response, status: int) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    return response.json()


@pytest.mark.parametrize(
    "path",
    ["/api/no-such-endpoint/", "/api/events/abc/", "/api/forum/threads/٣/", "/api/v2/nothing/"],
)
def test_an_unknown_api_path_is_a_json_404(client, debug, path):
    assert assert_json(client.get(path), 404) == {"detail": "Not found."}


@pytest.mark.parametrize(
    ("method", "path"),
    [("delete", "/api/events/"), ("post", "/api/v2/pages/"), ("put", "/api/search/")],
)
def test_a_refused_method_is_a_json_405_with_allow(client, debug, method, path):
    response = getattr(client, method)(path, {}, content_type="application/json")
    body = assert_json(response, 405)
    assert "detail" in body
    assert "GET" in response["Allow"]


def test_a_server_error_is_a_json_500_without_traceback(client, debug, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError(SECRET)

    monkeypatch.setattr("search.api.search_engine", broken)

    response = client.get("/api/search/partners/", {"q": "cluster"})

    assert assert_json(response, 500) == {"detail": "Something went wrong on our side."}
    text = response.content.decode()
    assert SECRET not in text
    assert "Traceback" not in text


def test_a_server_error_in_wagtails_api_is_a_json_500_too(client, debug, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError(SECRET)

    monkeypatch.setattr("wagtail.api.v2.views.PagesAPIViewSet.get_queryset", broken)

    response = client.get("/api/v2/pages/")

    assert assert_json(response, 500) == {"detail": "Something went wrong on our side."}
    assert SECRET not in response.content.decode()


def test_html_paths_keep_their_html_error_pages(client, settings):
    settings.DEBUG = False
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
