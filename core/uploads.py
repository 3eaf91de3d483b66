"""Checks for uploaded files that the storage and the browser will later trust.

A PNG with an HTML page appended is still a valid PNG to Pillow, but a browser that sniffs
it, or a proxy that drops ``nosniff``, may run its script. Such polyglots are refused
outright. Files are scanned in chunks so memory stays bounded whatever their size.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MARKUP_MARKERS = (
    b"<html",
    b"<!doctype",
    b"<script",
    b"<body",
    b"<iframe",
    b"<svg",
    b"<object",
    b"<embed",
    b"javascript:",
    b"<?xml",
)
CHUNK_SIZE = 64 * 1024
LONGEST_MARKER = max(len(marker) for marker in MARKUP_MARKERS)


def contains_markup(uploaded_file) -> bool:
    """True if the file holds HTML, SVG, XML or script anywhere in its bytes."""
    position = uploaded_file.tell() if hasattr(uploaded_file, "tell") else 0
    uploaded_file.seek(0)
    tail = b""
    try:
        for chunk in iter(lambda: uploaded_file.read(CHUNK_SIZE), b""):
            window = (tail + chunk).lower()
            if any(marker in window for marker in MARKUP_MARKERS):
                return True
            tail = window[-LONGEST_MARKER:]
        return False
    finally:
        uploaded_file.seek(position)


def validate_no_markup(uploaded_file) -> None:
    if contains_markup(uploaded_file):
        raise ValidationError(
            _("This file contains HTML or script inside it and cannot be uploaded."),
            code="embedded_markup",
        )
