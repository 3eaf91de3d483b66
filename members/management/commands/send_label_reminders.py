"""``manage.py send_label_reminders``: e-mail co-admins 90 and 30 days before a label expires.

The task workers run the same job daily by themselves (``members.tasks``); this command
runs it now, by hand, or for another day (``--today``). Each reminder is recorded, so
running it twice, or from two machines at once, never sends the same reminder twice; a
day missed is caught up on the next run.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from members import services


class Command(BaseCommand):
    help = "E-mail the co-admins of organisations whose quality label expires in 90 or 30 days."

    def add_arguments(self, parser):
        parser.add_argument(
            "--today",
            help="the date to act as today (YYYY-MM-DD); for catching up or testing",
        )

    def handle(self, *args, today=None, **options):
        if today:
            try:
                today = datetime.date.fromisoformat(today)
            except ValueError:
                raise CommandError(f"--today: “{today}” is not a date like 2026-01-31.") from None
        else:
            today = timezone.localdate()
        run = services.send_label_reminders(today=today)
        self.stdout.write(
            f"{run.sent} reminder(s) sent, {run.due - run.sent - len(run.failed)} not needed "
            "(no co-admin with an e-mail address, or sent meanwhile)."
        )
        if run.failed:
            raise CommandError(
                f"{len(run.failed)} reminder(s) could not be sent and will be retried: "
                + "; ".join(run.failed)
            )
