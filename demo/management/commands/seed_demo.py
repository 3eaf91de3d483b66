"""Load the demo content of the whole site, idempotently, from the data files of
``demo/data/`` (or of the folder given with ``--data``) through ``demo.loader``."""

import logging
from contextlib import contextmanager
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from demo.loader import DATA_DIR, DemoDataError, load_demo

# Loggers that report every page saved and every background task: their lines would bury
# the command's own progress unless asked for with -v 2.
CHATTY_LOGGERS = ["wagtail", "django_tasks"]


@contextmanager
def quiet_loggers(names: list[str]):
    loggers = [logging.getLogger(name) for name in names]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


class Command(BaseCommand):
    help = "Load the club's demo content (idempotent: running it again changes nothing)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--data",
            type=Path,
            default=DATA_DIR,
            help=f"the folder of the demo's data files (default: {DATA_DIR})",
        )

    def handle(self, *args, **options):
        verbosity = options["verbosity"]

        def log(message: str) -> None:
            if verbosity:
                self.stdout.write(f"  {message}")

        with quiet_loggers(CHATTY_LOGGERS if verbosity < 2 else []):
            try:
                load_demo(log=log, data_dir=options["data"])
            except DemoDataError as error:
                raise CommandError(f"seed_demo: {error}") from error
            except DatabaseError as error:
                raise CommandError(
                    f"seed_demo: the database refused the demo content ({error}); "
                    "is it migrated (`manage.py migrate`)?"
                ) from error
        if verbosity:
            self.stdout.write(self.style.SUCCESS("Demo content loaded."))
