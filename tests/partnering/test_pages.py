"""The member's own pages: saved searches and e-mail preferences, through their forms."""

import pytest

from partnering.models import NotificationPreference, SavedSearch
from tests.factories import make_member

pytestmark = pytest.mark.django_db


def test_a_member_saves_a_search_from_the_listing_and_deletes_it(client):
    member = make_member(username="ada").user
    client.force_login(member)
    listing = client.get("/partners/requests/", {"country": "AT", "q": "energy"})
    assert "Save this search" in listing.text
    client.post(
        "/partners/requests/saved/", {"query": "country=AT&q=energy", "name": "Energy in AT"}
    )
    saved = SavedSearch.objects.get(user=member)
    assert saved.params == {"q": "energy", "country": ["AT"]}
    assert "Energy in AT" in client.get("/partners/requests/saved/").text
    refused = client.post("/partners/requests/saved/", {"query": "country=XX"})
    assert refused.status_code == 302 and SavedSearch.objects.count() == 1
    other = make_member(username="otto").user
    client.force_login(other)
    assert client.post("/partners/requests/saved/", {"delete": saved.pk}).status_code == 404
    client.force_login(member)
    client.post("/partners/requests/saved/", {"delete": saved.pk})
    assert not SavedSearch.objects.exists()


def test_the_preferences_page_saves_the_choices_and_shows_errors(client):
    member = make_member(username="ada").user
    client.force_login(member)
    assert client.get("/members/me/notifications/").status_code == 200
    client.post(
        "/members/me/notifications/", {"partner_requests": "weekly", "saved_searches": "never"}
    )
    preference = NotificationPreference.objects.get(user=member)
    assert (preference.partner_requests, preference.saved_searches) == ("weekly", "never")
    bad = client.post(
        "/members/me/notifications/", {"partner_requests": "hourly", "saved_searches": "never"}
    )
    assert bad.status_code == 200 and "errorlist" in bad.text
    assert client.get("/de/members/me/notifications/").status_code == 200
    client.logout()
    assert client.get("/members/me/notifications/").status_code == 302
