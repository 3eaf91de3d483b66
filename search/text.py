"""Text helpers shared by both engines: cleaning user queries and folding accents.

Both engines store and compare *folded* text (lower case, accents removed) so that
"Mälardalen", "malardalen" and "MALARDALEN" find each other, on PostgreSQL without the
``unaccent`` extension and on SQLite alike.
"""

import re
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

#: Longer queries are refused with a 400: nobody types more, and a long trigram query
#: costs the database real work.
MAX_QUERY_LENGTH = 200

# Letters that NFKD does not decompose into a base letter plus a combining mark.
_SPECIAL_LETTERS = str.maketrans(
    {"ß": "ss", "æ": "ae", "ø": "o", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"}
)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"\w+")


def fold(text: str) -> str:
    """Lower-cases ``text`` and strips its accents ("Øresund Ärzte" -> "oresund arzte")."""
    if text.isascii():
        # Most text is plain ASCII; decomposing it character by character is the slow
        # part of a rebuild.
        return text.lower()
    text = unicodedata.normalize("NFKD", text.lower().translate(_SPECIAL_LETTERS))
    return "".join(char for char in text if not unicodedata.combining(char))


def index_text(text: str) -> str:
    """``fold(text)`` with angle brackets turned into spaces: PostgreSQL's text-search parser
    reads ``<...>`` as markup and drops the words inside and after it."""
    return fold(text).replace("<", " ").replace(">", " ")


def clean_query(raw: str | None, *, field: str = "q") -> str:
    """A user's query with control characters (NUL included) removed and spaces collapsed.

    Raises ``ValidationError`` naming ``field`` when the query is longer than
    ``MAX_QUERY_LENGTH`` characters.
    """
    text = _SPACES.sub(" ", _CONTROL.sub(" ", raw or "")).strip()
    if len(text) > MAX_QUERY_LENGTH:
        raise ValidationError(
            {field: _("Search for at most %(limit)d characters.") % {"limit": MAX_QUERY_LENGTH}}
        )
    return text


def words(text: str) -> list[str]:
    """The folded words of ``text``: operators, quotes and punctuation are dropped."""
    return _WORD.findall(fold(text))


def first_words(text: str, limit: int | None = None) -> str:
    """``text`` cut after its first ``limit`` words (``SEARCH_MAX_WORDS`` by default).

    Each searched word adds a condition (a trigram match, a subquery over posts) to every
    query of a search; within the length limit a client could still send a hundred
    one-letter words. Words past the limit are dropped rather than refused: whoever types
    that many finds what the first ones find.
    """
    limit = settings.SEARCH_MAX_WORDS if limit is None else limit
    for count, match in enumerate(_WORD.finditer(text), start=1):
        if count == limit:
            return text[: match.end()]
    return text
