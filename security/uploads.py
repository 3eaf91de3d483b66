"""Checks for uploaded files that the storage and the browser will later trust.

Wagtail already refuses images over WAGTAILIMAGES_MAX_UPLOAD_SIZE or
WAGTAILIMAGES_MAX_IMAGE_PIXELS and extensions outside WAGTAILIMAGES_EXTENSIONS (so no SVG);
documents are limited by WAGTAILDOCS_MAX_UPLOAD_SIZE and WAGTAILDOCS_EXTENSIONS. What this
module adds is polyglot detection: ``validate_no_markup`` for the site's own uploads (logos,
avatars) and ``SafeImageForm`` for Wagtail's images, chosen through
WAGTAILIMAGES_IMAGE_FORM_BASE.

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


def _safe_image_form():
    from wagtail.images.forms import BaseImageForm

    class SafeImageForm(BaseImageForm):
        def clean_file(self):
            uploaded = self.cleaned_data.get("file")
            if uploaded and hasattr(uploaded, "read"):
                validate_no_markup(uploaded)
            return uploaded

    return SafeImageForm


def __getattr__(name):
    # Wagtail's image forms query the database when imported, so they cannot be imported
    # while models load (members' validators use this module then); Wagtail asks for
    # ``SafeImageForm`` by its dotted path only once the apps are ready.
    if name == "SafeImageForm":
        form = _safe_image_form()
        globals()[name] = form
        return form
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
