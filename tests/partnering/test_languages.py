"""The partner-request pages in German, French and Spanish: each exists under its language
prefix, and no English message of the app's catalogue leaks into it."""

import datetime

import polib
import pytest
from django.conf import settings
from django.test import TestCase
from django.utils import timezone, translation

from partnering import services
from search.engines.base import database_engine
from tests.factories import make_member, make_organisation
from tests.pages.test_no_english_leaks import visible_text

pytestmark = pytest.mark.django_db


def english_messages(language: str) -> set[str]:
    path = settings.BASE_DIR / "partnering" / "locale" / language / "LC_MESSAGES" / "django.po"
    return {
        entry.msgid
        for entry in polib.pofile(str(path)).translated_entries()
        if entry.msgstr != entry.msgid and len(entry.msgid.split()) >= 3 and "%" not in entry.msgid
    }


@pytest.fixture
def pages(client, settings):
    settings.FORUM_POST_INTERVAL = 0
    author = make_member(username="ada", display_name="Ada Author").user
    partner = make_member(username="bert", display_name="Bert").user
    fitting = make_organisation(name="Berlin Hub", sectors=["Energy"], technologies=["Hydrogen"])
    fitting.co_admins.add(partner)
    database_engine().rebuild()
    with TestCase.captureOnCommitCallbacks(execute=True):
        item = services.create_request(
            author=author,
            kind="project_partner",
            title="Hydrogen pilot",
            description="A pilot partner is sought.",
            sectors=["energy"],
            technologies=["Hydrogen"],
            deadline=timezone.localdate() + datetime.timedelta(days=20),
            publish=True,
        )
    services.express_interest(partner_request=item, member=partner, message="Interested.")
    token = services.unsubscribe_token(user=author, kind="partner_requests")
    client.force_login(author)
    return [
        "/partners/requests/",
        f"/partners/requests/{item.pk}/",
        f"/partners/requests/{item.pk}/edit/",
        "/partners/requests/new/",
        "/partners/requests/mine/",
        "/partners/requests/saved/",
        "/members/me/notifications/",
        f"/unsubscribe/{token}/",
    ]


@pytest.mark.parametrize("language", ["de", "fr", "es"])
def test_no_english_message_leaks_into_a_partner_request_page(client, pages, language):
    messages = english_messages(language)
    english = visible_text(client.get(pages[1]).content.decode())
    assert any(message in english for message in messages)
    leaks = {}
    for path in pages:
        response = client.get(f"/{language}{path}")
        assert response.status_code == 200, (path, response.status_code)
        found = [m for m in messages if m in visible_text(response.content.decode())]
        if found:
            leaks[path] = found
    translation.activate(settings.LANGUAGE_CODE)
    assert leaks == {}
