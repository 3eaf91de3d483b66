"""Names that editors and staff give, in every language of the site.

django-modeltranslation keeps a column per language beside each translated field
(``name_en``, ``name_de``...); the field itself reads the active language's column and falls
back to English. Each app registers its fields in its ``translation.py``. This package holds
what the apps share: the admin panels of a translated field, which languages an object
still lacks, and the column of the active language for reads of plain values.
"""

from django.conf import settings
from django.db.models import F, TextField, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import translation
from django.utils.translation import gettext_lazy as _

DEFAULT_LANGUAGE = settings.LANGUAGE_CODE


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def column(field: str, language: str) -> str:
    """The column of ``field`` in ``language``: ``name`` in "de" is ``name_de``."""
    return f"{field}_{language.replace('-', '_')}"


def active_language() -> str:
    language = (translation.get_language() or DEFAULT_LANGUAGE).split("-")[0]
    return language if language in language_codes() else DEFAULT_LANGUAGE


def in_active_language(lookup: str):
    """An expression for ``lookup`` (e.g. "sector__name") in the active language, English
    where that language has no text yet: for ``values()`` reads, which skip the fields'
    own fallback."""
    language = active_language()
    english = F(column(lookup, DEFAULT_LANGUAGE))
    if language == DEFAULT_LANGUAGE:
        return english
    return Coalesce(
        NullIf(F(column(lookup, language)), Value("")), english, output_field=TextField()
    )


def missing_languages(instance, fields) -> list[str]:
    """The languages in which ``instance`` has an empty value for one of ``fields``."""
    return [
        code
        for code in language_codes()
        if any(not getattr(instance, column(field, code), None) for field in fields)
    ]


def translated_panels(field: str, **options) -> list:
    """One admin panel per language for ``field``, English first (labelled "name [de]")."""
    from wagtail.admin.panels import FieldPanel

    return [FieldPanel(column(field, code), **options) for code in language_codes()]


def missing_languages_text(instance, fields) -> str:
    """The languages ``instance`` still lacks, for a list column of the admin ("DE, FR")."""
    return ", ".join(code.upper() for code in missing_languages(instance, fields)) or "—"


MISSING_TRANSLATIONS = _("Missing translations")
