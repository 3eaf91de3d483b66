"""A crawl of the site's page types in German, French and Spanish: the interface around the
content (navigation, buttons, labels, messages) is in that language, and no English message
of the catalogues leaks into it."""

import re
from html import unescape

import polib
import pytest
from django.conf import settings
from django.utils import translation

from forum import services as forum_services
from forum.models import Category
from tests.factories import make_event, make_member, make_organisation

pytestmark = pytest.mark.django_db

LANGUAGES = ["de", "fr", "es"]


def english_messages(language: str) -> set[str]:
    """The catalogue's English messages that read differently in ``language``: long enough
    (three words or more) that finding one on a page means it was not translated."""
    path = settings.BASE_DIR / "locale" / language / "LC_MESSAGES" / "django.po"
    catalogue = polib.pofile(str(path))
    return {
        entry.msgid
        for entry in catalogue.translated_entries()
        if entry.msgstr != entry.msgid
        and len(entry.msgid.split()) >= 3
        and "%" not in entry.msgid
        and "{" not in entry.msgid
    }


def visible_text(html: str) -> str:
    html = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", html)
    text = unescape(re.sub(r"<[^>]+>", " ", html))
    return re.sub(r"\s+", " ", text)


@pytest.fixture
def site(db, client):
    member = make_member(username="reader", display_name="Rhea Reader")
    organisation = make_organisation(name="Nordic Hydrogen Cluster", sectors=["Energy"])
    category = Category.objects.create(name="Cluster management", slug="management")
    thread = forum_services.start_thread(
        category=category, author=member.user, title="Sharing strategies", body="Hello all."
    )
    event = make_event(title="Europe INNOVA")
    client.force_login(member.user)
    return {
        "forum": "/forum/",
        "category": "/forum/c/management/",
        "thread": f"/forum/threads/{thread.pk}/",
        "new thread": "/forum/new/",
        "notifications": "/forum/notifications/",
        "organisations": "/organisations/",
        "organisation": f"/organisations/{organisation.slug}/",
        "members": "/members/",
        "member": f"/members/{member.pk}/",
        "edit profile": "/members/me/edit/",
        "my organisations": "/members/me/organisations/",
        "your data": "/members/me/data/",
        "dashboard": "/dashboard/",
        "partner search": "/partners/?q=hydrogen",
        "site search": "/search/?q=hydrogen",
        "my tickets": "/events/my-registrations/",
        "event": event.url,
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_english_message_leaks_into_a_page_in_another_language(client, site, language):
    messages = english_messages(language)
    # The detector works: the same pages in English show such messages.
    english = visible_text(client.get(site["edit profile"]).content.decode())
    assert any(message in english for message in messages)
    leaks = {}
    for name, path in site.items():
        prefixed = f"/{language}{path}"
        response = client.get(prefixed)
        assert response.status_code == 200, (prefixed, response.status_code)
        text = visible_text(response.content.decode())
        found = sorted(message for message in messages if message in text)
        if found:
            leaks[name] = found
    translation.activate(settings.LANGUAGE_CODE)
    assert leaks == {}
