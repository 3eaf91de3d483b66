"""The styleguide shows every component of the design system, in each language."""

import pytest
from bs4 import BeautifulSoup

pytestmark = pytest.mark.django_db

COMPONENTS = [
    ".swatch",
    ".button",
    ".button-secondary",
    ".badge--success",
    ".label--gold",
    ".alert--error",
    ".card",
    ".avatar",
    ".logo",
    "table.table",
    "[data-error-summary]",
    ".pagination",
]


@pytest.mark.parametrize(
    ("prefix", "title"),
    [
        ("", "Styleguide"),
        ("/de", "Gestaltungsleitfaden"),
        ("/fr", "Guide de style"),
        ("/es", "Guía de estilo"),
    ],
)
def test_the_styleguide_shows_each_component_in_its_language(client, prefix, title):
    response = client.get(f"{prefix}/styleguide/")
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.h1.get_text(strip=True) == title
    for selector in COMPONENTS:
        assert soup.select_one(selector) is not None, selector


def test_the_example_form_on_the_styleguide_does_not_take_the_focus(client):
    soup = BeautifulSoup(client.get("/styleguide/").content, "html.parser")
    summary = soup.select_one("[data-error-summary]")
    assert not summary.has_attr("data-focus-on-load")


def test_initials_stand_in_for_missing_pictures_with_an_accessible_name(client):
    soup = BeautifulSoup(client.get("/styleguide/").content, "html.parser")
    logo = soup.select_one(".logo--initials")
    assert logo["role"] == "img"
    assert logo["aria-label"] == "Logo of Lyon Urban Mobility Cluster"
    assert logo.get_text(strip=True) == "LU"
    avatar = soup.select_one("span.avatar")
    assert avatar["aria-label"] == "Photo of Ana Ruiz"
    assert avatar.get_text(strip=True) == "AR"
