"""The matchmaking section of an event's check-in desk (``events.desk``): the meetings of
the slot under way (or of one participant), and the no-show mark for a meeting that was
not held, through ``matchmaking.services.mark_no_show``."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from events.desk import DeskSection, register_section
from matchmaking import services
from matchmaking.models import Matchmaking, Meeting
from webapi.params import parse_integer


def _current_slot(slots, now):
    """The slot under way, else the next one, else the last one."""
    for slot in slots:
        if now < slot.end:
            return slot
    return slots[-1] if slots else None


@register_section("matchmaking.meetings", order=20)
class MeetingsAtTheDesk(DeskSection):
    title = gettext_lazy("Matchmaking meetings")
    template = "matchmaking/desk.html"
    permission = "matchmaking.change_meeting"

    def context(self, *, event, request) -> dict | None:
        matchmaking = (
            Matchmaking.objects.filter(event=event, enabled=True).select_related("event").first()
        )
        if matchmaking is None:
            return None
        slots = list(matchmaking.slots.order_by("start", "pk"))
        participants = list(
            matchmaking.participants.filter(active=True)
            .select_related("member__user")
            .order_by("member__display_name", "pk")
        )
        member_id = _whole_number(request.GET.get("participant"))
        participant = next((p for p in participants if p.member_id == member_id), None)
        meetings = (
            matchmaking.meetings.filter(status=Meeting.Status.ACCEPTED)
            .select_related("slot", "table", "requester", "recipient")
            .order_by("slot__start", "table__sort_order", "pk")
        )
        slot = None
        if participant is not None:
            meetings = meetings.filter(seats__member_id=participant.member_id)
        else:
            slot_id = _whole_number(request.GET.get("slot"))
            slot = next((s for s in slots if s.pk == slot_id), None) or _current_slot(
                slots, timezone.now()
            )
            meetings = meetings.filter(slot=slot)
        return {
            "matchmaking": matchmaking,
            "slots": slots,
            "slot": slot,
            "participants": participants,
            "participant": participant,
            "meetings": list(meetings),
            "tz": event.timezone,
        }

    def act(self, *, event, request) -> str:
        meeting_id = parse_integer(request.POST.get("meeting", ""), name="meeting")
        meeting = (
            Meeting.objects.filter(pk=meeting_id, matchmaking__event=event)
            .select_related("requester", "recipient")
            .first()
        )
        if meeting is None:
            raise ValidationError(_("This meeting is not one of this event's."))
        no_show = request.POST.get("no_show") == "1"
        services.mark_no_show(meeting=meeting, no_show=no_show)
        names = {"first": meeting.requester.name, "second": meeting.recipient.name}
        if no_show:
            return _("The meeting of %(first)s and %(second)s is marked as a no-show.") % names
        return _("The meeting of %(first)s and %(second)s is marked as held.") % names


def _whole_number(raw) -> int | None:
    if not raw:
        return None
    try:
        return parse_integer(raw, name="id")
    except ValidationError:
        return None
