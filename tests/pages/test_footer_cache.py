"""The footer is rendered once and served from the cache to signed-in members too; a
change to what it shows is seen at once, and it carries nothing of one member to another."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pages.models import Partner
from tests.factories import make_member

pytestmark = pytest.mark.django_db


def footer_queries(client, path="/forum/"):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return response.content.decode(), [
        q["sql"] for q in captured.captured_queries if "club_partner" in q["sql"]
    ]


def test_a_signed_in_member_gets_the_footer_from_the_cache_and_an_edit_at_once(client, home):
    partner = Partner.objects.create(name="Innovation Norway", role="consortium")
    client.force_login(make_member(username="rhea").user)

    first, first_queries = footer_queries(client)
    again, again_queries = footer_queries(client)
    assert "Innovation Norway" in first and "Innovation Norway" in again
    assert first_queries and not again_queries  # the second page read no partners

    partner.name = "Business Finland"
    partner.save()
    edited, edited_queries = footer_queries(client)
    assert "Business Finland" in edited and "Innovation Norway" not in edited
    assert edited_queries


def test_no_member_sees_anything_of_another_in_the_cached_parts(client, home):
    Partner.objects.create(name="Innovation Norway", role="consortium")
    first = make_member(username="firstmember", display_name="Primrose First")
    second = make_member(username="secondmember", display_name="Quentin Second")

    client.force_login(first.user)
    page_of_first, _ = footer_queries(client)
    client.force_login(second.user)
    page_of_second, queries = footer_queries(client)

    assert not queries  # the footer came from the cache, rendered for the first member
    assert "firstmember" not in page_of_second and "Primrose First" not in page_of_second
    assert "Innovation Norway" in page_of_second


def test_each_language_has_its_own_footer(client, home):
    Partner.objects.create(name="Innovation Norway", role="consortium")
    english = client.get("/forum/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    german = client.get("/de/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Consortium" in english
    assert "Konsortium" in german
