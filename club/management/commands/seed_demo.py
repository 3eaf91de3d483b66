"""Load the demo content of the whole site, idempotently: the club's pages first, then each
app's ``<app>/demo.py`` ``seed(*, home, log)`` that exists, in a fixed order."""

import importlib
import logging
from contextlib import contextmanager

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from club.demo import seed_club

APP_SEEDS = ["members", "events", "forum"]
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

    def handle(self, *args, **options):
        verbosity = options["verbosity"]

        def log(message: str) -> None:
            if verbosity:
                self.stdout.write(f"  {message}")

        with quiet_loggers(CHATTY_LOGGERS if verbosity < 2 else []):
            self.seed_all(log)
        if verbosity:
            self.stdout.write(self.style.SUCCESS("Demo content loaded."))

    def seed_all(self, log) -> None:
        try:
            log("club: editorial pages, documents, snippets")
            home = seed_club(log=log)
            for app in APP_SEEDS:
                module_name = f"{app}.demo"
                try:
                    module = importlib.import_module(module_name)
                except ModuleNotFoundError as error:
                    if error.name == module_name:
                        continue
                    raise
                log(f"{app}: demo content")
                module.seed(home=home, log=log)
        except DatabaseError as error:
            raise CommandError(
                f"seed_demo: the database refused the demo content ({error}); "
                "is it migrated (`manage.py migrate`)?"
            ) from error
