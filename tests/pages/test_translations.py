"""The interface in German, French and Spanish: complete catalogues, compiled as committed,
in step with the code, and used by the pages under /de/, /fr/ and /es/."""

import gettext
import os
import re
import shutil
import subprocess
import sys

import polib
import pytest
from django.utils import translation

from tests.process import ROOT

LANGUAGES = ("de", "fr", "es")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")


def catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "django.po"))


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_and_keeps_its_placeholders(language):
    po = catalogue(language)

    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []
    for entry in po.translated_entries():
        if entry.msgid_plural:
            assert all(
                placeholders(form) == placeholders(entry.msgid_plural)
                or placeholders(form) == placeholders(entry.msgid)
                for form in entry.msgstr_plural.values()
            ), entry.msgid
        else:
            assert placeholders(entry.msgstr) == placeholders(entry.msgid), entry.msgid


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_is_the_committed_source(language):
    """Django reads the .mo files; they are committed so that no one needs GNU gettext to
    run the site, and must say what the .po files say (`make messages` compiles them)."""
    folder = ROOT / "locale" / language / "LC_MESSAGES"
    with (folder / "django.mo").open("rb") as compiled:
        messages = gettext.GNUTranslations(compiled)._catalog  # noqa: SLF001

    for entry in catalogue(language).translated_entries():
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        if entry.msgid_plural:
            for index, form in entry.msgstr_plural.items():
                assert messages[(key, int(index))] == form, entry.msgid
        else:
            assert messages[key] == entry.msgstr, entry.msgid


@pytest.mark.skipif(not shutil.which("xgettext"), reason="needs GNU gettext (xgettext)")
def test_the_catalogues_hold_every_message_of_the_code(tmp_path):
    """makemessages run on a copy of the code finds no message the catalogues lack."""
    copy = tmp_path / "project"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv", ".git", "staticfiles", "media", "bench", "tests", "*.pyc", "node_modules"
        ),
    )
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "de", "--no-obsolete"],
        cwd=copy,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"},  # the copy has no tests
        check=True,
        capture_output=True,
        timeout=300,
    )
    found = {entry.msgid for entry in polib.pofile(str(copy / "locale/de/LC_MESSAGES/django.po"))}
    missing = found - {entry.msgid for entry in catalogue("de")}

    assert missing == set(), "run `make messages` and translate: " + ", ".join(sorted(missing))


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_page_under_a_language_prefix_speaks_that_language(client, standard_page, language):
    with translation.override(language):
        sign_in, partner_search = (
            translation.gettext("Sign in"),
            translation.gettext("Partner search"),
        )
    assert (sign_in, partner_search) != ("Sign in", "Partner search")

    html = client.get(f"/{language}/about/").text

    assert sign_in in html
    assert partner_search in html
    assert ">Sign in<" in client.get("/about/").text
