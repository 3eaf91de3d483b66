"""The map of Europe: drawn by the server from a small bundled outline file, with the
same counts in a table, each country linked to the partner search in it."""

import pytest
from bs4 import BeautifulSoup

from members.europe_map import MAP_FILE, outlines
from tests.factories import make_organisation

pytestmark = pytest.mark.django_db


def map_of(response):
    soup = BeautifulSoup(response.content, "html.parser")
    section = soup.select_one("section.europe-map")
    assert section is not None
    return section


def table_counts(section):
    rows = {}
    for row in section.select("tbody tr"):
        link = row.select_one("a")
        rows[link["href"].rsplit("country=", 1)[1]] = int(row.select_one(".number").text)
    return rows


def test_the_outlines_are_small_and_cover_europe():
    assert MAP_FILE.stat().st_size < 60_000
    codes = set(outlines()["countries"])
    for code in ("DE", "FR", "ES", "IT", "PL", "SE", "IE", "PT", "GR", "MT", "LU", "CY", "IS"):
        assert code in codes, code


def test_the_directory_map_counts_published_organisations_per_country(client):
    make_organisation(name="Berlin One", country="DE")
    make_organisation(name="Munich Two", country="DE")
    make_organisation(name="Lyon One", country="FR")
    make_organisation(name="Hidden Madrid", country="ES", is_published=False)
    section = map_of(client.get("/organisations/"))
    assert table_counts(section) == {"DE": 2, "FR": 1}
    svg = section.select_one("svg")
    assert svg["role"] == "img"
    assert svg.select_one("title").get_text(strip=True)
    # No links inside the image (assistive technology would not see them): a click on a
    # country follows its address; the keyboard reaches the same ones through the table.
    assert svg.select("a") == []
    linked = {path["data-href"].rsplit("=", 1)[1] for path in svg.select("[data-href]")}
    assert linked == {"DE", "FR"}
    for path in svg.select("[data-href]"):
        assert path["data-href"].startswith("/partners/?country=")
    assert "Germany: 2 organisations" in svg.text
    assert len(str(section)) < 60_000


def test_the_map_speaks_the_readers_language(client):
    make_organisation(name="Berlin One", country="DE")
    section = map_of(client.get("/de/organisations/"))
    assert section.select_one("tbody a").text == "Deutschland"
    assert "Europakarte" in section.select_one("svg title").text


def test_the_partner_search_map_has_the_country_facet_counts(client, api_client, indexed):
    indexed.organisation(name="Berlin Energy", country="DE", sectors=["Energy"])
    indexed.organisation(name="Hamburg Energy", country="DE", sectors=["Energy"])
    indexed.organisation(name="Lyon Energy", country="FR", sectors=["Energy"])
    indexed.organisation(name="Porto Health", country="PT", sectors=["Health"])
    indexed.reindex()
    facets = api_client.get("/api/search/partners/?q=energy").json()["facets"]["country"]
    section = map_of(client.get("/partners/?q=energy&page=1"))
    assert table_counts(section) == {value["value"]: value["count"] for value in facets}
    # Each country narrows this search to it, from the first page.
    link = section.select_one("tbody a")["href"]
    assert "q=energy" in link and "page=" not in link


def test_an_organisation_page_marks_its_country_on_the_map(client):
    organisation = make_organisation(name="Lyon Mobility", country="FR")
    soup = BeautifulSoup(client.get(f"/organisations/{organisation.slug}/").content, "html.parser")
    figure = soup.select_one("figure.location-map")
    assert figure.select_one("svg title").text == "Map of Europe with France marked"
    assert len(figure.select(".europe-map__country--3")) == 1
    assert figure.select_one("figcaption a")["href"] == "/partners/?country=FR"
