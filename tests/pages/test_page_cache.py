"""Anonymous visitors get Wagtail pages from the cache; publishing makes them fresh."""

import pytest

from tests.factories import make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache")]

HIT = "X-Page-Cache"


def test_a_page_is_served_from_the_cache_to_the_next_anonymous_visitor_without_queries(
    client, home, django_assert_num_queries
):
    first = client.get("/")
    assert first.status_code == 200
    assert HIT not in first
    with django_assert_num_queries(0):
        second = client.get("/")
    assert second[HIT] == "hit"
    assert second.content == first.content
    assert "Cluster excellence." in second.content.decode()
    # The headers a page carries still come with the cached copy.
    assert second["Content-Type"] == first["Content-Type"]
    assert "Content-Security-Policy" in second
    assert second["X-Frame-Options"] == "DENY"


def test_publishing_a_change_serves_the_new_version_at_once(client, home):
    client.get("/")
    assert client.get("/")[HIT] == "hit"
    home.intro = "<p>Fresh words.</p>"
    home.save_revision().publish()
    response = client.get("/")
    assert HIT not in response
    assert "Fresh words." in response.content.decode()
    assert "Cluster excellence." not in response.content.decode()


def test_an_unpublished_page_is_gone_from_the_cache(client, standard_page):
    assert client.get("/about/").status_code == 200
    assert client.get("/about/")[HIT] == "hit"
    standard_page.unpublish()
    assert client.get("/about/").status_code == 404


def test_pages_are_cached_per_address_and_query_string(client, news_index, news_page):
    everything = client.get("/news/").content.decode()
    assert news_page.title in everything
    assert news_page.title not in client.get("/news/?kind=training").content.decode()
    assert client.get("/news/")[HIT] == "hit"
    assert news_page.title not in client.get("/news/?kind=training").content.decode()


def test_a_signed_in_member_never_gets_a_cached_page(client, home):
    client.get("/")
    assert client.get("/")[HIT] == "hit"
    client.force_login(make_user())
    response = client.get("/")
    assert response.status_code == 200
    assert HIT not in response
    # and what the member saw is not kept for the anonymous visitors either
    client.logout()
    client.cookies.clear()
    assert client.get("/")[HIT] == "hit"


def test_a_request_with_a_session_cookie_or_a_token_is_not_served_from_the_cache(client, home):
    client.get("/")
    client.cookies["sessionid"] = "whatever"
    assert HIT not in client.get("/")
    client.cookies.clear()
    assert HIT not in client.get("/", HTTP_AUTHORIZATION="Token abc")


def test_a_page_with_a_form_and_its_csrf_token_is_never_cached(client, open_call):
    first = client.get(open_call.url)
    assert first.status_code == 200
    assert "csrfmiddlewaretoken" in first.content.decode()
    second = client.get(open_call.url)
    assert HIT not in second
    assert "csrfmiddlewaretoken" in second.content.decode()


def test_the_admin_and_the_unlisted_apis_are_never_cached(client, home):
    for _ in range(2):
        assert HIT not in client.get("/admin/login/")
        assert HIT not in client.get("/api/search/partners/", HTTP_ACCEPT="application/json")


def test_nothing_is_cached_when_the_setting_is_zero(client, home, settings):
    settings.PAGE_CACHE_SECONDS = 0
    client.get("/")
    assert HIT not in client.get("/")


def test_each_cached_copy_carries_the_nonce_of_its_own_response(rf, settings):
    from django.http import HttpResponse
    from django.urls import ResolverMatch

    from pages.page_cache import AnonymousPageCacheMiddleware

    def page(request):
        request.resolver_match = ResolverMatch(lambda r: None, (), {}, url_name="wagtail_serve")
        return HttpResponse(f'<script nonce="{request.csp_nonce}"></script>')

    middleware = AnonymousPageCacheMiddleware(page)
    first = rf.get("/somewhere/")
    first.csp_nonce = "nonce-one"
    assert middleware(first).content == b'<script nonce="nonce-one"></script>'
    second = rf.get("/somewhere/")
    second.csp_nonce = "nonce-two"
    response = middleware(second)
    assert response[HIT] == "hit"
    assert response.content == b'<script nonce="nonce-two"></script>'
