"""Background work of the events app: the registration e-mails (members' and guests'),
the hourly reminders and the daily erasure of past events' guests.

Tasks take ids and read the rows again when they run: the registration may have changed
or gone meanwhile (then there is nothing to send).
"""

from django_tasks import task

from events import emails
from taskqueue.tasks import enqueue


class RemindersNotSent(Exception):
    """Some reminders could not be sent; the task's retry sends them."""


@task()
def send_registration_email(*, registration_id: int, kind: str) -> bool:
    """Send the ``kind`` e-mail (a key of ``emails.MAILS``) of a registration.

    False when the registration is gone or its member has no address. An error of the
    mail backend is raised, so that the worker tries again later.
    """
    registration = emails.load_registration(registration_id)
    if registration is None:
        return False
    return emails.send_mail_of_kind(kind, registration)


def email_registration(*, registration, kind: str) -> None:
    """Enqueue the ``kind`` e-mail of ``registration`` in the current transaction."""
    if kind not in emails.MAILS:
        raise ValueError(f"unknown registration e-mail: {kind!r}")
    enqueue(send_registration_email, registration_id=registration.pk, kind=kind)


@task()
def send_guest_email(*, guest_id: int, kind: str) -> bool:
    """Send the ``kind`` e-mail (a key of ``emails.GUEST_MAILS``) to a guest, in the
    guest's language. False when the guest's registration is gone (erased)."""
    guest = emails.load_guest(guest_id)
    if guest is None:
        return False
    return emails.send_guest_mail(kind, guest)


def email_guest(*, guest, kind: str) -> None:
    """Enqueue the ``kind`` e-mail of a guest's registration in the current transaction."""
    if kind not in emails.GUEST_MAILS:
        raise ValueError(f"unknown guest e-mail: {kind!r}")
    enqueue(send_guest_email, guest_id=guest.pk, kind=kind)


@task()
def erase_expired_guests() -> int:
    """The daily job: erase guests' registrations some time after their event ended."""
    from events import guests

    return guests.erase_expired_guests()


@task()
def send_event_reminders() -> int:
    """The hourly job: remind attendees of the events that start within a day (once each)."""
    from events import services

    run = services.send_event_reminders()
    if run.failed:
        raise RemindersNotSent(f"{run.sent} sent; " + "; ".join(run.failed))
    return run.sent


@task()
def send_attendee_message(*, message_id: int, registration_id: int) -> bool:
    """Send one recipient their copy of an organiser's message (``AttendeeMessage``).

    False when the message or the registration is gone, or the registrant has left the
    audience meanwhile (cancelled, or moved off the waitlist for a message to the waitlist).
    """
    from events.models import AttendeeMessage
    from events.services import MESSAGE_AUDIENCES

    message = AttendeeMessage.objects.filter(pk=message_id).first()
    registration = emails.load_registration(registration_id)
    if message is None or registration is None:
        return False
    if registration.status not in MESSAGE_AUDIENCES[message.audience]:
        return False
    return emails.send_attendee_message(message, registration)


def email_attendee_message(*, message, registration_id: int) -> None:
    """Enqueue the mail of ``message`` to one registration in the current transaction."""
    enqueue(send_attendee_message, message_id=message.pk, registration_id=registration_id)
