"""E-mail confirmed attendees of the events that start within the next day.

The task workers run the same job every hour by themselves (``events.tasks``); this
command runs it now, by hand. Idempotent: each registration is reminded once
(``reminder_sent_at``), so a second run sends nothing new.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from events import services


class Command(BaseCommand):
    help = "Send the reminder e-mail to attendees of events starting within the next day."

    def add_arguments(self, parser):
        parser.add_argument(
            "--hours",
            type=int,
            default=services.REMINDER_HOURS,
            help="Remind about events starting within this many hours (1-168; default 24).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Count the reminders without sending."
        )

    def handle(self, *args, hours, dry_run, **options):
        if not 1 <= hours <= 168:
            raise CommandError("--hours must be between 1 and 168.")
        try:
            if dry_run:
                due = services.registrations_due_for_reminder(hours=hours).count()
                self.stdout.write(f"{due} reminder(s) due; none sent (dry run).")
                return
            run = services.send_event_reminders(hours=hours)
        except DatabaseError as error:
            raise CommandError(f"send_event_reminders: the database refused ({error}).") from error
        for line in run.failed:
            self.stderr.write(line)
        self.stdout.write(f"{run.sent} reminder(s) sent.")
