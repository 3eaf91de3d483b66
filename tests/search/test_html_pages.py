"""The /partners/ and /search/ pages."""

import pytest

from tests.factories import make_member

pytestmark = pytest.mark.django_db


def test_partner_page_shows_facet_checkboxes_with_counts_and_links_to_profiles(indexed, client):
    indexed.organisation(name="Energy DK", slug="energy-dk", country="DK", sectors=["Energy"])
    indexed.organisation(name="Energy DE", country="DE", sectors=["Energy"])
    indexed.reindex()

    response = client.get("/partners/", {"country": "DK"})
    html = response.content.decode()

    assert response.status_code == 200
    assert '<a href="/organisations/energy-dk/">Energy DK</a>' in html
    assert "Energy DE</a>" not in html
    assert 'name="country" value="DK" checked' in html
    assert 'name="country" value="DE"' in html
    assert 'Germany <span class="count">(1)</span>' in html
    assert 'name="sector" value="energy"' in html


def test_partner_page_pages_and_keeps_the_filters(indexed, client):
    for n in range(3):
        indexed.organisation(name=f"Cluster {n}", country="FR")
    indexed.reindex()

    html = client.get("/partners/", {"country": "FR", "page_size": 2}).content.decode()

    assert 'href="?country=FR&amp;page_size=2&amp;page=2"' in html
    assert "Page 1 of 2" in html


def test_partner_page_explains_partners_like_an_organisation(indexed, client):
    mine = indexed.organisation(name="Mine", country="DK", technologies=["Hydrogen"])
    indexed.organisation(name="Partner", country="PL", technologies=["Hydrogen"])
    indexed.reindex()

    html = client.get("/partners/", {"like": mine.slug}).content.decode()

    assert "Partners for Mine" in html
    assert "Shared technologies: Hydrogen" in html


def test_bad_partner_filters_show_a_message_not_an_error_page(db, client):
    response = client.get("/partners/", {"country": "ZZ", "q": "x" * 10_000})

    assert response.status_code == 400
    assert "ZZ" in response.content.decode()
    assert "200 characters" in response.content.decode()


def test_search_page_groups_results_and_respects_privacy(indexed, client):
    indexed.organisation(name="Quantum Valley")
    make_member(display_name="Quinn Quantum", visibility="members")
    indexed.reindex()

    anonymous = client.get("/search/", {"q": "quantum"}).content.decode()
    client.force_login(make_member(display_name="Reader").user)
    signed_in = client.get("/search/", {"q": "quantum"}).content.decode()

    assert "<mark>Quantum</mark> Valley" in anonymous
    assert "Quinn" not in anonymous
    assert "Quinn <mark>Quantum</mark>" in signed_in


def test_search_page_without_words_shows_only_the_form(db, client):
    response = client.get("/search/", {"q": "&&"})

    assert response.status_code == 200
    assert "search-group" not in response.content.decode()


def test_a_long_facet_folds_all_but_its_top_values_under_more_keeping_checked_ones_in_view(
    indexed, client
):
    countries = ["AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR"]
    for n, country in enumerate(countries):
        for _ in range(len(countries) - n):  # AT most frequent, HR least
            indexed.organisation(country=country)
    indexed.reindex()

    html = client.get("/partners/", {"country": "HR"}).content.decode()
    facet = html.split('<fieldset class="facet">')[1]  # the countries come first
    shown, _, folded = facet.partition('<details class="facet-more">')
    assert "2 more" in folded  # thirteen values: ten in view, HR checked, two folded
    assert 'value="AT"' in shown and 'value="HR" checked' in shown
    assert 'value="FR"' in folded and 'value="GR"' in folded and 'value="HR"' not in folded
    assert 'value="FI"' in shown
