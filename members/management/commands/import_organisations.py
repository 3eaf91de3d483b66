"""``manage.py import_organisations FILE``: organisations from an ECCP export, all or nothing.

The accepted CSV and JSON shapes are described in ``members/importing.py``.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from members.importing import ImportFileError, apply_rows, read_rows, validate_rows


class Command(BaseCommand):
    help = (
        "Import cluster organisations from an ECCP export (.csv or .json). Every row is "
        "validated first; one bad row imports nothing. Rows match stored organisations by "
        "ECCP identifier, so re-running the same file changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="path to the .csv or .json export")
        parser.add_argument("--dry-run", action="store_true", help="validate only; write nothing")

    def handle(self, *args, file, dry_run=False, **options):
        try:
            rows = read_rows(Path(file))
        except ImportFileError as error:
            raise CommandError(str(error)) from None
        if not rows:
            raise CommandError(f"{Path(file).name}: holds no organisations.")
        quiet = options["verbosity"] == 0
        with tqdm(
            total=len(rows), desc="Validating", unit="row", file=self.stderr, disable=quiet
        ) as bar:
            cleaned, errors = validate_rows(rows, progress=bar)
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
                f"{report.created} created, {report.updated} updated, {report.unchanged} unchanged."
            )
        )
