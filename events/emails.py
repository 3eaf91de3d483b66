"""E-mails to registrants: confirmation (with the .ics and the ticket's QR code), waitlist,
promotion, cancellation and the reminder before the event (which says when it starts).

Services enqueue them through ``events.tasks`` in the registration's own transaction:
nobody is told about a registration that was rolled back, every committed one gets its
mail, and a mail server that fails delays the mail (the task is retried) but never undoes
a registration.
"""

import logging

import segno
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_lazy, ngettext

from events import ics
from events.selectors import online_link_audience
from members.models import preferred_language

logger = logging.getLogger(__name__)


def check_in_url(registration) -> str:
    return settings.SITE_URL + reverse("events:check-in") + f"?code={registration.ticket_code}"


def ticket_qr_png(registration, *, scale: int = 6) -> bytes:
    """The QR code of a ticket: it opens the staff check-in page with the code filled in."""
    import io

    buffer = io.BytesIO()
    segno.make(check_in_url(registration), error="m").save(buffer, kind="png", scale=scale)
    return buffer.getvalue()


def ticket_qr_svg(registration) -> str:
    return segno.make(check_in_url(registration), error="m").svg_inline(scale=4)


def load_registration(registration_pk: int):
    """The registration with its event and member, or None if it is gone."""
    from events.models import Registration

    return (
        Registration.objects.select_related("event", "member__user")
        .filter(pk=registration_pk)
        .first()
    )


def starts_in(event, *, now) -> str:
    """When ``event`` starts, seen from ``now``, in the active language: "today",
    "tomorrow" or "in 3 days". Days are counted on the event's own calendar (its time
    zone), so an evening reminder of a morning event says "tomorrow", not "today"."""
    days = (event.local_start.date() - now.astimezone(event.tzinfo).date()).days
    if days <= 0:
        return gettext("today")
    if days == 1:
        return gettext("tomorrow")
    return ngettext("in %(count)d day", "in %(count)d days", days) % {"count": days}


def _send(
    registration,
    *,
    template: str,
    subject: str,
    calendar: bool,
    qr: bool,
    extra: dict | None = None,
) -> bool:
    email = registration.member.user.email
    if not email:
        logger.info("registration %s: member has no e-mail address", registration.pk)
        return False
    event = registration.event
    # The rule of the page and the APIs: a confirmed seat (or staff) shows the link, so a
    # waitlist or cancellation mail carries none.
    shows_online_link = online_link_audience(registration.member.user)
    context = {
        "online_link": event.online_link if shows_online_link(event) else "",
        "registration": registration,
        "event": event,
        "member": registration.member,
        "event_url": ics.absolute_url(event),
        "my_registrations_url": settings.SITE_URL + reverse("events:my-registrations"),
        "site_url": settings.SITE_URL,
        **(extra or {}),
    }
    body = render_to_string(f"events/email/{template}.txt", context)
    message = EmailMultiAlternatives(
        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[email]
    )
    if calendar:
        message.attach(
            ics.event_filename(event),
            ics.build_calendar([event], shows_online_link=shows_online_link),
            "text/calendar",
        )
    if qr:
        message.attach(
            f"ticket-{registration.ticket_code}.png", ticket_qr_png(registration), "image/png"
        )
    message.send()
    return True


# template: (subject, attach the calendar file and the ticket's QR code)
MAILS = {
    "confirmation": (gettext_lazy("Your seat at %s is confirmed"), True),
    "waitlisted": (gettext_lazy("You are on the waitlist for %s"), False),
    "promotion": (gettext_lazy("A seat at %s is now yours"), True),
    "cancellation": (gettext_lazy("Your registration for %s is cancelled"), False),
    # The reminder's subject says when the event starts: see send_mail_of_kind.
    "reminder": (gettext_lazy("%(when)s: %(event)s"), True),
}


def send_mail_of_kind(template: str, registration) -> bool:
    """Send the ``template`` mail (a key of MAILS) for ``registration``, in the member's
    preferred language; False if they have no address."""
    subject, with_ticket = MAILS[template]
    event = registration.event
    with translation.override(preferred_language(registration.member.user)):
        extra = {}
        if template == "reminder":
            # Relative to the moment the mail is written, in the recipient's language.
            when = starts_in(event, now=timezone.now())
            extra["starts_in"] = when
            subject_text = str(subject) % {"when": capfirst(when), "event": event.title}
        else:
            subject_text = str(subject) % event.title
        return _send(
            registration,
            template=template,
            subject=subject_text,
            calendar=with_ticket,
            qr=with_ticket,
            extra=extra,
        )


def send_reminder(registration) -> bool:
    return send_mail_of_kind("reminder", registration)


# --- guests (no account) ------------------------------------------------------------------


def load_guest(guest_pk: int):
    from events.models import GuestRegistration

    return (
        GuestRegistration.objects.select_related("event", "ticket_type").filter(pk=guest_pk).first()
    )


def guest_link(guest, action: str) -> str:
    """The absolute link that confirms or cancels a guest's registration (a page whose
    button does it: a mail scanner that opens the link changes nothing)."""
    return settings.SITE_URL + reverse(f"events:guest-{action}", kwargs={"token": guest.token})


# template: (subject, attach the calendar file)
GUEST_MAILS = {
    "guest_confirm": (gettext_lazy("Confirm your registration for %s"), False),
    "guest_confirmed": (gettext_lazy("Your seat at %s is confirmed"), True),
    "guest_already_registered": (gettext_lazy("You are already registered for %s"), False),
    "guest_cancelled": (gettext_lazy("Your registration for %s is cancelled"), False),
}


def send_guest_mail(template: str, guest) -> bool:
    """Send the ``template`` mail (a key of GUEST_MAILS) to ``guest`` in their language.

    A guest never sees the online link by e-mail before confirming; the confirmation
    carries it, as a member's confirmation does."""
    subject, with_calendar = GUEST_MAILS[template]
    event = guest.event
    confirmed = guest.status == "confirmed"
    with translation.override(guest.language or settings.LANGUAGE_CODE):
        context = {
            "guest": guest,
            "event": event,
            "online_link": event.online_link if confirmed else "",
            "event_url": ics.absolute_url(event),
            "confirm_url": guest_link(guest, "confirm"),
            "cancel_url": guest_link(guest, "cancel"),
            "hours": settings.GUEST_CONFIRMATION_HOURS,
            "site_url": settings.SITE_URL,
        }
        body = render_to_string(f"events/email/{template}.txt", context)
        message = EmailMultiAlternatives(
            subject=str(subject) % event.title,
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[guest.email],
        )
        if with_calendar:
            message.attach(
                ics.event_filename(event),
                ics.build_calendar([event], shows_online_link=lambda _event: confirmed),
                "text/calendar",
            )
        message.send()
    return True


def send_attendee_message(message, registration) -> bool:
    """An organiser's message to one registrant: their text as written, framed (greeting,
    the event, why they get it) in the registrant's language."""
    with translation.override(preferred_language(registration.member.user)):
        return _send(
            registration,
            template="attendee_message",
            subject=f"[{registration.event.title}] {message.subject}",
            calendar=False,
            qr=False,
            extra={"message": message},
        )
