"""E-mail confirmed attendees of the events that start within the next day.

Idempotent: each registration is reminded once (``reminder_sent_at``), so the command can
run every hour from cron and a second run sends nothing new.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.utils import timezone
from tqdm import tqdm

from events import emails
from events.models import Registration


class Command(BaseCommand):
    help = "Send the reminder e-mail to attendees of events starting within the next day."

    def add_arguments(self, parser):
        parser.add_argument(
            "--hours",
            type=int,
            default=24,
            help="Remind about events starting within this many hours (1-168; default 24).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Count the reminders without sending."
        )

    def handle(self, *args, hours, dry_run, **options):
        if not 1 <= hours <= 168:
            raise CommandError("--hours must be between 1 and 168.")
        now = timezone.now()
        due = Registration.objects.filter(
            status=Registration.Status.CONFIRMED,
            reminder_sent_at__isnull=True,
            event__live=True,
            event__start__gt=now,
            event__start__lte=now + timedelta(hours=hours),
        ).select_related("event", "member__user")
        try:
            pending = list(due)
        except DatabaseError as error:
            raise CommandError(f"send_event_reminders: the database refused ({error}).") from error
        if dry_run:
            self.stdout.write(f"{len(pending)} reminder(s) due; none sent (dry run).")
            return
        sent = 0
        for registration in tqdm(
            pending, desc="reminders", unit="mail", disable=options["verbosity"] < 1 or not pending
        ):
            # Claim the row first: two overlapping runs never remind the same person twice.
            claimed = Registration.objects.filter(
                pk=registration.pk, reminder_sent_at__isnull=True
            ).update(reminder_sent_at=timezone.now())
            if not claimed:
                continue
            try:
                delivered = emails.send_reminder(registration)
            except Exception as error:  # noqa: BLE001 - one bad address must not stop the run
                Registration.objects.filter(pk=registration.pk).update(reminder_sent_at=None)
                self.stderr.write(f"registration {registration.pk}: not sent ({error})")
                continue
            sent += int(delivered)
        self.stdout.write(f"{sent} reminder(s) sent.")
