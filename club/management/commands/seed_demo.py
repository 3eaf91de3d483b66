"""Load the demo content of the whole site, idempotently: the club's pages first, then each
app's ``<app>/demo.py`` ``seed(*, home, log)`` that exists, in a fixed order."""

import importlib

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from club.demo import seed_club

APP_SEEDS = ["members", "events", "forum"]


class Command(BaseCommand):
    help = "Load the club's demo content (idempotent: running it again changes nothing)."

    def handle(self, *args, **options):
        verbosity = options["verbosity"]

        def log(message: str) -> None:
            if verbosity:
                self.stdout.write(f"  {message}")

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
        if verbosity:
            self.stdout.write(self.style.SUCCESS("Demo content loaded."))
