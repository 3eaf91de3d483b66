"""``manage.py send_label_reminders``: e-mail co-admins 90 and 30 days before a label expires.

Run it daily (cron, a systemd timer). Each reminder is recorded, so running it twice, or
from two machines at once, never sends the same reminder twice; a day missed is caught
up on the next run.
"""

import datetime
import smtplib

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

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
        due = services.labels_due_for_reminder(today=today)
        sent = 0
        failed: list[str] = []
        for label, days_before in tqdm(
            due,
            desc="Reminders",
            unit="label",
            file=self.stderr,
            disable=options["verbosity"] == 0 or not due,
        ):
            try:
                if services.label_reminder_send(label=label, days_before=days_before, today=today):
                    sent += 1
            except (OSError, smtplib.SMTPException) as error:
                # The reminder was rolled back, so the next run tries again.
                failed.append(f"{label.organisation}: {error}")
        self.stdout.write(
            f"{sent} reminder(s) sent, {len(due) - sent - len(failed)} not needed "
            "(no co-admin with an e-mail address, or sent meanwhile)."
        )
        if failed:
            raise CommandError(
                f"{len(failed)} reminder(s) could not be sent and will be retried: "
                + "; ".join(failed)
            )
