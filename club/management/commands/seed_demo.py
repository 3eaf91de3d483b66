"""Placeholder replaced by the demo-content loader of the editorial pages."""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Load the club's demo content (idempotent)."

    def handle(self, *args, **options):
        self.stdout.write("No demo content yet.")
