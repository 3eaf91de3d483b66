"""Actions that change registrations. Views, the API, the admin and commands call these.

The invariant: an event never has more confirmed (or attended) registrations than seats.
Every action that takes or frees a seat first locks the event's row with
``select_for_update`` and counts again under that lock, so concurrent requests for the
same event are decided one after another, whatever the number of processes.
E-mails are enqueued in the same transaction (``events.tasks``): a registration that
rolls back sends nothing, one that commits always has its e-mail task. Signals go out
after the commit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from domain.exceptions import Conflict
from events import emails, tasks
from events.models import (
    SEAT_STATUSES,
    AttendeeMessage,
    EventPage,
    EventSession,
    GuestRegistration,
    Registration,
    RegistrationQuestion,
    TicketType,
    new_ticket_code,
    seats_taken_count,
)
from events.signals import registration_changed
from members.models import MemberProfile, Membership

MAX_TEXT_ANSWER = 2000


def lock_event_seats(event: EventPage) -> EventPage:
    """Lock the event's own row until the end of the transaction and return it fresh
    (``EventPage.objects.locked_for_seats``, the lock every change to its seats takes).

    The same query tells whether the event has ticket types (``has_ticket_types``), so
    an event without them pays nothing more for them. Ticket types have no lock of their
    own: every change to their seats happens under this one.
    """
    return EventPage.objects.annotate(
        has_ticket_types=Exists(TicketType.objects.filter(event=OuterRef("pk")))
    ).locked_for_seats(event.pk)


def has_free_seat(event: EventPage, ticket_type: TicketType | None = None) -> bool:
    """A seat is free when the event has one and, for a ticket type, the ticket type has
    one too. Members and confirmed guests count alike. The caller holds the event lock."""
    if event.capacity is not None and seats_taken_count(event=event) >= event.capacity:
        return False
    if ticket_type is not None and ticket_type.capacity is not None:
        return seats_taken_count(ticket_type=ticket_type) < ticket_type.capacity
    return True


def _next_position(event: EventPage, ticket_type: TicketType | None = None) -> int:
    """The next place on the waitlist of ``ticket_type`` (each has its own queue)."""
    last = (
        Registration.objects.filter(
            event=event, ticket_type=ticket_type, status=Registration.Status.WAITLISTED
        )
        .order_by("-position")
        .values_list("position", flat=True)
        .first()
    )
    return (last or 0) + 1


def resolve_ticket_type(*, event: EventPage, value: object) -> TicketType | None:
    """The ticket type ``value`` (a ``TicketType`` or its id) of ``event``, or None for
    no value. Raises ``ValidationError({"ticket_type": ...})`` for anything else."""
    if value is None or value == "":
        return None
    if isinstance(value, TicketType):
        value = value.pk
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    ticket_type = None
    if isinstance(value, int) and not isinstance(value, bool):
        ticket_type = (
            TicketType.objects.filter(event=event.canonical, pk=value)
            .prefetch_related("questions")
            .first()
        )
    if ticket_type is None:
        raise ValidationError({"ticket_type": [_("This event has no such ticket type.")]})
    return ticket_type


def check_ticket_type(*, ticket_type: TicketType, member: MemberProfile | None) -> None:
    """Raise ``Conflict`` when ``member`` (None: a guest) may not take ``ticket_type``."""
    kinds = TicketType.Kind
    if ticket_type.kind in (kinds.NON_MEMBER, kinds.OTHER):
        return
    allowed = False
    if member is not None:
        if ticket_type.kind == kinds.MEMBER:
            allowed = Membership.objects.filter(
                member=member, status=Membership.Status.APPROVED
            ).exists()
        elif ticket_type.kind == kinds.SPEAKER:
            allowed = EventSession.objects.filter(
                page_id=ticket_type.event_id, speakers=member
            ).exists()
        elif ticket_type.kind == kinds.STAFF:
            allowed = member.user.is_staff
    if not allowed:
        raise Conflict(
            _("The ticket type “%(name)s” is for %(who)s.")
            % {"name": ticket_type.name, "who": ticket_type.get_kind_display().lower()},
            code="ticket_type_not_allowed",
        )


def questions_for(*, event: EventPage, ticket_type: TicketType | None) -> list:
    """The questions a registrant answers: the event's, then those of the ticket type."""
    questions = list(RegistrationQuestion.objects.filter(page=event).order_by("sort_order"))
    if ticket_type is not None:
        questions += list(ticket_type.questions.all())
    return questions


def _require_ticket_type(event: EventPage, ticket_type: TicketType | None) -> None:
    """An event with ticket types needs one chosen; the caller holds the event lock
    (``lock_event_seats`` tells ``has_ticket_types``)."""
    if ticket_type is None and event.has_ticket_types:
        names = ", ".join(f"{t.pk} ({t.name})" for t in TicketType.objects.filter(event=event))
        raise ValidationError({"ticket_type": [_("Choose a ticket type: %s.") % names]})


def _announce(registration: Registration, previous_status: str | None) -> None:
    transaction.on_commit(
        lambda: registration_changed.send(
            sender=Registration, registration=registration, previous_status=previous_status
        )
    )


def validate_answers(*, questions: list[RegistrationQuestion], answers: object) -> dict:
    """Check ``answers`` ({key: value}) against an event's questions; return them cleaned.

    Text answers are strings, choice answers one of the choices, checkbox answers booleans.
    Unanswered optional questions are left out. Raises ``ValidationError`` with one message
    per offending question, keyed ``answers.<key>``; nothing is stored.
    """
    if answers is None:
        answers = {}
    if not isinstance(answers, dict):
        raise ValidationError({"answers": [_("Answers must be an object of key: value.")]})
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, object] = {}
    known = {question.key for question in questions}
    unknown = sorted(str(key) for key in answers if key not in known)
    if unknown:
        errors["answers"] = [_("Unknown question(s): %s.") % ", ".join(unknown)]
    for question in questions:
        value = answers.get(question.key)
        field = f"answers.{question.key}"
        if question.kind == RegistrationQuestion.Kind.CHECKBOX:
            if value is None:
                value = False
            if not isinstance(value, bool):
                errors[field] = [_("Answer true or false.")]
            elif question.required and not value:
                errors[field] = [_("This box must be ticked.")]
            else:
                cleaned[question.key] = value
            continue
        if value is None or (isinstance(value, str) and not value.strip()):
            if question.required:
                errors[field] = [_("This question needs an answer.")]
            continue
        if not isinstance(value, str):
            errors[field] = [_("Answer with text.")]
            continue
        value = value.strip()
        if question.kind == RegistrationQuestion.Kind.CHOICE:
            if value not in question.choice_list:
                errors[field] = [
                    _("Choose one of: %s.") % ", ".join(question.choice_list),
                ]
                continue
        elif len(value) > MAX_TEXT_ANSWER:
            errors[field] = [_("Keep the answer under %d characters.") % MAX_TEXT_ANSWER]
            continue
        cleaned[question.key] = value
    if errors:
        raise ValidationError(errors)
    return cleaned


def check_can_register(*, event: EventPage, member: MemberProfile, now: datetime) -> None:
    """Raise ``Conflict`` (409) when ``member`` may not register for ``event`` now."""
    check_registration_window(event=event, now=now)
    if (
        event.members_only
        and not Membership.objects.filter(member=member, status=Membership.Status.APPROVED).exists()
    ):
        raise Conflict(
            _(
                "This event is for club members: an approved membership of an organisation "
                "is needed."
            ),
            code="members_only",
        )


def check_registration_window(*, event: EventPage, now: datetime) -> None:
    """Raise ``Conflict`` (409) unless ``event`` is published and takes registrations now."""
    if not event.live:
        raise Conflict(_("This event is not published."), code="event_unpublished")
    state = event.registration_state(now=now)
    if state == "past":
        raise Conflict(_("This event has already taken place."), code="event_past")
    if state == "not_yet_open":
        opens = timezone.localtime(event.registration_opens, event.tzinfo)
        raise Conflict(
            _("Registration opens on %s.") % opens.strftime("%Y-%m-%d %H:%M %Z"),
            code="registration_not_open",
        )
    if state == "closed":
        raise Conflict(_("Registration for this event is closed."), code="registration_closed")


def register_for_event(
    *,
    event: EventPage,
    member: MemberProfile,
    answers: object = None,
    ticket_type: TicketType | int | None = None,
) -> tuple[Registration, bool]:
    """Register ``member`` for ``event``; return ``(registration, created)``.

    Confirmed while seats remain (of the event, and of ``ticket_type`` if it has its own
    capacity), otherwise waitlisted at the end of the ticket type's queue. An event with
    ticket types needs one (a ``TicketType`` of the event or its id). A member who already
    holds an active registration gets it back unchanged (``created`` False); one who had
    cancelled is registered again on the same row with a new ticket code.

    Raises ``Conflict`` outside the registration window, for a past or unpublished event,
    for a members-only event without an approved membership, or for a ticket type that is
    not for the member; ``ValidationError`` for an unknown or missing ticket type, or when
    the answers do not fit the questions of the event and the ticket type.

    Locking: takes ``select_for_update`` on the event's row, then re-counts the seats (of
    the event and the ticket type) and the waitlist under that lock, so concurrent
    registrations for one event are decided one at a time and no capacity is exceeded.
    """
    event = event.canonical
    chosen = resolve_ticket_type(event=event, value=ticket_type)
    questions = questions_for(event=event, ticket_type=chosen)
    now = timezone.now()
    with transaction.atomic():
        event = lock_event_seats(event)
        existing = Registration.objects.filter(event=event, member=member).first()
        if existing is not None and existing.status != Registration.Status.CANCELLED:
            return existing, False
        check_can_register(event=event, member=member, now=now)
        _require_ticket_type(event, chosen)
        if chosen is not None:
            # Read again under the lock: its capacity may have changed meanwhile.
            chosen = TicketType.objects.get(pk=chosen.pk)
            check_ticket_type(ticket_type=chosen, member=member)
        cleaned = validate_answers(questions=questions, answers=answers)
        registration = existing or Registration(event=event, member=member)
        previous_status = existing.status if existing else None
        registration.answers = cleaned
        registration.ticket_type = chosen
        registration.checked_in_at = None
        registration.reminder_sent_at = None
        if existing is not None:
            registration.ticket_code = new_ticket_code()
        if has_free_seat(event, chosen):
            registration.status = Registration.Status.CONFIRMED
            registration.position = None
        else:
            registration.status = Registration.Status.WAITLISTED
            registration.position = _next_position(event, chosen)
        registration.save()
        _announce(registration, previous_status)
        if registration.status == Registration.Status.CONFIRMED:
            tasks.email_registration(registration=registration, kind="confirmation")
        else:
            tasks.email_registration(registration=registration, kind="waitlisted")
    return registration, True


def promote_from_waitlist(event: EventPage, *, first: int | None = None) -> list[Registration]:
    """Fill free seats from the heads of the waitlists. The caller holds the event lock.

    Each ticket type has its own queue; a seat goes to the head of the queue of ticket
    type ``first`` (the one whose seat was freed), else to the longest-waiting head whose
    ticket type still has a seat. Registrations without a ticket type form one queue.
    """
    promoted = []
    while has_free_seat(event):
        heads = sorted(
            Registration.objects.filter(
                event=event, status=Registration.Status.WAITLISTED, position=1
            ).select_related("ticket_type"),
            key=lambda head: (head.ticket_type_id != first, head.created, head.pk),
        )
        head = next(
            (
                head
                for head in heads
                if head.ticket_type is None or has_free_seat(event, head.ticket_type)
            ),
            None,
        )
        if head is None:
            break
        _leave_queue(head, new_status=Registration.Status.CONFIRMED)
        promoted.append(head)
    return promoted


def _leave_queue(registration: Registration, *, new_status: str) -> None:
    """Take a waitlisted registration off the queue and close the gap behind it."""
    position = registration.position
    registration.status = new_status
    registration.position = None
    registration.save(update_fields=["status", "position", "updated"])
    Registration.objects.filter(
        event_id=registration.event_id,
        ticket_type_id=registration.ticket_type_id,
        status=Registration.Status.WAITLISTED,
        position__gt=position,
    ).update(position=F("position") - 1)
    _announce(registration, Registration.Status.WAITLISTED)


def cancel_registration(*, registration: Registration) -> list[Registration]:
    """Cancel ``registration`` (confirmed or waitlisted); return the members promoted.

    A freed seat goes to the first waitlisted member in the same transaction; the positions
    behind are renumbered. The cancelled member gets a cancellation e-mail and each promoted
    member a promotion e-mail (with the calendar file), enqueued in the same transaction.
    Cancelling an already cancelled registration changes nothing. Raises ``Conflict`` once
    the event has ended or the member has attended.

    Locking: takes ``select_for_update`` on the event's row and re-reads the registration
    under it, so a freed seat is handed to exactly one waitlisted member.
    """
    with transaction.atomic():
        event = lock_event_seats(registration.event)
        current = Registration.objects.get(pk=registration.pk)
        if current.status == Registration.Status.CANCELLED:
            registration.refresh_from_db()
            return []
        if current.status == Registration.Status.ATTENDED:
            raise Conflict(_("You have already attended this event."), code="attended")
        if event.is_past():
            raise Conflict(_("This event has already taken place."), code="event_past")
        promoted: list[Registration] = []
        if current.status == Registration.Status.WAITLISTED:
            _leave_queue(current, new_status=Registration.Status.CANCELLED)
        else:
            current.status = Registration.Status.CANCELLED
            current.save(update_fields=["status", "updated"])
            _announce(current, Registration.Status.CONFIRMED)
            promoted = promote_from_waitlist(event, first=current.ticket_type_id)
        tasks.email_registration(registration=current, kind="cancellation")
        for registration_promoted in promoted:
            tasks.email_registration(registration=registration_promoted, kind="promotion")
    registration.refresh_from_db()
    return promoted


def leave_waitlist(*, registration: Registration) -> None:
    """Take a waitlisted member off the waitlist; the positions behind move up.

    Raises ``Conflict`` when the registration is not on the waitlist. Locks the event's
    row like ``cancel_registration``.
    """
    with transaction.atomic():
        lock_event_seats(registration.event)
        current = Registration.objects.get(pk=registration.pk)
        if current.status != Registration.Status.WAITLISTED:
            raise Conflict(_("This registration is not on the waitlist."), code="not_waitlisted")
        _leave_queue(current, new_status=Registration.Status.CANCELLED)
        tasks.email_registration(registration=current, kind="cancellation")
    registration.refresh_from_db()


def fill_from_waitlist(*, event: EventPage) -> list[Registration]:
    """Confirm waitlisted members while seats are free (after a capacity increase).

    Locks the event's row; returns the promoted registrations, each e-mailed by a task
    enqueued in the same transaction.
    """
    with transaction.atomic():
        event = lock_event_seats(event.canonical)
        promoted = promote_from_waitlist(event)
        for registration in promoted:
            tasks.email_registration(registration=registration, kind="promotion")
    return promoted


def change_capacity(*, event: EventPage, capacity: int | None) -> EventPage:
    """Set the number of seats of ``event`` (None: unlimited) and return the event.

    Refused with ``ValidationError({"capacity": ...})`` for a number that is not a whole
    number of zero or more, or below the seats already taken (``EventPage.check_capacity``):
    lowering a capacity never overbooks an event. Seats that a larger capacity frees go to
    the waitlist, in the same transaction.

    Locking: takes the event's row lock, as ``register_for_event`` does, and counts under
    it; a registration that confirms meanwhile is counted, one that comes later sees the
    new capacity. The live row changes, as for any other write of the service; editors'
    revisions keep what they wrote, and publishing one is checked the same way.
    """
    if capacity is not None and (
        isinstance(capacity, bool) or not isinstance(capacity, int) or capacity < 0
    ):
        raise ValidationError({"capacity": [_("Give a whole number of seats, or none.")]})
    with transaction.atomic():
        locked = lock_event_seats(event.canonical)
        locked.capacity = capacity
        locked.save(update_fields=["capacity"])
        promoted = promote_from_waitlist(locked)
        for registration in promoted:
            tasks.email_registration(registration=registration, kind="promotion")
    return locked


def normalise_ticket_code(code: object) -> str:
    if not isinstance(code, str):
        return ""
    return "".join(code.split()).replace("-", "").upper()[:32]


def check_in(*, ticket_code: str, event: EventPage | None = None) -> Registration:
    """Mark the confirmed registration with ``ticket_code`` as attended and return it.

    ``event`` (optional) is the event of the check-in desk: a ticket of another event is
    refused (``Conflict`` with code ``other_event``) and stays as it was. Raises
    ``ValidationError`` for an empty or unknown code and ``Conflict`` for a ticket that was
    already used (``already_checked_in``), or that belongs to a cancelled
    (``cancelled``) or waitlisted (``waitlisted``) registration. Locks the registration's
    row so that two desks scanning one ticket check it in once.
    """
    code = normalise_ticket_code(ticket_code)
    if not code:
        raise ValidationError({"ticket_code": [_("Type or scan a ticket code.")]})
    desk_event = event.canonical if event is not None else None
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update(of=("self",))
            .select_related("event", "member__user")
            .filter(ticket_code=code)
            .first()
        )
        if registration is None:
            raise ValidationError({"ticket_code": [_("No registration has this ticket code.")]})
        if desk_event is not None and registration.event_id != desk_event.pk:
            raise Conflict(
                _("This ticket is for %(event)s, not for this event.")
                % {"event": registration.event.title},
                code="other_event",
            )
        if registration.status == Registration.Status.ATTENDED:
            raise Conflict(
                _("This ticket was already checked in at %s.") % checked_in_time(registration),
                code="already_checked_in",
            )
        if registration.status != Registration.Status.CONFIRMED:
            raise Conflict(
                _("This registration is %s, not confirmed.") % registration.get_status_display(),
                code=registration.status,
            )
        registration.status = Registration.Status.ATTENDED
        registration.checked_in_at = timezone.now()
        registration.save(update_fields=["status", "checked_in_at", "updated"])
        _announce(registration, Registration.Status.CONFIRMED)
    return registration


def checked_in_time(registration: Registration | GuestRegistration) -> str:
    """When ``registration`` (or a guest) was checked in, on the clock of its event's venue."""
    if registration.checked_in_at is None:
        return ""
    return registration.checked_in_at.astimezone(registration.event.tzinfo).strftime("%H:%M")


#: What scanning a ticket at an event's desk can answer.
SCAN_RESULTS = (
    "checked_in",
    "already_checked_in",
    "other_event",
    "cancelled",
    "waitlisted",
    "unknown",
)


@dataclass(frozen=True)
class Scan:
    """The answer to a scanned ticket: ``result`` (one of ``SCAN_RESULTS``), a sentence
    for the desk, and the registration (None for an unknown code)."""

    result: str
    message: str
    registration: Registration | None = None
    guest: GuestRegistration | None = None

    @property
    def admitted(self) -> bool:
        return self.result == "checked_in"

    @property
    def attendee_name(self) -> str:
        if self.registration is not None:
            return self.registration.member.name
        return self.guest.name if self.guest is not None else ""


def scan_ticket(*, event: EventPage, ticket_code: object) -> Scan:
    """Check in ``ticket_code`` at the desk of ``event``; every outcome is an answer.

    The desk page and the scanning app's API both call this: a ticket that is checked in,
    already used, of another event, cancelled, waitlisted or unknown is a ``Scan`` to show,
    not an error. Only a missing or empty code raises ``ValidationError``. Locking as
    ``check_in``.
    """
    if not isinstance(ticket_code, str) or not normalise_ticket_code(ticket_code):
        raise ValidationError({"ticket_code": [_("Type or scan a ticket code.")]})
    code = normalise_ticket_code(ticket_code)
    try:
        registration = check_in(ticket_code=code, event=event)
    except ValidationError as error:
        return _scan_guest_ticket(event=event, code=code) or Scan(
            "unknown", " ".join(error.messages)
        )
    except Conflict as conflict:
        found = (
            Registration.objects.select_related("event", "member__user")
            .filter(ticket_code=code)
            .first()
        )
        return Scan(conflict.code, conflict.message, found)
    return Scan(
        "checked_in",
        _("%(name)s is checked in for %(event)s.")
        % {"name": registration.member.name, "event": registration.event.title},
        registration,
    )


def _scan_guest_ticket(*, event: EventPage, code: str) -> Scan | None:
    """The scan of a guest's ticket (a guest without an account, confirmed by e-mail), or
    None when no guest has ``code``. Locks the guest's row: two desks admit them once."""
    with transaction.atomic():
        guest = (
            GuestRegistration.objects.select_for_update(of=("self",))
            .select_related("event")
            .filter(ticket_code=code)
            .first()
        )
        if guest is None:
            return None
        if guest.event_id != event.canonical.pk:
            message = _("This ticket is for %(event)s, not for this event.") % {
                "event": guest.event.title
            }
            return Scan("other_event", message, guest=guest)
        if guest.status != GuestRegistration.Status.CONFIRMED:
            return Scan("cancelled", _("This registration was cancelled."), guest=guest)
        if guest.checked_in_at is not None:
            message = _("This ticket was already checked in at %s.") % checked_in_time(guest)
            return Scan("already_checked_in", message, guest=guest)
        guest.checked_in_at = timezone.now()
        guest.save(update_fields=["checked_in_at", "updated"])
    message = _("%(name)s is checked in for %(event)s.") % {
        "name": guest.name,
        "event": guest.event.title,
    }
    return Scan("checked_in", message, guest=guest)


def set_status(*, registration: Registration, status: str) -> Registration:
    """The admin's status actions: confirm (from the waitlist, if a seat is free), mark
    attended, or cancel. Raises ``Conflict`` when the change would overbook or makes no
    sense. Locks the event's row.
    """
    if status == Registration.Status.CANCELLED:
        cancel_registration(registration=registration)
        return registration
    if status == Registration.Status.ATTENDED:
        return check_in(ticket_code=registration.ticket_code)
    if status == Registration.Status.CONFIRMED:
        with transaction.atomic():
            event = lock_event_seats(registration.event)
            current = Registration.objects.get(pk=registration.pk)
            if current.status == Registration.Status.CONFIRMED:
                return current
            if current.status != Registration.Status.WAITLISTED:
                raise Conflict(_("Only a waitlisted registration can be confirmed."))
            if not has_free_seat(event, current.ticket_type):
                raise Conflict(_("The event is full."), code="full")
            _leave_queue(current, new_status=Registration.Status.CONFIRMED)
            tasks.email_registration(registration=current, kind="promotion")
        registration.refresh_from_db()
        return registration
    raise ValidationError({"status": [_("Unknown status.")]})


# --- reminders -----------------------------------------------------------------------------

REMINDER_HOURS = 24


@dataclass
class ReminderRun:
    sent: int = 0
    failed: list[str] = field(default_factory=list)


def registrations_due_for_reminder(*, hours: int = REMINDER_HOURS, now: datetime | None = None):
    """Confirmed registrations, not yet reminded, of live events starting within ``hours``."""
    now = now or timezone.now()
    return Registration.objects.filter(
        status=Registration.Status.CONFIRMED,
        reminder_sent_at__isnull=True,
        event__live=True,
        event__start__gt=now,
        event__start__lte=now + timedelta(hours=hours),
    ).select_related("event", "member__user")


def send_event_reminders(*, hours: int = REMINDER_HOURS) -> ReminderRun:
    """E-mail the reminder to each registration due for one, once each.

    Each row is claimed (``reminder_sent_at``) before its e-mail is sent, so two runs at
    once never remind the same person twice; a failed send gives the claim back, so the
    next run (or the task's retry) tries again. Failures are returned, not raised.
    """
    run = ReminderRun()
    for registration in list(registrations_due_for_reminder(hours=hours)):
        claimed = Registration.objects.filter(
            pk=registration.pk, reminder_sent_at__isnull=True
        ).update(reminder_sent_at=timezone.now())
        if not claimed:
            continue
        try:
            delivered = emails.send_reminder(registration)
        except Exception as error:  # noqa: BLE001 - one bad address must not stop the run
            Registration.objects.filter(pk=registration.pk).update(reminder_sent_at=None)
            run.failed.append(f"registration {registration.pk}: not sent ({error})")
            continue
        run.sent += int(delivered)
    return run


# --- messages to attendees -------------------------------------------------------------------

MESSAGE_AUDIENCES = {
    AttendeeMessage.Audience.CONFIRMED: SEAT_STATUSES,
    AttendeeMessage.Audience.WAITLISTED: (Registration.Status.WAITLISTED,),
}


def message_recipients(*, event: EventPage, audience: str):
    """The registrations a message to ``audience`` of ``event`` goes to: confirmed (and
    checked-in) attendees, or the waitlist, whose account has an e-mail address."""
    return (
        Registration.objects.filter(event=event.canonical, status__in=MESSAGE_AUDIENCES[audience])
        .exclude(member__user__email="")
        .order_by("pk")
    )


def send_message_to_attendees(
    *, event: EventPage, audience: str, subject: str, body: str, sender
) -> AttendeeMessage:
    """Write ``subject`` and ``body`` to the ``audience`` of ``event`` and return the record.

    One e-mail per recipient is enqueued in the same transaction as the record
    (``events.tasks.send_attendee_message``): a send that rolls back leaves neither record
    nor mail. Each mail is framed in its recipient's language; the text is sent as written.
    Raises ``ValidationError`` for an unknown audience or an empty or too long text. No
    lock: a registration that changes while the message is written may or may not get it,
    and the task skips a recipient who has left the audience by the time it runs.
    """
    errors: dict[str, list[str]] = {}
    if audience not in MESSAGE_AUDIENCES:
        errors["audience"] = [_("Choose the confirmed attendees or the waitlist.")]
    subject = subject.strip() if isinstance(subject, str) else ""
    body = body.strip() if isinstance(body, str) else ""
    if not subject:
        errors["subject"] = [_("Write a subject.")]
    elif len(subject) > 200:
        errors["subject"] = [_("Keep the subject under %d characters.") % 200]
    if not body:
        errors["body"] = [_("Write the message.")]
    elif len(body) > 10000:
        errors["body"] = [_("Keep the message under %d characters.") % 10000]
    if errors:
        raise ValidationError(errors)
    event = event.canonical
    with transaction.atomic():
        recipients = list(
            message_recipients(event=event, audience=audience).values_list("pk", flat=True)
        )
        message = AttendeeMessage.objects.create(
            event=event,
            audience=audience,
            subject=subject,
            body=body,
            sent_by=sender,
            recipient_count=len(recipients),
        )
        for registration_id in recipients:
            tasks.email_attendee_message(message=message, registration_id=registration_id)
    return message
