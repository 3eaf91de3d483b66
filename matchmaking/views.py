"""HTML pages of matchmaking: the brokerage page of an event (opt in, browse with facets,
suggestions, requests, the agenda), the forms that change meetings, and the agenda's
calendar file. They only call ``matchmaking.services`` and read ``matchmaking.selectors``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from domain.exceptions import Conflict
from events.models import SEAT_STATUSES, EventPage, Registration
from matchmaking import ics, selectors, services
from matchmaking.forms import MeetingActionForm, ProfileForm, RequestForm
from matchmaking.models import Matchmaking, Meeting
from members.models import Membership, Organisation


def _matchmaking_or_404(pk: int) -> Matchmaking:
    event = get_object_or_404(EventPage.objects.live().public(), pk=pk)
    found = (
        Matchmaking.objects.select_related("event")
        .filter(event=event.canonical, enabled=True)
        .first()
    )
    if found is None:
        raise Http404(_("This event has no matchmaking."))
    return found


def _page(matchmaking: Matchmaking) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("matchmaking:event", kwargs={"pk": matchmaking.event_id}))


def _report(request, error: Exception) -> None:
    if isinstance(error, ValidationError):
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.error(request, str(getattr(error, "message", "") or error))


FACET_TITLES = {
    "country": gettext_lazy("Country"),
    "sector": gettext_lazy("Sector"),
    "technology": gettext_lazy("Technology"),
    "label": gettext_lazy("Quality label"),
}


def _organisations(member):
    return Organisation.objects.filter(
        memberships__member=member, memberships__status=Membership.Status.APPROVED
    ).order_by("name")


@require_GET
@login_required
def event_matchmaking(request, pk: int):
    matchmaking = _matchmaking_or_404(pk)
    event = matchmaking.event
    member = request.user.profile
    participant = selectors.participant_of(matchmaking, member)
    registered = Registration.objects.filter(
        event=event, member=member, status__in=SEAT_STATUSES
    ).exists()
    context = {
        "matchmaking": matchmaking,
        "event": event,
        "participant": participant,
        "registered": registered,
        "booking_state": matchmaking.booking_state(now=timezone.now()),
        "slots": list(matchmaking.slots.order_by("start")),
    }
    organisations = _organisations(member)
    initial = {}
    if participant is not None:
        initial = {
            "organisation": str(participant.organisation_id or ""),
            "offer": participant.offer,
            "looking_for": participant.looking_for,
        }
    context["profile_form"] = ProfileForm(initial=initial, organisations=organisations)
    if participant is not None:
        q = request.GET.get("q", "")[:200]
        filters = {facet: request.GET.getlist(facet)[:20] for facet in selectors.FACETS}
        cards, facets = selectors.browse(
            matchmaking=matchmaking, viewer_user=request.user, q=q, filters=filters
        )
        meetings = list(selectors.meetings_of(matchmaking=matchmaking, member=member))
        selectors.others_names(meetings, request.user, member)
        open_with = {m.other_id for m in meetings if m.status in services.OPEN_STATUSES}
        for meeting in meetings:
            if meeting.status == "requested" and meeting.incoming:
                meeting.free_slots = selectors.free_slots(meeting=meeting)
        context.update(
            {
                "q": q,
                "cards": [card for card in cards if card.member_id != member.pk],
                "facets": [
                    {"name": name, "title": FACET_TITLES[name], "values": facets[name]}
                    for name in selectors.FACETS
                ],
                "suggestions": selectors.suggestions(
                    matchmaking=matchmaking, viewer=participant, viewer_user=request.user
                ),
                "open_with": open_with,
                "requests_in": [m for m in meetings if m.status == "requested" and m.incoming],
                "requests_out": [m for m in meetings if m.status == "requested" and not m.incoming],
                "agenda": [m for m in meetings if m.status == "accepted"],
                "past": [m for m in meetings if m.status in ("declined", "cancelled")],
            }
        )
    return render(request, "matchmaking/event.html", context)


@require_POST
@login_required
def opt_in(request, pk: int):
    matchmaking = _matchmaking_or_404(pk)
    member = request.user.profile
    organisations = _organisations(member)
    form = ProfileForm(request.POST, organisations=organisations)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _page(matchmaking)
    chosen = form.cleaned_data["organisation"]
    organisation = organisations.filter(pk=int(chosen)).first() if chosen else None
    try:
        _participant, created = services.opt_in(
            event=matchmaking.event,
            member=member,
            offer=form.cleaned_data["offer"],
            looking_for=form.cleaned_data["looking_for"],
            organisation=organisation,
        )
    except (Conflict, ValidationError) as error:
        _report(request, error)
        return _page(matchmaking)
    messages.success(
        request,
        _("You take part in matchmaking.") if created else _("Your matchmaking profile is saved."),
    )
    return _page(matchmaking)


@require_POST
@login_required
def request_meeting(request, pk: int):
    matchmaking = _matchmaking_or_404(pk)
    form = RequestForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _page(matchmaking)
    try:
        services.request_meeting(
            event=matchmaking.event,
            requester=request.user.profile,
            recipient_id=form.cleaned_data["member"],
            message=form.cleaned_data["message"],
        )
    except (Conflict, ValidationError) as error:
        _report(request, error)
        return _page(matchmaking)
    messages.success(request, _("Your request is sent."))
    return _page(matchmaking)


@require_POST
@login_required
def change_meeting(request, pk: int):
    member = request.user.profile
    meeting = (
        Meeting.objects.select_related("matchmaking__event", "requester", "recipient")
        .filter(pk=pk)
        .first()
    )
    if meeting is None or member.pk not in (meeting.requester_id, meeting.recipient_id):
        raise Http404(_("No such meeting."))
    form = MeetingActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose what to do with the meeting, and a slot to accept it."))
        return _page(meeting.matchmaking)
    try:
        services.change_meeting(
            meeting=meeting,
            member=member,
            status=form.cleaned_data["action"],
            slot_id=form.cleaned_data["slot"],
        )
    except (Conflict, ValidationError) as error:
        _report(request, error)
        return _page(meeting.matchmaking)
    except PermissionDenied as error:
        _report(request, error)
        return _page(meeting.matchmaking)
    done = {
        "accepted": _("The meeting is in both agendas."),
        "declined": _("The request is declined."),
        "cancelled": _("The meeting is cancelled."),
    }
    messages.success(request, done[form.cleaned_data["action"]])
    return _page(meeting.matchmaking)


@require_GET
@login_required
def agenda_calendar(request, pk: int):
    matchmaking = _matchmaking_or_404(pk)
    member = request.user.profile
    meetings = selectors.agenda(matchmaking=matchmaking, member=member)
    selectors.others_names(meetings, request.user, member)
    content = ics.agenda_calendar(event=matchmaking.event, meetings=meetings, member=member)
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{matchmaking.event.slug or "event"}-agenda.ics"'
    )
    return response
