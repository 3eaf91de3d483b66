"""Removing a person's names and addresses from every text column of the database.

An erasure deletes or unlinks the rows the registry names; but names also travel into text
that others wrote or that the site wrote for others: "@zelda thanks", a notification's
"Zelda replied", a label reminder's list of addresses, a post's earlier revision. This pass
reads every text, character and JSON column of every model and replaces each of the
needles (whole words, any case) with ``REPLACEMENT``.

It reads every table, so it is slow on a big database; erasures are rare and run in the
background. Slugs and fields with fixed choices are left alone (no name can be in a choice,
and a slug is an address others link to).
"""

from __future__ import annotations

import logging
import re

from django.apps import apps
from django.db import IntegrityError, models, transaction
from django.db.models.functions import Cast

logger = logging.getLogger(__name__)

REPLACEMENT = "[former member]"
MIN_NEEDLE_LENGTH = 3
TEXT_TYPES = {"CharField", "TextField", "EmailField", "URLField", "JSONField"}


def needle_pattern(needles: list[str]) -> re.Pattern | None:
    """One case-insensitive pattern for the needles, longest first, as whole words."""
    words = sorted(
        {n.strip() for n in needles if n and len(n.strip()) >= MIN_NEEDLE_LENGTH},
        key=len,
        reverse=True,
    )
    if not words:
        return None
    alternatives = "|".join(re.escape(word) for word in words)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def text_columns():
    """(model, field) for every concrete text or JSON field a name could be written in."""
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed:
            continue
        for field in meta.concrete_fields:
            if field.primary_key or field.choices or isinstance(field, models.SlugField):
                continue
            if field.get_internal_type() in TEXT_TYPES or _is_json(field):
                yield model, field


def _is_json(field) -> bool:
    return isinstance(field, models.JSONField) or field.get_internal_type() == "JSONField"


def _replace(value, pattern: re.Pattern):
    if isinstance(value, str):
        return pattern.sub(REPLACEMENT, value)
    if isinstance(value, list):
        return [_replace(item, pattern) for item in value]
    if isinstance(value, dict):
        return {key: _replace(item, pattern) for key, item in value.items()}
    return value


def scrub_needles(needles: list[str]) -> int:
    """Replace ``needles`` in every text column; return the number of values changed.

    The caller holds a transaction; each row is changed in a savepoint, so a value that
    would break a unique constraint once replaced is left and logged, not the erasure.
    """
    pattern = needle_pattern(needles)
    if pattern is None:
        return 0
    words = [n.strip() for n in needles if n and len(n.strip()) >= MIN_NEEDLE_LENGTH]
    changed = 0
    for model, field in text_columns():
        manager = model._base_manager
        if _is_json(field) or not isinstance(field, (models.CharField, models.TextField)):
            manager = manager.annotate(_scrub_text=Cast(field.name, models.TextField()))
            lookup = "_scrub_text__icontains"
        else:
            lookup = f"{field.name}__icontains"
        condition = models.Q()
        for word in words:
            condition |= models.Q(**{lookup: word})
        # Other JSON types (Wagtail's StreamField) are read as their JSON text.
        raw = _is_json(field) and not isinstance(field, models.JSONField)
        column = "_scrub_text" if raw else field.name
        for pk, value in manager.filter(condition).values_list("pk", column):
            if raw:
                value = _load_json_text(value)
            new = _replace(value, pattern)
            if new == value:
                continue
            try:
                with transaction.atomic():
                    model._base_manager.filter(pk=pk).update(**{field.name: new})
            except IntegrityError:
                logger.warning("erasure left %s.%s of row %s", model._meta.label, field.name, pk)
                continue
            changed += 1
    return changed


def _load_json_text(value):
    import json

    try:
        return json.loads(value)
    except ValueError:
        return value
