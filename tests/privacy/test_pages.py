"""The privacy pages in the four languages: no English message of the catalogues leaks into
them, and the policy pages show the registry's table in the reader's language."""

from pathlib import Path

import polib
import pytest
from django.conf import settings

from privacy.models import PrivacyPolicyPage, TermsPage
from tests.factories import make_member
from tests.pages.test_no_english_leaks import english_messages, visible_text
from tests.privacy.factories import make_policies, make_policy

pytestmark = pytest.mark.django_db
LANGUAGES = ["de", "fr", "es"]


def app_english_messages(language: str) -> set[str]:
    path = Path(settings.BASE_DIR) / "privacy" / "locale" / language / "LC_MESSAGES" / "django.po"
    return {
        entry.msgid
        for entry in polib.pofile(str(path)).translated_entries()
        if entry.msgstr != entry.msgid and len(entry.msgid.split()) >= 3 and "%" not in entry.msgid
    } | english_messages(language)


@pytest.fixture
def pages(client):
    make_policies(version=1)
    member = make_member(username="reader", display_name="Rhea Reader")
    client.force_login(member.user)
    make_policy(TermsPage, version=2)  # the member has accepted nothing: the accept page asks
    return {
        "your data": "/members/me/data/",
        "accept": "/members/me/data/accept/",
        "terms": "/terms/",
        "privacy policy": "/privacy/",
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_english_message_leaks_into_the_privacy_pages(client, pages, language):
    messages = app_english_messages(language)
    english = visible_text(client.get(pages["your data"]).content.decode())
    assert any(message in english for message in messages)
    leaks = {}
    for name, path in pages.items():
        response = client.get(f"/{language}{path}")
        assert response.status_code == 200, (name, language, response.status_code)
        text = visible_text(response.content.decode())
        found = sorted(message for message in messages if message in text)
        if found:
            leaks[name] = found
    assert leaks == {}


def test_the_your_data_page_is_linked_from_the_profile_and_the_dashboard(client):
    member = make_member(username="reader")
    client.force_login(member.user)
    for path in ("/members/me/edit/", "/members/me/", "/de/members/me/edit/"):
        assert "/members/me/data/" in client.get(path).content.decode(), path


def test_anonymous_visitors_are_sent_to_sign_in(client):
    for path in ("/members/me/data/", "/de/members/me/data/accept/"):
        answer = client.get(path)
        assert answer.status_code == 302 and "/accounts/login/" in answer["Location"]
    answer = client.post("/members/me/data/delete/", {"password": "x"})
    assert answer.status_code == 302 and "/accounts/login/" in answer["Location"]


def test_the_privacy_policy_page_is_in_the_admin_and_versions_ask_again(client):
    page = make_policy(PrivacyPolicyPage, version=1)
    assert page.url == "/privacy/"
    assert client.get("/privacy/").status_code == 200


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_privacy_catalogue_is_complete_and_keeps_its_placeholders(language):
    from tests.pages.test_translations import placeholders

    path = Path(settings.BASE_DIR) / "privacy" / "locale" / language / "LC_MESSAGES" / "django.po"
    catalogue = polib.pofile(str(path))
    assert catalogue.untranslated_entries() == [] and catalogue.fuzzy_entries() == []
    for entry in catalogue.translated_entries():
        assert placeholders(entry.msgstr) == placeholders(entry.msgid), entry.msgid
