"""Background work of the members app: the daily label and certification reminders, and
imports of ECCP exports confirmed in the admin."""

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


class RegisterRemindersNotSent(Exception):
    """Some certification reminders could not be sent; the task's retry sends them."""


@task()
def send_register_reminders() -> int:
    """The daily job: e-mail certified tutors and instructors, and staff, 60 and 14 days
    before a certification expires (each reminder recorded, never sent twice)."""
    from members import services

    run = services.send_register_reminders(today=timezone.localdate())
    if run.failed:
        raise RegisterRemindersNotSent(f"{run.sent} sent; " + "; ".join(run.failed))
    return run.sent


@task()
def run_organisation_import(import_id: int) -> str:
    """Import a confirmed upload (``members.importing.run_import``); returns its status."""
    from members import importing

    return importing.run_import(import_id=import_id)


@task()
def send_coadmin_invitation(*, invitation_id: int) -> bool:
    """E-mail an invitation to co-administer an organisation, with the link to answer it,
    in the invitee's language (the site's for an address without an account). False when
    the invitation is gone or already answered."""
    from members import emails

    return emails.send_coadmin_invitation(invitation_id=invitation_id)


@task()
def send_organisation_request_decision(*, request_id: int) -> bool:
    """E-mail the member who asked to create or claim an organisation what staff decided,
    in their language."""
    from members import emails

    return emails.send_organisation_request_decision(request_id=request_id)
