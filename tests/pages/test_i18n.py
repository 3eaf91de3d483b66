"""English pages live at the root, their translations under /de/, /fr/ and /es/."""

import pytest
from wagtail.models import Locale

pytestmark = pytest.mark.django_db


def test_english_is_the_default_locale_and_the_others_exist():
    assert Locale.get_default().language_code == "en"
    assert set(Locale.objects.values_list("language_code", flat=True)) >= {"en", "de", "fr", "es"}


def test_a_translated_page_is_served_under_its_language_prefix(client, standard_page):
    german = Locale.objects.get(language_code="de")
    translation = standard_page.copy_for_translation(german, copy_parents=True)
    translation.title = "Über den Club"
    translation.save_revision().publish()

    response = client.get("/de/about/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="de">' in html
    assert "Über den Club" in html
    english = client.get("/about/").content.decode()
    assert '<html lang="en">' in english
    assert 'href="/de/about/"' in english
    assert "Deutsch" in english


def test_an_alias_follows_the_english_page(client, standard_page):
    french = Locale.objects.get(language_code="fr")
    standard_page.copy_for_translation(french, copy_parents=True, alias=True)
    response = client.get("/fr/about/")
    assert response.status_code == 200
    assert "About the club" in response.content.decode()


def test_a_page_without_a_translation_falls_back_to_english_under_the_prefix(client, standard_page):
    response = client.get("/es/about/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="es">' in html
    assert "About the club" in html


def test_an_unknown_path_under_a_prefix_is_a_404(client, standard_page):
    assert client.get("/de/nowhere/").status_code == 404


def test_a_page_reads_its_translations_once_for_the_switcher_and_the_alternates(
    client, standard_page, django_assert_max_num_queries
):
    german = Locale.objects.get(language_code="de")
    standard_page.copy_for_translation(german, copy_parents=True).save_revision().publish()
    with django_assert_max_num_queries(100) as counted:
        html = client.get("/about/").content.decode()
    assert 'hreflang="de" href="http://testserver/de/about/"' in html  # the alternates
    assert 'href="/de/about/"' in html  # the switcher keeps a relative address
    key = f"\"translation_key\" = '{standard_page.translation_key.hex}'"
    translations = [q for q in counted.captured_queries if key in q["sql"]]
    assert len(translations) == 1
