"""Background work of the members app: the daily quality-label reminders."""

from django.utils import timezone
from django_tasks import task


class LabelRemindersNotSent(Exception):
    """Some label reminders could not be sent; the task's retry sends them."""


@task()
def send_label_reminders() -> int:
    """The daily job: e-mail co-admins 90 and 30 days before their label expires (each
    reminder recorded, never sent twice)."""
    from members import services

    run = services.send_label_reminders(today=timezone.localdate())
    if run.failed:
        raise LabelRemindersNotSent(f"{run.sent} sent; " + "; ".join(run.failed))
    return run.sent
