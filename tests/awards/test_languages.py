"""The awards' pages in German, French and Spanish: no English message of the awards'
catalogue (or the site's) leaks into them."""

import polib
import pytest
from django.conf import settings

from awards.models import Assignment
from tests.awards.factories import (
    make_candidate,
    make_cycle,
    make_editor,
    make_juror,
    move_to,
    submitted,
)
from tests.pages.test_no_english_leaks import english_messages, visible_text

pytestmark = pytest.mark.django_db


def awards_messages(language: str) -> set[str]:
    path = settings.BASE_DIR / "awards" / "locale" / language / "LC_MESSAGES" / "django.po"
    return {
        entry.msgid
        for entry in polib.pofile(str(path)).translated_entries()
        if entry.msgstr != entry.msgid
        and len(entry.msgid.split()) >= 3
        and "%" not in entry.msgid
        and "{" not in entry.msgid
    } | english_messages(language)


@pytest.fixture
def pages(client):
    cycle = make_cycle()
    anna = make_candidate(name="Anna Berger")
    lars = make_candidate(name="Lars Mikkelsen")
    application = submitted(cycle, applicant=anna)
    nomination = submitted(cycle, applicant=anna, nominee=lars, consent=False, title="Nominated")
    juror = make_juror(cycle, display_name="Jury Member")
    Assignment.objects.create(juror=juror, application=application)
    move_to(cycle, "scoring")
    return cycle, {
        anna.user: [
            "/awards/",
            "/awards/laureates/",
            f"/awards/{cycle.slug}/",
            "/awards/applications/",
            f"/awards/applications/{application.pk}/",
        ],
        lars.user: [f"/awards/applications/{nomination.pk}/consent/"],
        juror.member.user: [
            f"/awards/{cycle.slug}/jury/",
            f"/awards/jury/applications/{application.pk}/",
        ],
        make_editor(): [f"/awards/{cycle.slug}/results/"],
    }


@pytest.mark.parametrize("language", ["de", "fr", "es"])
def test_no_english_message_leaks_into_the_awards_pages(client, pages, language):
    cycle, by_user = pages
    messages = awards_messages(language)
    leaks = {}
    for user, paths in by_user.items():
        client.force_login(user)
        for path in paths:
            response = client.get(f"/{language}{path}")
            assert response.status_code == 200, (language, path)
            text = visible_text(response.content.decode())
            found = sorted(m for m in messages if m in text)
            if found:
                leaks[path] = found
    assert leaks == {}
    # The detector works: the English page shows such messages.
    english = visible_text(client.get(f"/awards/{cycle.slug}/results/").content.decode())
    assert any(m in english for m in messages)
