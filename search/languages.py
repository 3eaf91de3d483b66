"""Pages searched in their own language: on PostgreSQL, the German, French and Spanish
versions of pages are matched with that language's text search configuration (stemming and
stop words), so "Clustermanagements" finds a German page about "Clustermanagement".

With Elasticsearch, each language's pages are searched in the index of that language's
analyser (the backends named "de", "fr", "es" in WAGTAILSEARCH_BACKENDS). English pages, and
every language on SQLite, go through Wagtail's default search backend.
Each language's pages are a few hundred rows, so their text is read and matched in one query
per page type rather than kept in a second index.
"""

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import TextField
from django.db.models.functions import Cast
from wagtail.models import Locale, Page, get_page_models

#: PostgreSQL's text search configuration of each language of the site.
TEXT_SEARCH_CONFIGS = {"en": "english", "de": "german", "fr": "french", "es": "spanish"}

#: The text of a page that a search reads, with its weight: the title counts most.
WEIGHTED_FIELDS = (
    ("title", "A"),
    ("search_description", "B"),
    ("intro", "B"),
    ("opening_text", "C"),
    ("body", "C"),
)


def searches_in_own_language(locale: Locale) -> bool:
    """Whether pages of ``locale`` are searched with their language's configuration here."""
    return (
        connection.vendor == "postgresql"
        and locale.language_code != "en"
        and locale.language_code in TEXT_SEARCH_CONFIGS
    )


def language_backend(locale: Locale) -> str:
    """The Wagtail search backend for the pages of ``locale``: the one analysing its
    language where the settings have one (Elasticsearch), else the default."""
    code = locale.language_code
    return code if code in settings.WAGTAILSEARCH_BACKENDS else "default"


def search_pages_in_language(pages, text: str, locale: Locale) -> list:
    """The pages of ``pages`` (a Page queryset) in ``locale`` that match ``text`` in its
    language, best first: the specific pages."""
    config = TEXT_SEARCH_CONFIGS[locale.language_code]
    query = SearchQuery(text, config=config, search_type="websearch")
    ids = pages.filter(locale=locale).values("pk")
    ranks: dict[int, float] = {}
    for model in get_page_models():
        # Each page type reads its own rows; the base Page would read every page again.
        if model is Page or model._meta.abstract or model._meta.proxy:
            continue
        fields = [(name, weight) for name, weight in WEIGHTED_FIELDS if _has_field(model, name)]
        vector = None
        for name, weight in fields:
            part = SearchVector(Cast(name, TextField()), weight=weight, config=config)
            vector = part if vector is None else vector + part
        matches = (
            model.objects.filter(pk__in=ids)
            .annotate(document=vector, rank=SearchRank(vector, query))
            .filter(document=query)
            .only("pk")
        )
        for page in matches:
            ranks[page.pk] = max(page.rank, ranks.get(page.pk, 0.0))
    found = sorted(((rank, pk) for pk, rank in ranks.items()), key=lambda p: (-p[0], p[1]))
    by_pk = pages.model.objects.filter(pk__in=[pk for _, pk in found]).specific().in_bulk()
    return [by_pk[pk] for _, pk in found if pk in by_pk]


def _has_field(model, name: str) -> bool:
    try:
        model._meta.get_field(name)
    except Exception:  # noqa: BLE001 - FieldDoesNotExist; a page type without that text
        return False
    return True
