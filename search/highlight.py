"""Marking the searched words in a snippet of text, accent- and case-insensitively."""

import re

from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe

from search.text import fold, words


def _folded_with_positions(text: str) -> tuple[str, list[int]]:
    """``fold(text)`` and, for each folded character, the index of its source character."""
    folded, positions = [], []
    for index, char in enumerate(text):
        for part in fold(char):
            folded.append(part)
            positions.append(index)
    return "".join(folded), positions


def highlight(text: str, query: str, *, length: int = 180) -> SafeString:
    """An escaped snippet of ``text`` (HTML tags removed) around the first searched word,
    each word starting with a searched term wrapped in ``<mark>``."""
    text = " ".join(strip_tags(text or "").split())
    terms = sorted(set(words(query)), key=len, reverse=True)
    if not terms:
        return mark_safe(escape(text[:length]))  # noqa: S308 - escaped just here
    folded, positions = _folded_with_positions(text)
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(term) for term in terms) + r")\w*")
    spans = [(positions[m.start()], positions[m.end() - 1] + 1) for m in pattern.finditer(folded)]
    start = 0
    if spans and spans[0][0] > length // 3:
        start = text.rfind(" ", 0, spans[0][0] - length // 3) + 1
    end = min(len(text), start + length)
    if end < len(text):
        end = max(text.rfind(" ", start, end), start + length // 2)
    pieces = ["…" if start else ""]
    cursor = start
    for span_start, span_end in spans:
        if span_start < cursor or span_end > end:
            continue
        pieces += [
            escape(text[cursor:span_start]),
            "<mark>",
            escape(text[span_start:span_end]),
            "</mark>",
        ]
        cursor = span_end
    pieces.append(escape(text[cursor:end]))
    if end < len(text):
        pieces.append("…")
    return mark_safe("".join(pieces))  # noqa: S308 - every piece of text is escaped above
