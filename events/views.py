"""HTML views of the events app: registration forms, calendars, check-in and exports.

The event list and each event are Wagtail pages (events.models); the forms on them post
here, and these views only call events.services.
"""

import csv
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from domain.exceptions import Conflict
from events import desk, emails, guests, ics, services
from events.forms import CheckInForm, GuestRegistrationForm, RegistrationForm
from events.models import EventPage, GuestRegistration, Registration
from events.selectors import (
    arrivals,
    check_in_counts,
    desk_events,
    online_link_audience,
    registrations_of,
    ticket_types_with_seats,
)


def _event_or_404(pk: int) -> EventPage:
    return get_object_or_404(EventPage.objects.live().public(), pk=pk)


def _back_to(event: EventPage) -> HttpResponseRedirect:
    return HttpResponseRedirect(event.get_url() or "/")


def _refusal_to_messages(request, error: Conflict | ValidationError) -> None:
    if isinstance(error, Conflict):
        messages.error(request, error.message)
        return
    for message in error.messages:
        messages.error(request, message)


def _form_errors_to_messages(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


@require_POST
@login_required
def register(request, pk: int):
    event = _event_or_404(pk)
    canonical = event.canonical
    form = RegistrationForm(
        request.POST,
        questions=canonical.questions.all(),
        ticket_types=ticket_types_with_seats(canonical),
    )
    if not form.is_valid():
        _form_errors_to_messages(request, form)
        return _back_to(event)
    try:
        registration, created = services.register_for_event(
            event=event,
            member=request.user.profile,
            answers=form.answers(),
            ticket_type=form.chosen_ticket_type(),
        )
    except (Conflict, ValidationError) as error:
        _refusal_to_messages(request, error)
        return _back_to(event)
    if not created:
        messages.info(request, _("You are already registered for this event."))
    elif registration.status == Registration.Status.CONFIRMED:
        messages.success(
            request, _("Your seat is confirmed. The confirmation is on its way to your inbox.")
        )
    else:
        messages.success(
            request,
            _("The event is full: you are number %(position)d on the waitlist.")
            % {"position": registration.position},
        )
    return _back_to(event)


@require_POST
@login_required
def cancel(request, pk: int):
    event = _event_or_404(pk)
    registration = Registration.objects.filter(
        event=event.canonical, member__user=request.user
    ).first()
    if registration is None or registration.status == Registration.Status.CANCELLED:
        messages.info(request, _("You have no registration for this event."))
        return _back_to(event)
    was_waitlisted = registration.status == Registration.Status.WAITLISTED
    try:
        services.cancel_registration(registration=registration)
    except Conflict as conflict:
        messages.error(request, conflict.message)
        return _back_to(event)
    messages.success(
        request,
        _("You have left the waitlist.")
        if was_waitlisted
        else _("Your registration is cancelled."),
    )
    next_url = request.POST.get("next", "")
    if next_url == "my-registrations":
        return HttpResponseRedirect(_my_registrations_url())
    return _back_to(event)


@require_POST
def guest_register(request, pk: int):
    """A guest's registration from the event page: the answer is the same whoever the
    address belongs to ("check your inbox"), the link in the mail confirms the seat."""
    event = _event_or_404(pk)
    canonical = event.canonical
    ticket_types = [t for t in ticket_types_with_seats(canonical) if t.open_to_guests]
    form = GuestRegistrationForm(
        request.POST, questions=canonical.questions.all(), ticket_types=ticket_types
    )
    if not form.is_valid():
        _form_errors_to_messages(request, form)
        return _back_to(event)
    try:
        guests.request_guest_registration(
            event=event,
            name=form.cleaned_data["name"],
            email=form.cleaned_data["email"],
            organisation=form.cleaned_data["organisation"],
            answers=form.answers(),
            ticket_type=form.chosen_ticket_type(),
            language=get_language(),
        )
    except (Conflict, ValidationError) as error:
        _refusal_to_messages(request, error)
        return _back_to(event)
    messages.success(
        request,
        _("Check your inbox: we sent you a link. Your seat is held once you confirm through it."),
    )
    return _back_to(event)


@require_http_methods(["GET", "POST"])
def guest_confirm(request, token: str):
    """The confirmation link of a guest's e-mail: GET shows a button, POST confirms (a
    mail scanner that opens links must not take a seat)."""
    return _guest_link(request, token, action="confirm")


@require_http_methods(["GET", "POST"])
def guest_cancel(request, token: str):
    """The cancellation link of a guest's e-mail: GET asks, POST cancels."""
    return _guest_link(request, token, action="cancel")


def _guest_link(request, token: str, *, action: str):
    try:
        guest = guests.guest_by_token(token)
    except guests.InvalidGuestLink:
        return render(request, "events/guest_link.html", {"invalid": True}, status=404)
    error = None
    done = False
    if request.method == "POST":
        try:
            if action == "confirm":
                guest = guests.confirm_guest_registration(token=token)
            else:
                guest = guests.cancel_guest_registration(token=token)
        except Conflict as conflict:
            error = conflict.message
        except guests.InvalidGuestLink:
            return render(request, "events/guest_link.html", {"invalid": True}, status=404)
        else:
            done = True
    return render(
        request,
        "events/guest_link.html",
        {
            "guest": guest,
            "event": guest.event,
            "action": action,
            "done": done,
            "error": error,
            "confirmed": guest.status == GuestRegistration.Status.CONFIRMED,
            "cancelled": guest.status == GuestRegistration.Status.CANCELLED,
        },
        status=409 if error else 200,
    )


def _my_registrations_url() -> str:
    from django.urls import reverse

    return reverse("events:my-registrations")


@require_GET
@login_required
def my_registrations(request):
    registrations = list(registrations_of(request.user))
    now = timezone.now()
    for registration in registrations:
        if registration.status in (Registration.Status.CONFIRMED, Registration.Status.ATTENDED):
            registration.qr_svg = emails.ticket_qr_svg(registration)
    return render(
        request,
        "events/my_registrations.html",
        {"registrations": registrations, "now": now},
    )


def _calendar_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def event_calendar(request, pk: int):
    event = _event_or_404(pk)
    return _calendar_response(
        ics.build_calendar(
            [event], name=event.title, shows_online_link=online_link_audience(request.user)
        ),
        ics.event_filename(event),
    )


@require_GET
def upcoming_calendar(request):
    events = EventPage.objects.upcoming().in_active_locale()[:500]
    return _calendar_response(
        ics.build_calendar(
            events,
            name=_("Cluster Club events"),
            shows_online_link=online_link_audience(request.user),
        ),
        "cluster-club-events.ics",
    )


#: The session key of the desk a device has open: the QR code's link comes back to it.
DESK_SESSION_KEY = "events.check_in_desk"


@require_GET
@permission_required("events.change_registration", raise_exception=True)
def check_in(request):
    """Where the check-in begins: choose the event whose desk to open.

    The QR code of a ticket links here with ``?code=``: on a device whose desk is open the
    code goes to that desk (which refuses a ticket of another event); elsewhere the page
    names the ticket and its event, and the desks to open.
    """
    code = services.normalise_ticket_code(request.GET.get("code", ""))
    desk_pk = request.session.get(DESK_SESSION_KEY)
    if code and isinstance(desk_pk, int) and EventPage.objects.filter(pk=desk_pk).exists():
        return HttpResponseRedirect(
            reverse("events:check-in-desk", args=[desk_pk]) + "?" + urlencode({"code": code})
        )
    pending = None
    if code:
        pending = (
            Registration.objects.select_related("event", "member__user")
            .filter(ticket_code=code)
            .first()
        )
    return render(
        request,
        "events/check_in_index.html",
        {"events": desk_events()[:100], "pending": pending, "code": code},
    )


@require_http_methods(["GET", "POST"])
@permission_required("events.change_registration", raise_exception=True)
def check_in_desk(request, pk: int):
    """The check-in desk of one event: scan or type a ticket code, see the arrivals and
    the counts, and the sections other apps add (``events.desk``)."""
    event = get_object_or_404(EventPage, pk=pk).canonical
    # Opening a desk is this device's choice, not a change of data: it lets the QR
    # code's link (/events/check-in/?code=) come back to this desk.
    request.session[DESK_SESSION_KEY] = event.pk
    if request.method == "POST" and "section" in request.POST:
        return _desk_section_action(request, event)
    scan = None
    pending = None
    if request.method == "POST":
        form = CheckInForm(request.POST)
        if form.is_valid():
            try:
                scan = services.scan_ticket(
                    event=event, ticket_code=form.cleaned_data["ticket_code"]
                )
            except ValidationError as error:
                form.add_error("ticket_code", error.messages)
            else:
                if scan.admitted:
                    messages.success(request, scan.message)
                    form = CheckInForm()
                else:
                    form.add_error("ticket_code", scan.message)
    else:
        code = services.normalise_ticket_code(request.GET.get("code", ""))
        form = CheckInForm(initial={"ticket_code": code} if code else None)
        if code:
            pending = (
                Registration.objects.select_related("event", "member__user")
                .filter(ticket_code=code)
                .first()
            )
    sections = [
        (section, render_to_string(section.template, section.context, request=request))
        for section in desk.build_sections(event=event, request=request)
    ]
    return render(
        request,
        "events/check_in.html",
        {
            "event": event,
            "form": form,
            "scan": scan,
            "pending": pending,
            "counts": check_in_counts(event),
            "arrivals": arrivals(event),
            "sections": sections,
        },
    )


def _desk_section_action(request, event: EventPage) -> HttpResponseRedirect:
    section = desk.section_for(request.POST.get("section"), request.user)
    if section is None:
        raise PermissionDenied
    try:
        message = section.act(event=event, request=request)
    except Conflict as conflict:
        messages.error(request, conflict.message)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        if message:
            messages.success(request, message)
    # Back to the desk as it was shown (its query picks the slot or the attendee).
    return HttpResponseRedirect(request.get_full_path())


ATTENDEE_COLUMNS = [
    _("Ticket code"),
    _("Name"),
    _("E-mail"),
    _("Status"),
    _("Waitlist position"),
    _("Registered"),
    _("Checked in"),
    _("Ticket type"),
    _("Guest's organisation"),
]


def _spreadsheet_safe(value) -> str:
    # A cell that starts with = + - @ would run as a formula in a spreadsheet.
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _minutes(moment) -> str:
    return timezone.localtime(moment).isoformat(timespec="minutes") if moment else ""


@require_GET
@permission_required("events.view_registration", raise_exception=True)
def attendees_csv(request, pk: int):
    """Members' registrations, then guests' (confirmed and pending), one column per
    question of the event and of its ticket types."""
    event = get_object_or_404(EventPage, pk=pk)
    questions = list(event.questions.all())
    for ticket_type in event.ticket_types.prefetch_related("questions"):
        questions += list(ticket_type.questions.all())
    keys = list(dict.fromkeys(question.key for question in questions))
    labels = {}
    for question in questions:
        labels.setdefault(question.key, question.label)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}-attendees.csv"'
    writer = csv.writer(response)
    writer.writerow([*ATTENDEE_COLUMNS, *(labels[key] for key in keys)])
    registrations = (
        Registration.objects.filter(event=event)
        .select_related("member__user", "ticket_type")
        .order_by("status", "position", "created", "pk")
    )
    rows = [
        [
            registration.ticket_code,
            registration.member.name,
            registration.member.user.email,
            registration.get_status_display(),
            registration.position or "",
            _minutes(registration.created),
            _minutes(registration.checked_in_at),
            registration.ticket_type.name if registration.ticket_type else "",
            "",
            *(_answer_text(registration.answers.get(key)) for key in keys),
        ]
        for registration in registrations
    ]
    guests_of_event = (
        GuestRegistration.objects.filter(event=event)
        .exclude(status=GuestRegistration.Status.CANCELLED)
        .select_related("ticket_type")
        .order_by("status", "created", "pk")
    )
    rows += [
        [
            "",
            _("%(name)s (guest)") % {"name": guest.name},
            guest.email,
            guest.get_status_display(),
            "",
            _minutes(guest.created),
            "",
            guest.ticket_type.name if guest.ticket_type else "",
            guest.organisation,
            *(_answer_text(guest.answers.get(key)) for key in keys),
        ]
        for guest in guests_of_event
    ]
    for row in rows:
        writer.writerow(_spreadsheet_safe(value) for value in row)
    return response


def _answer_text(value) -> str:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return "" if value is None else str(value)
