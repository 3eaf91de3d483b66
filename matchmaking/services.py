"""Actions of matchmaking: opting in, requesting, accepting, declining and cancelling
meetings, laying out slots, marking no-shows and the reminders.

The invariant: a member, and a table, is in at most one accepted meeting per slot, however
many requests race. Every action that changes a meeting locks both participants' rows
(``Participant``, in the order of their ids, so two actions never wait for each other in
a circle), and accepting also locks the slot's row before it picks a table; the checks are
made again under those locks. The database holds the same rule
(``one_seat_per_member_and_slot``, ``one_meeting_per_table_and_slot``), so even a path that
forgot a lock could not double-book: it would fail with a ``Conflict``.

The other side is told by e-mail (a task enqueued in the same transaction) and over the
notifications socket (after commit).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from domain.exceptions import Conflict
from events.models import SEAT_STATUSES, EventPage, Registration
from matchmaking import notify
from matchmaking.models import (
    Matchmaking,
    Meeting,
    MeetingSeat,
    MeetingSlot,
    Participant,
    Table,
)
from members.models import MemberProfile, Membership, Organisation

MAX_TEXT = 2000
MAX_MESSAGE = 1000
OPEN_STATUSES = (Meeting.Status.REQUESTED, Meeting.Status.ACCEPTED)


def matchmaking_of(event: EventPage) -> Matchmaking:
    """The enabled matchmaking of ``event`` (any of its translations); ``Conflict`` when
    the event has none."""
    found = (
        Matchmaking.objects.select_related("event")
        .filter(event=event.canonical, enabled=True)
        .first()
    )
    if found is None:
        raise Conflict(_("This event has no matchmaking."), code="no_matchmaking")
    return found


def _check_booking_open(matchmaking: Matchmaking, now: datetime) -> None:
    state = matchmaking.booking_state(now=now)
    if state == "not_yet_open":
        opens = timezone.localtime(matchmaking.booking_opens, matchmaking.event.tzinfo)
        raise Conflict(
            _("Booking meetings opens on %s.") % opens.strftime("%Y-%m-%d %H:%M %Z"),
            code="booking_not_open",
        )
    if state == "closed":
        raise Conflict(_("Booking meetings is closed."), code="booking_closed")


def _has_seat(event: EventPage, member: MemberProfile) -> bool:
    return Registration.objects.filter(
        event=event, member=member, status__in=SEAT_STATUSES
    ).exists()


def _lock_participants(matchmaking: Matchmaking, *members: MemberProfile) -> dict:
    """Lock the participant rows of ``members`` in the order of their ids; return them by
    member id (missing or withdrawn ones are left out)."""
    rows = (
        Participant.objects.select_for_update()
        .filter(matchmaking=matchmaking, member__in=[m.pk for m in members])
        .order_by("pk")
    )
    return {row.member_id: row for row in rows if row.active}


def _clean_text(value: object, *, field: str, limit: int) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationError({field: [_("Write text.")]})
    value = value.strip()
    if len(value) > limit:
        raise ValidationError({field: [_("Keep it under %d characters.") % limit]})
    return value


def opt_in(
    *,
    event: EventPage,
    member: MemberProfile,
    offer: object = "",
    looking_for: object = "",
    organisation: Organisation | None = None,
) -> tuple[Participant, bool]:
    """Make ``member`` a matchmaking participant of ``event`` (or update their profile);
    return ``(participant, created)``.

    Only members holding a seat (confirmed or attended) may take part: ``Conflict``
    otherwise. ``organisation`` must be one of their approved memberships (default: the
    primary one); its sectors and technologies are the participant's. Locks the
    participant's row when it exists.
    """
    matchmaking = matchmaking_of(event)
    offer = _clean_text(offer, field="offer", limit=MAX_TEXT)
    looking_for = _clean_text(looking_for, field="looking_for", limit=MAX_TEXT)
    approved = Membership.objects.filter(member=member, status=Membership.Status.APPROVED)
    if organisation is not None:
        if not approved.filter(organisation=organisation).exists():
            raise ValidationError(
                {"organisation": [_("Choose an organisation you are a member of.")]}
            )
    else:
        first = approved.order_by("-is_primary", "organisation__name").first()
        organisation = first.organisation if first else None
    with transaction.atomic():
        if not _has_seat(matchmaking.event, member):
            raise Conflict(
                _("Only confirmed registrants take part in matchmaking."), code="not_registered"
            )
        participant = (
            Participant.objects.select_for_update()
            .filter(matchmaking=matchmaking, member=member)
            .first()
        )
        created = participant is None
        if created:
            participant = Participant(matchmaking=matchmaking, member=member)
        participant.offer = offer
        participant.looking_for = looking_for
        participant.organisation = organisation
        participant.active = True
        participant.save()
    return participant, created


def request_meeting(
    *, event: EventPage, requester: MemberProfile, recipient_id: object, message: object = ""
) -> Meeting:
    """``requester`` asks ``recipient`` (a member id) for a meeting at ``event``.

    Both must be active participants, and no meeting between them may be open (requested
    or accepted): ``Conflict`` otherwise; ``ValidationError`` for a bad id or message.
    Locks both participants' rows, so two crossing requests make one meeting.
    """
    matchmaking = matchmaking_of(event)
    message = _clean_text(message, field="message", limit=MAX_MESSAGE)
    if isinstance(recipient_id, bool) or not isinstance(recipient_id, int) or recipient_id < 1:
        raise ValidationError({"with": [_("Give the id of a participant.")]})
    recipient = MemberProfile.objects.filter(pk=recipient_id).first()
    if recipient is None:
        raise ValidationError({"with": [_("No participant has this id.")]})
    if recipient.pk == requester.pk:
        raise ValidationError({"with": [_("You cannot meet yourself.")]})
    _check_booking_open(matchmaking, timezone.now())
    with transaction.atomic():
        participants = _lock_participants(matchmaking, requester, recipient)
        if requester.pk not in participants:
            raise Conflict(_("Take part in matchmaking first."), code="not_participant")
        if recipient.pk not in participants:
            raise ValidationError({"with": [_("No participant has this id.")]})
        pair = Q(requester=requester, recipient=recipient) | Q(
            requester=recipient, recipient=requester
        )
        if matchmaking.meetings.filter(pair, status__in=OPEN_STATUSES).exists():
            raise Conflict(
                _("You already have a meeting or a request with this participant."),
                code="already_requested",
            )
        meeting = Meeting.objects.create(
            matchmaking=matchmaking, requester=requester, recipient=recipient, message=message
        )
        notify.meeting_changed(meeting, tell=recipient, kind="requested")
    return meeting


def accept_meeting(*, meeting: Meeting, member: MemberProfile, slot_id: object) -> Meeting:
    """The recipient accepts ``meeting`` in the slot ``slot_id``; a free table is given.
    Returns ``meeting``, updated (status, slot and table).

    Raises ``PermissionDenied`` for anyone but the recipient, ``ValidationError`` for a slot
    of another event, and ``Conflict`` (409) when the meeting is no longer a request, when
    either side is already in a meeting in that slot or holds the most meetings allowed,
    or when no table is free.

    Locking: both participants' rows (ids ascending), then the slot's row; everything is
    checked again under them. The unique constraints back this up. What is read under the
    locks is what racing accepts wait for, so it is kept to the rows the rule needs: the
    settings, the event and both members are the caller's (``meeting.matchmaking`` with its
    event, ``meeting.requester`` and ``recipient``), read before.
    """
    if isinstance(slot_id, bool) or not isinstance(slot_id, int) or slot_id < 1:
        raise ValidationError({"slot": [_("Choose a slot.")]})
    if member.pk != meeting.recipient_id:
        raise PermissionDenied(_("Only the member asked may accept."))
    matchmaking = meeting.matchmaking
    _check_booking_open(matchmaking, timezone.now())
    sides = (meeting.requester_id, meeting.recipient_id)
    try:
        with transaction.atomic():
            active = (
                Participant.objects.select_for_update()
                .filter(matchmaking=matchmaking, member__in=sides, active=True)
                .order_by("pk")
                .values_list("member_id", flat=True)
            )
            participants = len(active)
            slot = (
                MeetingSlot.objects.select_for_update()
                .filter(pk=slot_id, matchmaking=matchmaking)
                .first()
            )
            if slot is None:
                raise ValidationError({"slot": [_("This slot is not one of the event's.")]})
            # Accepted only if still a request: the update below checks the status itself;
            # it is read before a refusal only, since it is the first thing to tell.
            if participants < 2:
                _refuse_unless_requested(meeting)
                raise Conflict(_("The other participant has left matchmaking."), code="left")
            seats = {
                row["member_id"]: row
                for row in MeetingSeat.objects.filter(
                    slot__matchmaking=matchmaking, member__in=sides
                )
                .values("member_id")
                .annotate(total=Count("pk"), here=Count("pk", filter=Q(slot=slot)))
                .order_by()
            }
            if any(row["here"] for row in seats.values()):
                _refuse_unless_requested(meeting)
                raise Conflict(_("This slot is no longer free for both of you."), code="slot_taken")
            for side in (meeting.requester, meeting.recipient):
                if seats.get(side.pk, {}).get("total", 0) >= matchmaking.max_meetings:
                    _refuse_unless_requested(meeting)
                    raise Conflict(
                        _("%(name)s already has %(count)d meetings, the most allowed.")
                        % {"name": side.name, "count": matchmaking.max_meetings},
                        code="too_many_meetings",
                    )
            taken = Meeting.objects.filter(slot=slot, status=Meeting.Status.ACCEPTED).values(
                "table_id"
            )
            table = (
                Table.objects.filter(matchmaking=matchmaking)
                .exclude(pk__in=taken)
                .order_by("sort_order", "pk")
                .first()
            )
            if table is None:
                _refuse_unless_requested(meeting)
                raise Conflict(_("No table is free in this slot."), code="no_table")
            updated = timezone.now()
            changed = Meeting.objects.filter(pk=meeting.pk, status=Meeting.Status.REQUESTED).update(
                status=Meeting.Status.ACCEPTED, slot=slot, table=table, updated=updated
            )
            if not changed:
                _refuse_unless_requested(meeting)
                raise Conflict(_("This meeting is no longer a request."), code="not_requested")
            MeetingSeat.objects.bulk_create(
                [
                    MeetingSeat(meeting=meeting, slot=slot, member_id=meeting.requester_id),
                    MeetingSeat(meeting=meeting, slot=slot, member_id=meeting.recipient_id),
                ]
            )
            meeting.status, meeting.slot, meeting.table = Meeting.Status.ACCEPTED, slot, table
            meeting.updated = updated
            notify.meeting_changed(meeting, tell=meeting.requester, kind="accepted")
    except IntegrityError as error:
        raise Conflict(
            _("This slot is no longer free for both of you."), code="slot_taken"
        ) from error
    return meeting


def _refuse_unless_requested(meeting: Meeting) -> None:
    """``Conflict`` when ``meeting`` is no longer a request (read under the caller's locks):
    that is the answer to give before any other refusal."""
    status = Meeting.objects.filter(pk=meeting.pk).values_list("status", flat=True).get()
    if status != Meeting.Status.REQUESTED:
        raise Conflict(
            _("This meeting is %s.") % Meeting.Status(status).label.lower(),
            code="not_requested",
        )


def decline_meeting(*, meeting: Meeting, member: MemberProfile) -> Meeting:
    """The recipient declines a requested meeting; the requester is told.

    ``PermissionDenied`` for anyone else; ``Conflict`` when it is no longer a request.
    Locks both participants' rows."""
    if member.pk != meeting.recipient_id:
        raise PermissionDenied(_("Only the member asked may decline."))
    with transaction.atomic():
        _lock_participants(meeting.matchmaking, meeting.requester, meeting.recipient)
        current = Meeting.objects.get(pk=meeting.pk)
        if current.status != Meeting.Status.REQUESTED:
            raise Conflict(
                _("This meeting is %s.") % current.get_status_display().lower(),
                code="not_requested",
            )
        current.status = Meeting.Status.DECLINED
        current.save(update_fields=["status", "updated"])
        notify.meeting_changed(current, tell=current.requester, kind="declined")
    meeting.status, meeting.updated = current.status, current.updated
    return meeting


def _cancel_locked(meeting: Meeting, *, by: MemberProfile) -> None:
    meeting.status = Meeting.Status.CANCELLED
    meeting.save(update_fields=["status", "updated"])
    meeting.seats.all().delete()
    notify.meeting_changed(meeting, tell=meeting.other(by), kind="cancelled")


def cancel_meeting(*, meeting: Meeting, member: MemberProfile) -> Meeting:
    """Either participant cancels a requested or accepted meeting: the slot and the table
    are free again and the other side is told. Cancelling a cancelled or declined meeting
    changes nothing. ``PermissionDenied`` for anyone else. Locks both participants' rows."""
    if member.pk not in (meeting.requester_id, meeting.recipient_id):
        raise PermissionDenied(_("This is not your meeting."))
    with transaction.atomic():
        _lock_participants(meeting.matchmaking, meeting.requester, meeting.recipient)
        current = Meeting.objects.select_related("requester", "recipient").get(pk=meeting.pk)
        if current.status in OPEN_STATUSES:
            _cancel_locked(current, by=member)
    meeting.status, meeting.updated = current.status, current.updated
    return meeting


def change_meeting(
    *, meeting: Meeting, member: MemberProfile, status: object, slot_id: object = None
) -> Meeting:
    """The API's one door: ``status`` "accepted" (with ``slot_id``), "declined" or
    "cancelled"."""
    if status == Meeting.Status.ACCEPTED:
        return accept_meeting(meeting=meeting, member=member, slot_id=slot_id)
    if status == Meeting.Status.DECLINED:
        return decline_meeting(meeting=meeting, member=member)
    if status == Meeting.Status.CANCELLED:
        return cancel_meeting(meeting=meeting, member=member)
    raise ValidationError({"status": [_("Choose accepted, declined or cancelled.")]})


def leave_matchmaking(*, event: EventPage, member: MemberProfile) -> int:
    """``member`` leaves the matchmaking of ``event`` (their registration was cancelled, or
    they opt out): their open meetings are cancelled and the other sides told. Returns the
    number of meetings cancelled. Locks the member's participant row, then each meeting's
    pair of rows, as the other actions do."""
    found = Matchmaking.objects.filter(event=event.canonical).first()
    if found is None:
        return 0
    cancelled = 0
    with transaction.atomic():
        participant = (
            Participant.objects.select_for_update().filter(matchmaking=found, member=member).first()
        )
        if participant is None:
            return 0
        participant.active = False
        participant.save(update_fields=["active"])
    open_meetings = found.meetings.filter(
        Q(requester=member) | Q(recipient=member), status__in=OPEN_STATUSES
    ).select_related("requester", "recipient", "matchmaking")
    for meeting in open_meetings:
        with transaction.atomic():
            rows = (
                Participant.objects.select_for_update()
                .filter(matchmaking=found, member__in=[meeting.requester_id, meeting.recipient_id])
                .order_by("pk")
            )
            list(rows)
            current = Meeting.objects.select_related("requester", "recipient").get(pk=meeting.pk)
            if current.status in OPEN_STATUSES:
                _cancel_locked(current, by=member)
                cancelled += 1
    return cancelled


def mark_no_show(*, meeting: Meeting, no_show: bool) -> Meeting:
    """The check-in desk marks an accepted meeting as not held (or held after all)."""
    with transaction.atomic():
        current = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if current.status != Meeting.Status.ACCEPTED:
            raise Conflict(_("Only an accepted meeting can be marked."), code="not_accepted")
        current.no_show = bool(no_show)
        current.save(update_fields=["no_show", "updated"])
    return current


# --- slots ---------------------------------------------------------------------------------


def generate_slots(*, matchmaking: Matchmaking) -> list[MeetingSlot]:
    """Lay out the slots of ``matchmaking`` from its blocks, slot length and breaks.

    Slots that still fit are kept (with their meetings); slots that no longer fit are
    removed unless a meeting was accepted in them. Locks the matchmaking row so two
    editors saving at once lay the slots out once.
    """
    length = timedelta(minutes=max(1, matchmaking.slot_minutes))
    pause = timedelta(minutes=matchmaking.break_minutes)
    with transaction.atomic():
        Matchmaking.objects.select_for_update().get(pk=matchmaking.pk)
        wanted: list[tuple[datetime, datetime]] = []
        for block in matchmaking.blocks.order_by("start"):
            start = block.start
            while start + length <= block.end:
                wanted.append((start, start + length))
                start = start + length + pause
        existing = {slot.start: slot for slot in matchmaking.slots.all()}
        keep = set()
        for start, end in wanted:
            slot = existing.get(start)
            if slot is None:
                MeetingSlot.objects.create(matchmaking=matchmaking, start=start, end=end)
            else:
                keep.add(slot.pk)
                if slot.end != end:
                    slot.end = end
                    slot.save(update_fields=["end"])
        stale = matchmaking.slots.exclude(pk__in=keep).exclude(
            start__in=[start for start, _end in wanted]
        )
        stale.exclude(meetings__status=Meeting.Status.ACCEPTED).delete()
    return list(matchmaking.slots.order_by("start"))


# --- reminders -----------------------------------------------------------------------------


def send_meeting_reminders(*, minutes: int | None = None) -> int:
    """Remind both sides of each accepted meeting starting within ``minutes``
    (``MATCHMAKING_REMINDER_MINUTES``), once: the meeting is claimed (``reminder_sent_at``)
    before the e-mails are enqueued, in the same transaction."""
    minutes = minutes or settings.MATCHMAKING_REMINDER_MINUTES
    now = timezone.now()
    due = Meeting.objects.filter(
        status=Meeting.Status.ACCEPTED,
        reminder_sent_at__isnull=True,
        slot__start__gt=now,
        slot__start__lte=now + timedelta(minutes=minutes),
    ).values_list("pk", flat=True)
    sent = 0
    for pk in list(due):
        with transaction.atomic():
            claimed = Meeting.objects.filter(pk=pk, reminder_sent_at__isnull=True).update(
                reminder_sent_at=now
            )
            if not claimed:
                continue
            meeting = Meeting.objects.select_related("requester", "recipient").get(pk=pk)
            notify.remind(meeting)
            sent += 1
    return sent
