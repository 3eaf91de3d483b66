"""``manage.py import_organisations FILE``: organisations from an ECCP export, all or nothing.

The accepted CSV and JSON shapes are described in ``members/importing.py``.
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from members.importing import (
    ImportFileError,
    apply_rows,
    check_sector_mapping,
    read_rows,
    unknown_sectors,
    validate_rows,
)


class Command(BaseCommand):
    help = (
        "Import cluster organisations from an ECCP export (.csv or .json). Every row is "
        "validated first; one bad row imports nothing. Rows match stored organisations by "
        "ECCP identifier, so re-running the same file changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="path to the .csv or .json export")
        parser.add_argument("--dry-run", action="store_true", help="validate only; write nothing")
        parser.add_argument(
            "--create-sectors",
            action="store_true",
            help="create each sector the file names that the controlled list lacks",
        )
        parser.add_argument(
            "--map-sector",
            action="append",
            default=[],
            metavar="NAME=SLUG",
            help="read the file's sector NAME as the existing sector SLUG (repeatable)",
        )

    def handle(self, *args, file, dry_run=False, create_sectors=False, map_sector=(), **options):
        try:
            rows = read_rows(Path(file))
        except ImportFileError as error:
            raise CommandError(str(error)) from None
        if not rows:
            raise CommandError(f"{Path(file).name}: holds no organisations.")
        mapping = self.sector_mapping(rows, create_sectors=create_sectors, map_sector=map_sector)
        quiet = options["verbosity"] == 0
        with tqdm(
            total=len(rows), desc="Validating", unit="row", file=self.stderr, disable=quiet
        ) as bar:
            cleaned, errors = validate_rows(rows, progress=bar, sector_mapping=mapping)
        if errors:
            for line, reason in sorted(errors):
                self.stderr.write(f"line {line}: {reason}" if line else reason)
            raise CommandError(
                f"{len(errors)} of {len(rows)} row(s) are invalid; nothing was imported."
            )
        if dry_run:
            self.stdout.write(f"{len(rows)} row(s) are valid; nothing written (dry run).")
            return
        with tqdm(
            total=len(cleaned), desc="Importing", unit="row", file=self.stderr, disable=quiet
        ) as bar:
            report = apply_rows(cleaned, progress=bar)
        self.stdout.write(
            self.style.SUCCESS(
                f"{report.created} created, {report.updated} updated, {report.unchanged} unchanged"
                + (
                    f", {report.sectors_created} sector(s) created."
                    if report.sectors_created
                    else "."
                )
            )
        )

    def sector_mapping(self, rows, *, create_sectors: bool, map_sector) -> dict[str, str]:
        """The answer for each sector the controlled list lacks (the admin's same check);
        without one, those sectors are errors of their rows, as they always were."""
        mapping = {}
        for item in map_sector:
            name, sep, slug = item.partition("=")
            if not sep or not name.strip() or not slug.strip():
                raise CommandError(f"--map-sector: “{item}” is not NAME=SLUG.")
            mapping[name.strip()] = slug.strip()
        unknown = unknown_sectors(rows)
        if create_sectors:
            for name in unknown:
                mapping.setdefault(name, "")
        answered = [name for name in unknown if name.lower() in {k.lower() for k in mapping}]
        try:
            return check_sector_mapping(mapping, answered)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
