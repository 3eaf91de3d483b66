"""Background work of the privacy app: building exports, its e-mails, the retention job.

Tasks take ids and read the rows again when they run: an export whose account was erased
meanwhile is gone, and then there is nothing to do.
"""

from django_tasks import task

from taskqueue.tasks import enqueue


@task()
def build_export(*, export_id: int) -> bool:
    from privacy import services

    return services.build_export(export_id=export_id)


@task()
def send_export_ready_email(*, export_id: int) -> bool:
    from privacy import emails

    return emails.send_export_ready(export_id=export_id)


@task()
def send_deletion_email(*, user_id: int) -> bool:
    from privacy import emails

    return emails.send_deletion_scheduled(user_id=user_id)


@task()
def apply_retention() -> dict:
    """The hourly job: erasures past their grace period, unverified accounts, expired
    archives and sessions."""
    from privacy import services

    return services.apply_retention()


def enqueue_build_export(*, export) -> None:
    enqueue(build_export, export_id=export.pk)


def enqueue_export_ready_email(*, export) -> None:
    enqueue(send_export_ready_email, export_id=export.pk)


def enqueue_deletion_email(*, user) -> None:
    enqueue(send_deletion_email, user_id=user.pk)
