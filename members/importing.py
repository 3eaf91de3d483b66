"""Importing organisations from an ECCP export (CSV or JSON), all or nothing: the service
behind ``manage.py import_organisations`` and the admin's upload, preview and confirm.

The format
----------
One record per organisation, with these keys (CSV: a header row naming them; JSON: an
object per organisation, either a top-level list or ``{"organisations": [...]}`` with any
other top-level keys such as ``"source"`` or ``"exported_at"`` ignored):

===================  ========  ===============================================================
key                  required  value
===================  ========  ===============================================================
eccp_id              yes       the ECCP identifier (letters, digits, ``-``, ``_``; matches rows)
name                 yes       up to 200 characters
country              yes       ISO 3166 alpha-2 code (``DK``)
kind                 no        cluster_organisation (default), cluster_network,
                               support_agency, research, company
slug                 no        defaults to the name, made unique with the ECCP identifier
region, city         no        text
website              no        http(s) address
description          no        text
sectors              no        names or slugs of existing sectors (the controlled list)
technologies         no        tags
value_chains         no        tags
members_sme, members_large, members_research, members_other
                     no        whole numbers >= 0 (default 0)
year_founded         no        1800 .. this year
contact_email        no        e-mail address
eccp_url             no        https address on clustercollaboration.eu
eccp_validation      no        none, pending, validated, rejected (default none)
===================  ========  ===============================================================

In CSV, list values (sectors, technologies, value_chains) are separated by ``;``; in JSON
they are arrays. A missing optional key leaves the stored value unchanged for an existing
organisation and takes the default for a new one; an empty value clears it.

Every row is validated before anything is written; one bad row stops the import and each
bad row is reported with its line number. Rows are matched to stored organisations by
``eccp_id``; importing the same file twice changes nothing the second time.

A sector the controlled list lacks is listed before the import (``unknown_sectors``); the
editor creates it or maps it to an existing sector (``check_sector_mapping``; on the
command line ``--create-sectors`` and ``--map-sector``), and only then does it count.

From the admin, an upload is kept (``upload_import``), previewed (``preview_import``),
confirmed (``confirm_import``) and imported on the task queue (``run_import``), whose
progress the admin page polls (``import_progress``).
"""

from __future__ import annotations

import csv
import datetime
import io
import json
from dataclasses import dataclass, field
from json import scanner
from pathlib import Path
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django_countries import countries

from domain.exceptions import Conflict
from members import services
from members.models import Organisation, OrganisationImport, Sector
from members.validators import ECCP_ID_PATTERN, is_eccp_url

#: An export row may set what staff may set (services decide), but for what an export cannot
#: carry (uploads), the key it is matched by, and publication, which stays the editors' call.
IMPORTED_FIELDS = frozenset(
    services.ORGANISATION_COADMIN_FIELDS + services.ORGANISATION_STAFF_FIELDS
) - {*services.ORGANISATION_UPLOAD_FIELDS, "eccp_id", "is_published"}
LIST_FIELDS = services.ORGANISATION_LIST_FIELDS
KNOWN_KEYS = frozenset({"eccp_id", *IMPORTED_FIELDS})
REQUIRED_KEYS = ("eccp_id", "name", "country")
COUNT_FIELDS = ("members_sme", "members_large", "members_research", "members_other")
TEXT_LIMITS = {"name": 200, "region": 120, "city": 120, "description": 20000, "slug": 200}


class ImportFileError(Exception):
    """The file cannot be read as an export at all (one-line reason)."""


@dataclass
class Row:
    line: int
    data: dict[str, Any]


@dataclass
class CleanRow:
    line: int
    eccp_id: str
    values: dict[str, Any]
    lists: dict[str, list]


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    sectors_created: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


# --- Reading -----------------------------------------------------------------------------------


def read_rows(path: Path) -> list[Row]:
    """The file's records with their line numbers; ImportFileError if unreadable."""
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".json"):
        raise ImportFileError(f"{path.name}: use a .csv or .json file.")
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ImportFileError(f"{path}: no such file.") from None
    except IsADirectoryError:
        raise ImportFileError(f"{path}: is a directory, not a file.") from None
    except OSError as error:
        raise ImportFileError(f"{path}: cannot be read ({error.strerror}).") from None
    return parse_rows(decode_export(raw, path.name), path.name)


def decode_export(raw: bytes, name: str) -> str:
    """The export's text (UTF-8, with or without a byte-order mark); ImportFileError if it
    is not text or is empty."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(f"{name}: is not UTF-8 text (byte {error.start + 1}).") from None
    if not text.strip():
        raise ImportFileError(f"{name}: is empty.")
    return text


def parse_rows(text: str, name: str) -> list[Row]:
    """The records of an export's ``text``; ``name`` ends in .csv or .json."""
    suffix = Path(name).suffix.lower()
    if suffix not in (".csv", ".json"):
        raise ImportFileError(f"{name}: use a .csv or .json file.")
    return _read_csv(text, name) if suffix == ".csv" else _read_json(text, name)


def _read_csv(text: str, name: str) -> list[Row]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [column.strip() for column in next(reader)]
    except csv.Error as error:
        raise ImportFileError(f"{name}: line 1: {error}.") from None
    unknown = [column for column in header if column not in KNOWN_KEYS]
    if unknown:
        raise ImportFileError(f"{name}: line 1: unknown column(s) {', '.join(unknown)}.")
    missing = [key for key in REQUIRED_KEYS if key not in header]
    if missing:
        raise ImportFileError(f"{name}: line 1: missing column(s) {', '.join(missing)}.")
    if len(set(header)) != len(header):
        raise ImportFileError(f"{name}: line 1: a column is named twice.")
    rows = []
    start = reader.line_num + 1
    try:
        for values in reader:
            if any(value.strip() for value in values):
                if len(values) != len(header):
                    data = {"__columns__": len(values)}
                else:
                    data = dict(zip(header, values, strict=True))
                    for key in LIST_FIELDS:
                        if key in data:
                            data[key] = data[key].split(";")
                rows.append(Row(line=start, data=data))
            start = reader.line_num + 1
    except csv.Error as error:
        raise ImportFileError(f"{name}: line {reader.line_num}: {error}.") from None
    return rows


class _LineNumberingDecoder(json.JSONDecoder):
    """Records the line on which each JSON object starts, under the key ``__line__``."""

    def __init__(self, text: str):
        super().__init__()
        parse_object = self.parse_object

        def numbered(s_and_end, *args):
            s, end = s_and_end
            result, new_end = parse_object(s_and_end, *args)
            result["__line__"] = s.count("\n", 0, end) + 1
            return result, new_end

        self.parse_object = numbered
        # The C scanner ignores overridden parse_object; the Python one honours it.
        self.scan_once = scanner.py_make_scanner(self)


def _read_json(text: str, name: str) -> list[Row]:
    try:
        document = _LineNumberingDecoder(text).decode(text)
    except json.JSONDecodeError as error:
        raise ImportFileError(f"{name}: line {error.lineno}: invalid JSON ({error.msg}).") from None
    if isinstance(document, dict):
        document.pop("__line__", None)
        if "organisations" not in document:
            raise ImportFileError(f'{name}: expected a list or {{"organisations": [...]}}.')
        document = document["organisations"]
    if not isinstance(document, list):
        raise ImportFileError(f"{name}: the organisations must be a JSON list.")
    rows = []
    for index, item in enumerate(document, start=1):
        if isinstance(item, dict):
            line = item.pop("__line__", 0)
            for value in item.values():
                if isinstance(value, dict):
                    value.pop("__line__", None)
            rows.append(Row(line=line, data=item))
        else:
            rows.append(Row(line=0, data={"__not_object__": index}))
    return rows


# --- Validating --------------------------------------------------------------------------------


def _text(value: Any, key: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        raise ValidationError(f"{key}: expected text.")
    return str(value).strip()


def _count(value: Any, key: str, *, low: int, high: int, allow_empty: bool) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if allow_empty:
            return None
        return 0
    if isinstance(value, bool):
        raise ValidationError(f"{key}: expected a whole number.")
    try:
        number = int(str(value).strip())
    except ValueError:
        raise ValidationError(f"{key}: “{str(value)[:40]}” is not a whole number.") from None
    if not low <= number <= high:
        raise ValidationError(f"{key}: {number} is outside {low}..{high}.")
    return number


def _choice(value: str, key: str, choices) -> str:
    for stored, label in choices:
        if value.lower() in (stored, str(label).lower()):
            return stored
    allowed = ", ".join(stored for stored, _ in choices)
    raise ValidationError(f"{key}: “{value[:40]}” is not one of {allowed}.")


@dataclass(frozen=True)
class NewSector:
    """A sector the file names that the controlled list lacks, which the editor chose to
    create: ``apply_rows`` creates it (or finds it, if someone created it meanwhile)."""

    name: str

    @property
    def slug(self) -> str:
        return slugify(self.name)[:120]


def _sector_key(item: Any) -> str | None:
    return str(item).strip().lower() if isinstance(item, (str, int)) else None


def _clean_row(
    row: Row, sectors_by_key: dict[str, Sector], sector_mapping: dict[str, str]
) -> CleanRow:
    """Validate one record; raise ValidationError with every problem of the row."""
    data = row.data
    if "__not_object__" in data:
        raise ValidationError(f"item {data['__not_object__']} is not an object.")
    if "__columns__" in data:
        raise ValidationError(f"has {data['__columns__']} values; the header has another count.")
    problems: list[str] = []
    unknown = sorted(set(data) - KNOWN_KEYS)
    if unknown:
        problems.append(f"unknown key(s) {', '.join(unknown)}.")
    values: dict[str, Any] = {}
    lists: dict[str, list] = {}

    def check(key, func):
        if key in data:
            try:
                values[key] = func(data[key])
            except ValidationError as error:
                problems.extend(error.messages)

    eccp_id = ""
    try:
        eccp_id = _text(data.get("eccp_id"), "eccp_id")
    except ValidationError as error:
        problems.extend(error.messages)
    if not eccp_id:
        problems.append("eccp_id: required.")
    elif not ECCP_ID_PATTERN.fullmatch(eccp_id):
        problems.append(f"eccp_id: “{eccp_id[:70]}” has characters other than A-Z, 0-9, - and _.")

    for key in REQUIRED_KEYS[1:]:
        if not str(data.get(key) or "").strip():
            problems.append(f"{key}: required.")

    def text_field(key):
        def clean(value):
            text = _text(value, key)
            limit = TEXT_LIMITS.get(key)
            if limit and len(text) > limit:
                raise ValidationError(f"{key}: longer than {limit} characters.")
            return text

        return clean

    for key in ("name", "region", "city", "description"):
        check(key, text_field(key))

    def clean_slug(value):
        slug = _text(value, "slug")
        if slug and slug != slugify(slug):
            raise ValidationError(f"slug: “{slug[:60]}” may hold only a-z, 0-9 and -.")
        return slug

    check("slug", clean_slug)

    def clean_country(value):
        code = _text(value, "country").upper()
        if code and code not in countries:
            raise ValidationError(f"country: “{code[:10]}” is not an ISO 3166 country code.")
        return code

    check("country", clean_country)
    check(
        "kind",
        lambda v: _choice(
            _text(v, "kind") or Organisation.Kind.CLUSTER_ORGANISATION,
            "kind",
            Organisation.Kind.choices,
        ),
    )
    check(
        "eccp_validation",
        lambda v: _choice(
            _text(v, "eccp_validation") or "none",
            "eccp_validation",
            Organisation.EccpValidation.choices,
        ),
    )

    def clean_url(key):
        def clean(value):
            url = _text(value, key)
            if url:
                try:
                    URLValidator(schemes=["http", "https"])(url)
                except ValidationError:
                    raise ValidationError(f"{key}: “{url[:80]}” is not a web address.") from None
                if key == "eccp_url" and not is_eccp_url(url):
                    raise ValidationError(
                        f"{key}: not an https address on clustercollaboration.eu."
                    )
            return url

        return clean

    check("website", clean_url("website"))
    check("eccp_url", clean_url("eccp_url"))

    def clean_email(value):
        email = _text(value, "contact_email")
        if email:
            try:
                EmailValidator()(email)
            except ValidationError:
                raise ValidationError(f"contact_email: “{email[:80]}” is not an e-mail.") from None
        return email

    check("contact_email", clean_email)
    for key in COUNT_FIELDS:
        check(key, lambda v, key=key: _count(v, key, low=0, high=1_000_000, allow_empty=False))
    this_year = datetime.date.today().year
    check(
        "year_founded",
        lambda v: _count(v, "year_founded", low=1800, high=this_year, allow_empty=True),
    )

    if "sectors" in data:
        raw = data["sectors"]
        if not isinstance(raw, list):
            problems.append("sectors: expected a list.")
        else:
            found = []
            for item in raw:
                key = _sector_key(item)
                if key is None:
                    problems.append("sectors: each sector is a name or a slug.")
                elif key:
                    sector = sectors_by_key.get(key)
                    if sector is None and key in sector_mapping:
                        target = sector_mapping[key]
                        sector = sectors_by_key.get(target) if target else NewSector(str(item))
                    if sector is None:
                        problems.append(f"sectors: unknown sector “{str(item)[:60]}”.")
                    elif sector not in found:
                        found.append(sector)
            lists["sectors"] = found
    for key in ("technologies", "value_chains"):
        if key in data:
            try:
                lists[key] = services.clean_tags(data[key], field=key)
            except ValidationError as error:
                problems.extend(f"{key}: {m}" for m in error.messages)

    if problems:
        raise ValidationError(" ".join(problems))
    return CleanRow(line=row.line, eccp_id=eccp_id, values=values, lists=lists)


def _sectors_by_key() -> dict[str, Sector]:
    """The controlled list, found by slug or name, whatever their case."""
    sectors_by_key: dict[str, Sector] = {}
    for sector in Sector.objects.all():
        sectors_by_key[sector.slug.lower()] = sector
        sectors_by_key[sector.name.lower()] = sector
    return sectors_by_key


def unknown_sectors(rows: list[Row]) -> list[str]:
    """The sectors the file names that the controlled list lacks, each once (as first
    written), in the order they first appear: the editor creates or maps each."""
    known = _sectors_by_key()
    found: dict[str, str] = {}
    for row in rows:
        raw = row.data.get("sectors")
        if not isinstance(raw, list):
            continue
        for item in raw:
            key = _sector_key(item)
            if key and key not in known and key not in found:
                found[key] = str(item).strip()[:120]
    return list(found.values())


def check_sector_mapping(mapping: dict[str, str], unknown: list[str]) -> dict[str, str]:
    """``mapping`` (sector name in the file -> slug of an existing sector, or "" to create
    it) made case-insensitive and checked: every unknown sector has an answer, every slug
    exists. Raises ValidationError naming each problem."""
    known = _sectors_by_key()
    cleaned = {
        str(name).strip().lower(): str(target or "").strip() for name, target in mapping.items()
    }
    problems = []
    for name in unknown:
        key = name.lower()
        if key not in cleaned:
            problems.append(f"sectors: say whether to create “{name}” or which sector it is.")
        elif cleaned[key] and cleaned[key].lower() not in known:
            problems.append(f"sectors: “{cleaned[key][:60]}” is not a sector of the list.")
        elif not cleaned[key] and not slugify(name):
            problems.append(f"sectors: “{name}” cannot be a new sector's name.")
    if problems:
        raise ValidationError(problems)
    return {key: target.lower() for key, target in cleaned.items()}


def validate_rows(
    rows: list[Row], *, progress=None, sector_mapping: dict[str, str] | None = None
) -> tuple[list[CleanRow], list[tuple[int, str]]]:
    """Every row cleaned, or the list of (line, reason) for the bad ones.

    Besides each row on its own, checks the file as a whole: an ECCP identifier or a slug
    twice in the file, or a slug that another stored organisation already uses. A sector
    the controlled list lacks is an error unless ``sector_mapping`` (from
    ``check_sector_mapping``) maps it to an existing sector or to a new one.
    """
    sectors_by_key = _sectors_by_key()
    sector_mapping = sector_mapping or {}
    stored = {o.eccp_id: o for o in Organisation.objects.exclude(eccp_id=None)}
    slug_owner = dict(Organisation.objects.values_list("slug", "eccp_id"))

    cleaned: list[CleanRow] = []
    errors: list[tuple[int, str]] = []
    seen_ids: dict[str, int] = {}
    seen_slugs: dict[str, int] = {}
    for row in rows:
        if progress is not None:
            progress.update(1)
        try:
            clean = _clean_row(row, sectors_by_key, sector_mapping)
        except ValidationError as error:
            errors.append((row.line, " ".join(error.messages)))
            continue
        if clean.eccp_id in seen_ids:
            errors.append(
                (row.line, f"eccp_id: {clean.eccp_id} is also on line {seen_ids[clean.eccp_id]}.")
            )
            continue
        seen_ids[clean.eccp_id] = row.line
        existing = stored.get(clean.eccp_id)
        slug = clean.values.get("slug") or (
            existing.slug if existing else _new_slug(clean, slug_owner)
        )
        clean.values["slug"] = slug
        owner = slug_owner.get(slug, clean.eccp_id)
        if owner != clean.eccp_id:
            errors.append((row.line, f"slug: “{slug}” belongs to another organisation."))
            continue
        if slug in seen_slugs:
            errors.append((row.line, f"slug: “{slug}” is also on line {seen_slugs[slug]}."))
            continue
        seen_slugs[slug] = row.line
        cleaned.append(clean)
    return cleaned, errors


def _new_slug(clean: CleanRow, slug_owner: dict[str, str | None]) -> str:
    base = slugify(clean.values.get("name", ""))[:150] or slugify(clean.eccp_id)
    if slug_owner.get(base, clean.eccp_id) == clean.eccp_id:
        return base
    # Deterministic, so a re-run computes the same slug and finds nothing to change.
    return f"{base}-{slugify(clean.eccp_id)}"[:200]


# --- Writing -----------------------------------------------------------------------------------


def apply_rows(rows: list[CleanRow], *, progress=None) -> ImportReport:
    """Create or update every row in one transaction, through the organisations' one writer
    (``services.apply_organisation_changes``); unchanged rows are not saved. The new
    sectors the editor chose to create are created in the same transaction."""
    report = ImportReport()
    with transaction.atomic():
        created_sectors: dict[str, Sector] = {}
        for row in rows:
            sectors = row.lists.get("sectors")
            if not sectors:
                continue
            for index, sector in enumerate(sectors):
                if isinstance(sector, NewSector):
                    if sector.slug not in created_sectors:
                        created_sectors[sector.slug], made = Sector.objects.get_or_create(
                            slug=sector.slug, defaults={"name": sector.name}
                        )
                        report.sectors_created += int(made)
                    sectors[index] = created_sectors[sector.slug]
        stored = {
            o.eccp_id: o
            for o in Organisation.objects.select_for_update()
            .filter(eccp_id__in=[row.eccp_id for row in rows])
            .prefetch_related("sectors", *services.TAG_THROUGH.values())
        }
        for row in rows:
            if progress is not None:
                progress.update(1)
            organisation = stored.get(row.eccp_id)
            created = organisation is None
            if created:
                organisation = Organisation(eccp_id=row.eccp_id)
            changed = services.apply_organisation_changes(
                organisation=organisation,
                changes={**row.values, **row.lists},
                created=created,
                record_activity=False,
            )
            if created:
                report.created += 1
            elif changed:
                report.updated += 1
            else:
                report.unchanged += 1
    return report


# --- Importing from the admin: upload, preview, confirm, run on the task queue ------------------

#: Most bytes an upload may have (a full ECCP export is a few megabytes).
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
#: How often (rows) a running import writes its progress.
PROGRESS_EVERY = 50


@dataclass
class ImportPreview:
    rows: int
    errors: list[tuple[int, str]]
    unknown_sectors: list[str]

    @property
    def is_valid(self) -> bool:
        return not self.errors


def upload_import(*, file_name: str, raw: bytes, actor) -> OrganisationImport:
    """Keep an uploaded export until an editor confirms it; nothing is imported yet.
    Raises ValidationError if the file cannot be read as an export at all."""
    if len(raw) > MAX_UPLOAD_BYTES:
        raise ValidationError(f"{file_name}: larger than {MAX_UPLOAD_BYTES // 1024 // 1024} MB.")
    try:
        text = decode_export(raw, file_name)
        rows = parse_rows(text, file_name)
    except ImportFileError as error:
        raise ValidationError(str(error)) from None
    if not rows:
        raise ValidationError(f"{file_name}: holds no organisations.")
    return OrganisationImport.objects.create(
        file_name=file_name[:255], content=text, uploaded_by=actor, rows=len(rows)
    )


def preview_import(*, job: OrganisationImport, sector_mapping: dict | None = None) -> ImportPreview:
    """What importing ``job`` would find: every bad row with its line number and the
    sectors the controlled list lacks. Unknown sectors not mapped yet are listed, not
    counted as errors of their rows; writes nothing."""
    rows = parse_rows(job.content, job.file_name)
    unknown = unknown_sectors(rows)
    pending = {name.lower(): "" for name in unknown}
    mapping = {**pending, **{k.lower(): v for k, v in (sector_mapping or {}).items()}}
    _cleaned, errors = validate_rows(rows, sector_mapping=mapping)
    return ImportPreview(rows=len(rows), errors=sorted(errors), unknown_sectors=unknown)


def confirm_import(*, job: OrganisationImport, sector_mapping: dict, actor) -> OrganisationImport:
    """Queue ``job`` for import with the editor's answer for each unknown sector.

    Validates everything again first: a bad row or an unanswered sector refuses the
    confirmation (ValidationError), so nothing is imported while one row is bad. Locks the
    job row: confirming twice queues one import (the second gets a Conflict).
    """
    from members import tasks
    from taskqueue.tasks import enqueue

    with transaction.atomic():
        locked = OrganisationImport.objects.select_for_update().get(pk=job.pk)
        if locked.status != OrganisationImport.Status.UPLOADED:
            raise Conflict(f"{locked.file_name}: already {locked.get_status_display()}.")
        rows = parse_rows(locked.content, locked.file_name)
        mapping = check_sector_mapping(sector_mapping, unknown_sectors(rows))
        _cleaned, errors = validate_rows(rows, sector_mapping=mapping)
        if errors:
            raise ValidationError(
                [f"line {line}: {reason}" if line else reason for line, reason in sorted(errors)]
            )
        locked.sector_mapping = mapping
        locked.status = OrganisationImport.Status.QUEUED
        locked.save(update_fields=["sector_mapping", "status"])
        enqueue(tasks.run_organisation_import, locked.pk)
    return locked


def _progress_key(import_id: int) -> str:
    return f"members:organisation-import:{import_id}:progress"


class _CacheProgress:
    """Counts rows into the cache: the import's own transaction hides its rows until it
    commits, the cache does not, so the admin page can show how far it has gone."""

    def __init__(self, import_id: int, *, offset: int = 0):
        self.key = _progress_key(import_id)
        self.count = offset
        cache.set(self.key, self.count, 24 * 3600)

    def update(self, step: int) -> None:
        self.count += step
        if self.count % PROGRESS_EVERY == 0:
            cache.set(self.key, self.count, 24 * 3600)


def run_import(*, import_id: int) -> str:
    """Import a confirmed upload, all or nothing; returns the job's final status.

    The rows are validated once more (organisations or sectors may have changed since the
    preview): one bad row fails the whole job and writes nothing. Running a job that is not
    queued (a retry after it finished) does nothing.
    """
    with transaction.atomic():
        job = OrganisationImport.objects.select_for_update().filter(pk=import_id).first()
        if job is None or job.status not in (
            OrganisationImport.Status.QUEUED,
            OrganisationImport.Status.RUNNING,
        ):
            return job.status if job is not None else "missing"
        job.status = OrganisationImport.Status.RUNNING
        job.save(update_fields=["status"])
    rows = parse_rows(job.content, job.file_name)
    # Validation counts the first half of the progress bar, writing the second.
    cleaned, errors = validate_rows(
        rows, sector_mapping=job.sector_mapping, progress=_CacheProgress(job.pk)
    )
    if errors:
        report = {
            "errors": [
                f"line {line}: {reason}" if line else reason for line, reason in sorted(errors)
            ]
        }
        status = OrganisationImport.Status.FAILED
    else:
        result = apply_rows(cleaned, progress=_CacheProgress(job.pk, offset=len(rows)))
        report = {
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "sectors_created": result.sectors_created,
        }
        status = OrganisationImport.Status.DONE
    OrganisationImport.objects.filter(pk=job.pk).update(
        status=status, report=report, finished=timezone.now()
    )
    cache.set(_progress_key(job.pk), 2 * len(rows), 24 * 3600)
    return status


def import_progress(job: OrganisationImport) -> dict:
    """How far ``job`` has gone, as the admin page polls it: status, done, total (rows
    validated and then written count once each), percent, report."""
    total = 2 * job.rows
    if job.status in (OrganisationImport.Status.DONE, OrganisationImport.Status.FAILED):
        done = total
    elif job.status == OrganisationImport.Status.RUNNING:
        done = min(int(cache.get(_progress_key(job.pk)) or 0), total)
    else:
        done = 0
    return {
        "status": job.status,
        "status_display": job.get_status_display(),
        "done": done,
        "total": total,
        "percent": round(100 * done / total) if total else 100,
        "report": job.report,
    }
