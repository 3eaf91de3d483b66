"""Actions on guests' registrations: people without an account at events that take guests.

A guest asks for a seat with a name, an e-mail address, an organisation and the answers to
the organiser's questions; the request holds no seat. The e-mail (in the guest's language,
enqueued in the request's transaction) carries a link: confirming it takes a seat under
the event's lock, counted with the members' seats, or answers that the event is full. The
link works for ``GUEST_CONFIRMATION_HOURS``; a request not confirmed by then is erased. A
confirmed guest cancels through the link of the confirmation e-mail, and the freed seat
goes to the waitlist as a member's would. Guests join no waitlist themselves.

Every answer to a request is the same ("check your inbox"), whether the address was new,
pending or already confirmed: the form tells nobody who is registered.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from domain.exceptions import Conflict
from events import services, tasks
from events.models import EventPage, GuestRegistration, TicketType, new_ticket_code
from events.signals import seats_changed

MAX_NAME = 200


class InvalidGuestLink(Exception):
    """The link's token names no guest registration (mistyped, or erased since)."""


def _clean_details(*, name: object, email: object, organisation: object) -> dict:
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, str] = {}
    for field, value, required in (
        ("name", name, True),
        ("email", email, True),
        ("organisation", organisation, False),
    ):
        if value is None:
            value = ""
        if not isinstance(value, str):
            errors[field] = [_("Answer with text.")]
            continue
        value = " ".join(value.split())
        if required and not value:
            errors[field] = [_("This field is required.")]
        elif len(value) > MAX_NAME:
            errors[field] = [_("Keep it under %d characters.") % MAX_NAME]
        cleaned[field] = value
    if "email" in cleaned and cleaned["email"] and "email" not in errors:
        try:
            validate_email(cleaned["email"])
        except ValidationError:
            errors["email"] = [_("Enter a valid e-mail address.")]
        cleaned["email"] = cleaned["email"].lower()
    if errors:
        raise ValidationError(errors)
    return cleaned


def _language(value: object) -> str:
    codes = dict(settings.LANGUAGES)
    if isinstance(value, str) and value.split("-")[0] in codes:
        return value.split("-")[0]
    return settings.LANGUAGE_CODE


def check_guests_welcome(*, event: EventPage, now: datetime) -> None:
    """Raise ``Conflict`` unless ``event`` takes guests' registrations now."""
    if not event.guests_allowed or event.members_only:
        raise Conflict(
            _("This event takes registrations of signed-in members only."),
            code="guests_not_allowed",
        )
    services.check_registration_window(event=event, now=now)


def request_guest_registration(
    *,
    event: EventPage,
    name: object,
    email: object,
    organisation: object = "",
    answers: object = None,
    ticket_type: TicketType | int | None = None,
    language: str = "",
) -> GuestRegistration:
    """Record a guest's request for ``event`` and e-mail them the confirmation link.

    No seat is held until the link is confirmed (``confirm_guest_registration``). A request
    for an address that already has a pending one sends a fresh link (the old one stops
    working); one for an address already confirmed mails that address its cancellation
    link again and changes nothing. Raises ``Conflict`` when the event takes no guests or
    no registrations now, or the ticket type is not open to guests; ``ValidationError``
    for bad details, a missing or unknown ticket type, or answers that do not fit.

    Locking: none of the seats' lock (no seat changes); the unique key on (event, active
    address) decides between two requests for one address at once.
    """
    event = event.canonical
    now = timezone.now()
    details = _clean_details(name=name, email=email, organisation=organisation)
    check_guests_welcome(event=event, now=now)
    chosen = services.resolve_ticket_type(event=event, value=ticket_type)
    if chosen is None and TicketType.objects.filter(event=event).exists():
        names = ", ".join(
            f"{t.pk} ({t.name})"
            for t in TicketType.objects.filter(event=event, kind__in=TicketType.GUEST_KINDS)
        )
        raise ValidationError({"ticket_type": [_("Choose a ticket type: %s.") % names]})
    if chosen is not None:
        services.check_ticket_type(ticket_type=chosen, member=None)
    cleaned = services.validate_answers(
        questions=services.questions_for(event=event, ticket_type=chosen), answers=answers
    )
    fields = {
        "name": details["name"],
        "organisation": details["organisation"],
        "answers": cleaned,
        "ticket_type": chosen,
        "language": _language(language),
    }
    for _attempt in range(2):
        try:
            with transaction.atomic():
                return _store_request(event=event, email=details["email"], fields=fields)
        except IntegrityError:
            # Another request for the same address won the insert: answer as for it.
            continue
    raise Conflict(_("Try again in a moment."), code="busy")


def _store_request(*, event: EventPage, email: str, fields: dict) -> GuestRegistration:
    active = (
        GuestRegistration.objects.select_for_update()
        .filter(event=event, email=email)
        .exclude(status=GuestRegistration.Status.CANCELLED)
        .first()
    )
    if active is not None and active.status == GuestRegistration.Status.CONFIRMED:
        tasks.email_guest(guest=active, kind="guest_already_registered")
        return active
    guest = active or GuestRegistration(event=event, email=email)
    for field, value in fields.items():
        setattr(guest, field, value)
    guest.status = GuestRegistration.Status.PENDING
    guest.link_sent_at = timezone.now()
    if active is not None:
        guest.token = GuestRegistration._meta.get_field("token").get_default()
    guest.save()
    tasks.email_guest(guest=guest, kind="guest_confirm")
    return guest


def announce_seats(event: EventPage) -> None:
    """Tell ``seats_changed`` receivers (cached answers that show seats) after commit."""
    transaction.on_commit(lambda: seats_changed.send(sender=EventPage, event=event))


def guest_by_token(token: object) -> GuestRegistration:
    """The guest registration of a link's token; raises ``InvalidGuestLink``."""
    if not isinstance(token, str) or not 20 <= len(token) <= 64:
        raise InvalidGuestLink
    guest = GuestRegistration.objects.select_related("event", "ticket_type").filter(token=token)
    found = guest.first()
    if found is None:
        raise InvalidGuestLink
    return found


def link_expired(guest: GuestRegistration, *, now: datetime | None = None) -> bool:
    hours = timedelta(hours=settings.GUEST_CONFIRMATION_HOURS)
    return guest.link_sent_at + hours < (now or timezone.now())


def confirm_guest_registration(*, token: object) -> GuestRegistration:
    """Confirm the guest registration of ``token``: it takes a seat now, or not at all.

    Confirming twice changes nothing. Raises ``InvalidGuestLink`` for an unknown token and
    ``Conflict`` for a cancelled request, an expired link, a closed registration, or a
    full event or ticket type (the request stays pending while its link works, so the
    guest may try again if a seat frees).

    Locking: the event's seat lock (as ``services.register_for_event``), under which the
    seats of the event and of the ticket type are counted with the members'.
    """
    guest = guest_by_token(token)
    now = timezone.now()
    with transaction.atomic():
        event = services.lock_event_seats(guest.event)
        guest = GuestRegistration.objects.select_related("ticket_type").get(pk=guest.pk)
        if guest.status == GuestRegistration.Status.CONFIRMED:
            return guest
        if guest.status == GuestRegistration.Status.CANCELLED:
            raise Conflict(_("This registration was cancelled."), code="cancelled")
        if link_expired(guest, now=now):
            raise Conflict(
                _("This link has expired: register again from the event's page."),
                code="link_expired",
            )
        check_guests_welcome(event=event, now=now)
        if not services.has_free_seat(event, guest.ticket_type):
            raise Conflict(_("The event is full."), code="full")
        guest.status = GuestRegistration.Status.CONFIRMED
        guest.confirmed_at = now
        guest.ticket_code = new_ticket_code()
        guest.save(update_fields=["status", "confirmed_at", "ticket_code", "updated"])
        tasks.email_guest(guest=guest, kind="guest_confirmed")
        announce_seats(event)
    return guest


def cancel_guest_registration(*, token: object) -> GuestRegistration:
    """Cancel the guest registration of ``token``; a freed seat goes to the waitlist.

    Cancelling twice changes nothing. Raises ``InvalidGuestLink`` for an unknown token and
    ``Conflict`` once the event has ended. Locking: the event's seat lock, as
    ``services.cancel_registration``, so the freed seat goes to exactly one member.
    """
    guest = guest_by_token(token)
    with transaction.atomic():
        event = services.lock_event_seats(guest.event)
        guest = GuestRegistration.objects.get(pk=guest.pk)
        if guest.status == GuestRegistration.Status.CANCELLED:
            return guest
        if event.is_past():
            raise Conflict(_("This event has already taken place."), code="event_past")
        held_seat = guest.status == GuestRegistration.Status.CONFIRMED
        guest.status = GuestRegistration.Status.CANCELLED
        guest.save(update_fields=["status", "updated"])
        if held_seat:
            tasks.email_guest(guest=guest, kind="guest_cancelled")
            announce_seats(event)
            for promoted in services.promote_from_waitlist(event, first=guest.ticket_type_id):
                tasks.email_registration(registration=promoted, kind="promotion")
    return guest


def erase_expired_guests(*, now: datetime | None = None) -> int:
    """Erase guests' registrations ``GUEST_RETENTION_DAYS`` after their event ended, and
    requests whose confirmation link expired (they never held a seat). Returns how many
    rows went. The daily job ``events.erase_expired_guests`` runs it."""
    now = now or timezone.now()
    after_event = GuestRegistration.objects.filter(
        event__end__lt=now - timedelta(days=settings.GUEST_RETENTION_DAYS)
    )
    unconfirmed = GuestRegistration.objects.filter(
        status=GuestRegistration.Status.PENDING,
        link_sent_at__lt=now - timedelta(hours=settings.GUEST_CONFIRMATION_HOURS),
    )
    erased, _by_model = after_event.delete()
    erased_pending, _by_model = unconfirmed.delete()
    return erased + erased_pending
