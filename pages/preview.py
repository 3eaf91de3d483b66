"""Drafts for headless preview: wagtail-headless-preview stores an editor's draft under a
signed token; the API (/api/v2/page_preview/) and the built-in /preview/ view read it back."""

from django.apps import apps
from django.core.signing import BadSignature
from wagtail.models import Page
from wagtail_headless_preview.models import HeadlessPreviewMixin


class InvalidPreviewRequest(ValueError):
    """The content_type or token parameter is missing or names no previewable page type."""


class PreviewNotFound(LookupError):
    """The token is not one this site signed, or its draft has been collected."""


def page_from_preview_token(*, content_type: str, token: str) -> Page:
    """The draft page stored for ``token`` (``content_type`` is "app_label.model")."""
    if not content_type or not token:
        raise InvalidPreviewRequest("content_type and token are required")
    app_label, _, model_name = content_type.partition(".")
    try:
        model = apps.get_model(app_label, model_name)
    except (LookupError, ValueError) as error:
        raise InvalidPreviewRequest(f"unknown content_type: {content_type}") from error
    if not (issubclass(model, Page) and issubclass(model, HeadlessPreviewMixin)):
        raise InvalidPreviewRequest(f"content_type has no preview: {content_type}")
    try:
        page = model.get_page_from_preview_token(token)
    except BadSignature as error:
        raise PreviewNotFound("preview not found") from error
    if page is None:
        raise PreviewNotFound("preview not found")
    if not page.pk:
        # A page that was never saved: a placeholder id keeps URL generation working.
        page.pk = 0
    return page
