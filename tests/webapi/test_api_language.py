"""The API answers in the language asked for (``Accept-Language`` or ``?locale=``) and says
which one with ``Content-Language``."""

import pytest

from tests.factories import make_organisation

pytestmark = pytest.mark.django_db


def test_without_a_wish_the_api_answers_in_english(api_client):
    response = api_client.get("/api/organisations/")
    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    assert "Accept-Language" in response["Vary"]


@pytest.mark.parametrize(
    ("headers", "query", "language", "not_found"),
    [
        ({"HTTP_ACCEPT_LANGUAGE": "de-AT,de;q=0.9,en;q=0.5"}, "", "de", "Nicht gefunden."),
        ({}, "?locale=fr", "fr", "Non trouvé."),
        ({"HTTP_ACCEPT_LANGUAGE": "de"}, "?locale=es", "es", "No encontrado."),
    ],
)
def test_errors_come_in_the_language_asked_for(api_client, headers, query, language, not_found):
    response = api_client.get(f"/api/organisations/no-such-cluster/{query}", **headers)
    assert response.status_code == 404
    assert response["Content-Language"] == language
    assert response.json()["detail"] == not_found


def test_a_list_takes_locale_beside_its_own_filters(api_client):
    make_organisation(name="Nordic Cluster", country="DK")
    response = api_client.get("/api/organisations/?country=DK&locale=de")
    assert response.status_code == 200
    assert response["Content-Language"] == "de"
    assert [o["name"] for o in response.json()["results"]] == ["Nordic Cluster"]


@pytest.mark.parametrize("locale", ["xx", "", "klingon", "x" * 300])
def test_an_unknown_locale_is_a_400_naming_the_parameter(api_client, locale):
    response = api_client.get("/api/organisations/", {"locale": locale})
    assert response.status_code == 400
    assert "locale" in response.json()


def test_html_pages_keep_their_language_from_the_path(client):
    response = client.get("/forum/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response["Content-Language"] == "en"
    assert client.get("/fr/forum/")["Content-Language"] == "fr"


def test_a_regional_variant_gets_its_language(api_client):
    response = api_client.get("/api/organisations/", {"locale": "de-AT"})
    assert response.status_code == 200
    assert response["Content-Language"] == "de"


@pytest.mark.parametrize(
    ("language", "detail"),
    [("en", "Not found."), ("de", "Nicht gefunden."), ("es", "No encontrado.")],
)
def test_an_unknown_api_path_answers_in_the_language_asked_for(api_client, language, detail):
    response = api_client.get("/api/no-such-endpoint/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 404
    assert response.json() == {"detail": detail}
