"""One-to-one meetings at events (brokerage): who takes part, when and where they meet.

An editor turns matchmaking on for an event (``Matchmaking``): meeting blocks (a day's
hours, ``MeetingBlock``), the slot length and the break between slots, tables or rooms
(``Table``, each with an optional online link), the most meetings a participant may hold
and the booking window. The slots (``MeetingSlot``) are made from the blocks by
``matchmaking.services.generate_slots``. Everything belongs to the event in the default
locale (``EventPage.canonical``), as registrations do.

The invariant: a member, and a table, is in at most one accepted meeting per slot. An
accepted meeting holds one ``MeetingSeat`` per participant; the database refuses a second
seat of a member in a slot (``one_seat_per_member_and_slot``) and a second accepted
meeting at a table in a slot (``one_meeting_per_table_and_slot``). The services take row
locks so that racing requests are decided one after another and none is lost.

Personal data: ``Participant`` (what a member offers and looks for), ``Meeting`` (who met
whom, the message) and ``MeetingSeat``.
"""

from datetime import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable


class Matchmaking(ClusterableModel):
    """The matchmaking settings of one event; times are stored in UTC and entered and
    shown in the event's time zone."""

    event = models.OneToOneField(
        "events.EventPage",
        verbose_name=_("event"),
        on_delete=models.CASCADE,
        related_name="matchmaking",
    )
    enabled = models.BooleanField(_("matchmaking on"), default=True)
    slot_minutes = models.PositiveSmallIntegerField(_("meeting length (minutes)"), default=20)
    break_minutes = models.PositiveSmallIntegerField(
        _("break between meetings (minutes)"), default=5
    )
    max_meetings = models.PositiveSmallIntegerField(_("most meetings per participant"), default=10)
    booking_opens = models.DateTimeField(_("booking opens"), null=True, blank=True)
    booking_closes = models.DateTimeField(
        _("booking closes"), null=True, blank=True, help_text=_("Empty: when the event starts.")
    )

    panels = [
        FieldPanel("event"),
        FieldPanel("enabled"),
        FieldRowPanel([FieldPanel("slot_minutes"), FieldPanel("break_minutes")]),
        FieldPanel("max_meetings"),
        FieldRowPanel([FieldPanel("booking_opens"), FieldPanel("booking_closes")]),
        MultiFieldPanel(
            [InlinePanel("blocks", label=_("Meeting hours"))], heading=_("Meeting hours")
        ),
        MultiFieldPanel([InlinePanel("tables", label=_("Table"))], heading=_("Tables")),
    ]

    class Meta:
        verbose_name = _("matchmaking")
        verbose_name_plural = _("matchmaking")

    def __str__(self):
        return str(self.event)

    def booking_state(self, *, now: datetime) -> str:
        """ "open", "not_yet_open" or "closed"."""
        if not self.enabled:
            return "closed"
        if self.booking_opens and now < self.booking_opens:
            return "not_yet_open"
        closes = self.booking_closes or self.event.end
        if now >= closes:
            return "closed"
        return "open"


class MeetingBlock(Orderable):
    """Hours in which meetings are held (one day's morning, say); the gap between two
    blocks is a break. Slots of ``slot_minutes`` are laid out from its start."""

    matchmaking = ParentalKey(Matchmaking, on_delete=models.CASCADE, related_name="blocks")
    start = models.DateTimeField(_("from"))
    end = models.DateTimeField(_("until"))

    panels = [FieldRowPanel([FieldPanel("start"), FieldPanel("end")])]

    class Meta(Orderable.Meta):
        verbose_name = _("meeting hours")


class Table(Orderable):
    """A table or room where meetings take place, or an online meeting room."""

    matchmaking = ParentalKey(Matchmaking, on_delete=models.CASCADE, related_name="tables")
    name = models.CharField(_("name"), max_length=80)
    online_link = models.URLField(_("online link"), blank=True)

    panels = [FieldRowPanel([FieldPanel("name"), FieldPanel("online_link")])]

    class Meta(Orderable.Meta):
        verbose_name = _("table")

    def __str__(self):
        return self.name


class MeetingSlot(models.Model):
    matchmaking = models.ForeignKey(Matchmaking, on_delete=models.CASCADE, related_name="slots")
    start = models.DateTimeField(_("starts"))
    end = models.DateTimeField(_("ends"))

    class Meta:
        verbose_name = _("meeting slot")
        ordering = ["start", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["matchmaking", "start"], name="one_slot_per_start")
        ]

    def __str__(self):
        tz = self.matchmaking.event.tzinfo
        return f"{self.start.astimezone(tz):%Y-%m-%d %H:%M}–{self.end.astimezone(tz):%H:%M}"


class Participant(models.Model):
    """A confirmed registrant who opted in to matchmaking, with their public profile."""

    matchmaking = models.ForeignKey(
        Matchmaking, on_delete=models.CASCADE, related_name="participants"
    )
    member = models.ForeignKey(
        "members.MemberProfile", on_delete=models.CASCADE, related_name="matchmaking_profiles"
    )
    organisation = models.ForeignKey(
        "members.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    offer = models.TextField(_("what I offer"), max_length=2000, blank=True)
    looking_for = models.TextField(_("what I look for"), max_length=2000, blank=True)
    active = models.BooleanField(default=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("matchmaking participant")
        ordering = ["member__display_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["matchmaking", "member"], name="one_participant_per_member"
            )
        ]

    def __str__(self):
        return str(self.member)


class Meeting(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        CANCELLED = "cancelled", _("Cancelled")

    matchmaking = models.ForeignKey(Matchmaking, on_delete=models.CASCADE, related_name="meetings")
    requester = models.ForeignKey(
        "members.MemberProfile", on_delete=models.CASCADE, related_name="meetings_requested"
    )
    recipient = models.ForeignKey(
        "members.MemberProfile", on_delete=models.CASCADE, related_name="meetings_received"
    )
    message = models.TextField(_("message"), max_length=1000, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED
    )
    slot = models.ForeignKey(
        MeetingSlot, null=True, blank=True, on_delete=models.PROTECT, related_name="meetings"
    )
    table = models.ForeignKey(
        Table, null=True, blank=True, on_delete=models.PROTECT, related_name="meetings"
    )
    no_show = models.BooleanField(_("no-show"), default=False)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("meeting")
        ordering = ["slot__start", "created", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(requester=models.F("recipient")), name="meeting_of_two_members"
            ),
            models.CheckConstraint(
                condition=Q(status="accepted", slot__isnull=False, table__isnull=False)
                | ~Q(status="accepted"),
                name="accepted_meeting_has_slot_and_table",
            ),
            models.UniqueConstraint(
                fields=["slot", "table"],
                condition=Q(status="accepted"),
                name="one_meeting_per_table_and_slot",
            ),
        ]

    def __str__(self):
        return f"{self.requester} – {self.recipient} ({self.get_status_display()})"

    def other(self, member):
        return self.recipient if member.pk == self.requester_id else self.requester


class MeetingSeat(models.Model):
    """A participant's place in an accepted meeting's slot: one per member and slot."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="seats")
    slot = models.ForeignKey(MeetingSlot, on_delete=models.CASCADE, related_name="seats")
    member = models.ForeignKey(
        "members.MemberProfile", on_delete=models.CASCADE, related_name="meeting_seats"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["slot", "member"], name="one_seat_per_member_and_slot")
        ]

    def __str__(self):
        return f"{self.member} @ {self.slot_id}"
