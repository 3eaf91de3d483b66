"""The archive of a member's data: one JSON file per exported source of the registry, and a
README.txt that says what each file holds and why the club keeps it."""

from __future__ import annotations

import io
import json
import zipfile

from django.contrib.auth import get_user_model
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from members.models import MemberProfile, preferred_language
from privacy.registry import Source, exported_sources


def _value(row: models.Model, field: models.Field):
    if field.is_relation:
        return getattr(row, field.attname)
    value = field.value_from_object(row)
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    if hasattr(value, "code") and not isinstance(value, (str, int)):
        return value.code  # django-countries' Country
    return value


def _fields(source: Source) -> list[models.Field]:
    meta = source.model_class._meta
    if source.fields:
        return [meta.get_field(name) for name in source.fields]
    return [field for field in meta.concrete_fields if not field.primary_key]


def serialise(source: Source, row: models.Model) -> dict:
    """A row as JSON: its id, the exported fields, foreign keys as ids, and the name of
    what they point to (an event, a thread) unless that is a person."""
    people = (get_user_model(), MemberProfile)
    data = {"id": row.pk}
    for field in _fields(source):
        data[field.name] = _value(row, field)
        if field.is_relation and field.related_model not in people:
            related = getattr(row, field.name)
            if related is not None:
                data[f"{field.name}_name"] = str(related)
    return data


def collect(user) -> dict[str, list[dict]]:
    """Each exported source's file name and rows for ``user``."""
    return {
        source.name: [serialise(source, row) for row in source.rows_of(user)]
        for source in exported_sources()
    }


def readme(user, files: dict[str, list[dict]]) -> str:
    sources = {source.name: source for source in exported_sources()}
    lines = [
        _("Your data from the Cluster Club"),
        "",
        _("Made on %(date)s for the account %(username)s.")
        % {"date": timezone.now().strftime("%Y-%m-%d %H:%M UTC"), "username": user.get_username()},
        _(
            "Each file below is a JSON list of records; each record has an id, dates are in "
            "ISO 8601 (UTC), a link to another record is its id, with its name beside it "
            "(field_name). An empty list means the club keeps nothing of that kind about you."
        ),
        "",
    ]
    for name, rows in files.items():
        source = sources[name]
        lines.append(f"{name}.json ({len(rows)})")
        lines.append(f"    {source.what}")
        lines.append("    " + _("Why: %(why)s") % {"why": source.why})
        lines.append("")
    return "\n".join(lines)


def build_archive(user) -> bytes:
    """The ZIP of ``user``'s data, README.txt in their language."""
    files = collect(user)
    with translation.override(preferred_language(user)):
        text = readme(user, files)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", text)
        for name, rows in files.items():
            archive.writestr(
                f"{name}.json",
                json.dumps(rows, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
            )
    return buffer.getvalue()
