"""With Elasticsearch, the pages of each language are indexed and searched with that
language's analyser: one Wagtail search backend (and index) per language."""

import json

import pytest
from django.test import override_settings
from wagtail.models import Locale

from search.languages import language_backend
from tests.process import run_manage

READ_BACKENDS = """
import json
from wagtail.search.backends import get_search_backend
answer = {}
for name in ("default", "de", "fr", "es"):
    backend = get_search_backend(name)
    analysis = backend.settings["settings"]["analysis"]
    answer[name] = {
        "index": backend.get_index_for_model(
            __import__("wagtail.models", fromlist=["Page"]).Page
        ).name,
        "analyser": analysis["analyzer"]["default"]["type"],
        "keeps_wagtails_own": "edgengram_analyzer" in analysis["analyzer"],
    }
print(json.dumps(answer))
"""


def test_each_language_has_an_index_analysed_in_it():
    # Building the backends talks to no server: the address only has to parse.
    result = run_manage(
        "shell",
        "-c",
        READ_BACKENDS,
        ELASTICSEARCH_URL="http://127.0.0.1:9",
        ELASTICSEARCH_INDEX_PREFIX="club",
    )
    assert result.returncode == 0, result.stderr
    backends = json.loads(result.stdout.strip().splitlines()[-1])
    assert {name: b["analyser"] for name, b in backends.items()} == {
        "default": "english",
        "de": "german",
        "fr": "french",
        "es": "spanish",
    }
    assert {name: b["index"] for name, b in backends.items()} == {
        "default": "club_wagtail_wagtailcore_page",
        "de": "club_wagtail_de_wagtailcore_page",
        "fr": "club_wagtail_fr_wagtailcore_page",
        "es": "club_wagtail_es_wagtailcore_page",
    }
    assert all(b["keeps_wagtails_own"] for b in backends.values())


@pytest.mark.django_db
def test_site_search_asks_the_backend_of_the_visitors_language():
    german = Locale.objects.get_or_create(language_code="de")[0]
    english = Locale.objects.get_or_create(language_code="en")[0]
    languages = {"default": {}, "de": {}, "fr": {}, "es": {}}
    with override_settings(WAGTAILSEARCH_BACKENDS=languages):
        assert language_backend(german) == "de"
        assert language_backend(english) == "default"
    # The database (no per-language backends): the default for every language.
    assert language_backend(german) == "default"
