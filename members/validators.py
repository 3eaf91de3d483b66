"""Validators shared by the model, the HTML forms and the API."""

import re
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from security.uploads import validate_no_markup

AVATAR_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}

ECCP_ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
ECCP_HOST = "clustercollaboration.eu"


def is_eccp_url(url: str) -> bool:
    """An https address on the European Cluster Collaboration Platform (or a subdomain)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    host = (parts.hostname or "").lower()
    return parts.scheme == "https" and (host == ECCP_HOST or host.endswith("." + ECCP_HOST))


def avatar_max_bytes() -> int:
    return getattr(settings, "MEMBERS_AVATAR_MAX_BYTES", 2 * 1024 * 1024)


def avatar_max_pixels() -> int:
    return getattr(settings, "MEMBERS_AVATAR_MAX_PIXELS", 4096 * 4096)


def validate_avatar(file) -> None:
    """An avatar is a JPEG, PNG, GIF or WebP image within the size and pixel limits.

    The decoder reads only the header, so a huge or malformed file is refused cheaply.
    """
    if not file:
        return
    size = getattr(file, "size", None)
    if size is not None and size > avatar_max_bytes():
        raise ValidationError(
            _("The image is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(avatar_max_bytes())},
            code="file_too_large",
        )
    position = file.tell() if hasattr(file, "tell") else None
    try:
        with Image.open(file) as image:
            image_format = image.format
            width, height = image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(
            _("Upload a valid image (JPEG, PNG, GIF or WebP)."), code="invalid_image"
        ) from None
    finally:
        if position is not None:
            file.seek(position)
    if image_format not in AVATAR_FORMATS:
        raise ValidationError(
            _("Upload a valid image (JPEG, PNG, GIF or WebP)."), code="invalid_image"
        )
    validate_no_markup(file)
    if width * height > avatar_max_pixels():
        raise ValidationError(
            _("The image is %(width)s×%(height)s pixels; it is too large.")
            % {"width": width, "height": height},
            code="image_too_large",
        )
