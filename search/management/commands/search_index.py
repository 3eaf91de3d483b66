"""``manage.py search_index --rebuild``: rebuilds every search index, with a progress bar."""

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from search.engines.base import indexing_engines


class Command(BaseCommand):
    help = (
        "Rebuilds the organisations' search index: the database engine's entries always, and "
        "the Elasticsearch index when ELASTICSEARCH_URL is set. Searches keep answering "
        "from the old index until the new one is complete. Without --engine, Wagtail's page "
        "index (pages and events) is rebuilt too."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--rebuild", action="store_true", help="Rebuild the index from the database."
        )
        parser.add_argument(
            "--engine",
            choices=["all", "database", "elasticsearch"],
            default="all",
            help="Rebuild only this engine's index (default: every configured one).",
        )

    def handle(self, *args, rebuild=False, engine="all", verbosity=1, **options):
        if not rebuild:
            raise CommandError("Nothing to do: pass --rebuild to rebuild the search index.")
        engines = [e for e in indexing_engines() if engine in ("all", e.name)]
        if not engines:
            raise CommandError(
                f"The {engine} engine is not configured (set ELASTICSEARCH_URL to use it)."
            )
        for search_engine in engines:
            if not search_engine.is_available():
                raise CommandError(f"The {search_engine.name} search engine cannot be reached.")
            with tqdm(
                total=search_engine.count_for_progress(),
                desc=search_engine.name,
                unit="organisation",
                file=self.stderr,
                disable=verbosity == 0,
            ) as bar:
                count = search_engine.rebuild(progress=bar.update)
            self.stdout.write(f"{search_engine.name}: {count} organisations indexed.")
        if engine == "all":
            # Pages and events live in Wagtail's index (database or Elasticsearch, as
            # configured): rebuilding "every index" includes it.
            call_command(
                "update_index", stdout=self.stdout, stderr=self.stderr, verbosity=verbosity
            )
