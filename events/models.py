"""Events of the club (conferences, trainings, webinars, award ceremonies) and registrations.

An EventPage is a Wagtail page under the EventIndexPage at /events/. Its start and end are
stored as aware datetimes (UTC in the database) together with the event's own IANA time
zone, in which pages, e-mails and calendars show them. Registrations are changed only by
``events.services``, which keeps the capacity invariant under concurrency.
"""

import secrets
import zoneinfo
from datetime import datetime
from functools import cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_countries.fields import CountryField
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from rest_framework import serializers
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.images.api.fields import ImageRenditionField
from wagtail.models import Locale, Orderable, Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index
from wagtail_headless_preview.models import HeadlessPreviewMixin

from events.editor_sections import EventEditorSections
from events.forms import EventPageForm

SEAT_STATUSES = ("confirmed", "attended")


@cache
def known_timezones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def validate_timezone(value: str) -> None:
    if value not in known_timezones():
        raise ValidationError(
            _("%(value)s is not an IANA time zone (e.g. Europe/Copenhagen)."),
            params={"value": value},
            code="invalid_timezone",
        )


class EventIndexPage(HeadlessPreviewMixin, Page):
    """The list of events at /events/: upcoming first, filterable by kind, country, month."""

    intro = RichTextField(blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["club.HomePage"]
    subpage_types = ["events.EventPage"]
    max_count = 1
    # Public events filtered by the query string; the "My registrations" link is the same
    # for every member (pages.models.ClubPage says what this declares).
    member_neutral = True

    api_fields = [APIField("intro")]

    class Meta:
        verbose_name = _("event index page")

    def get_context(self, request, *args, **kwargs):
        from events.selectors import event_index_context

        context = super().get_context(request, *args, **kwargs)
        context.update(event_index_context(index=self, request=request))
        return context


class EventPageQuerySet(PageQuerySet):
    def upcoming(self, *, now: datetime | None = None):
        """Live, public events that have not ended yet, soonest first."""
        now = now or timezone.now()
        return self.live().public().filter(end__gte=now).order_by("start", "pk")

    def past(self, *, now: datetime | None = None):
        now = now or timezone.now()
        return self.filter(end__lt=now)

    def upcoming_first(self, *, now: datetime | None = None):
        """Upcoming events soonest first, then past events most recent first."""
        now = now or timezone.now()
        return self.order_by(
            models.Case(models.When(end__gte=now, then=models.F("start"))).asc(nulls_last=True),
            models.Case(models.When(end__lt=now, then=models.F("start"))).desc(nulls_last=True),
            "pk",
        )

    def locked_for_seats(self, pk: int) -> "EventPage":
        """The event with ``pk``, its row locked until the end of the transaction.

        Every change to who holds a seat or to how many seats there are takes this lock
        first (registering, cancelling, promoting, changing the capacity), so those changes
        are decided one after another. Only the events table is locked (``of=("self",)``),
        not Wagtail's page row, so editing the page in the admin does not wait for
        registrations. SQLite ignores the lock; it serialises writers itself.
        """
        queryset = self.all()
        if connection.features.has_select_for_update_of:
            queryset = queryset.select_for_update(of=("self",))
        else:
            queryset = queryset.select_for_update()
        return queryset.get(pk=pk)

    def in_active_locale(self):
        """Events of the current language's locale: each event once, not once per alias."""
        return self.filter(locale=Locale.get_active())

    def with_seat_counts(self):
        """Annotates ``seats_taken`` (confirmed + attended members, confirmed guests) and
        ``waitlisted_count``.

        Registrations belong to the event in the default locale; counting through the
        translation key gives its aliases and translations the same numbers.
        """

        def count(model, statuses):
            return Coalesce(
                Subquery(
                    model.objects.filter(
                        event__translation_key=OuterRef("translation_key"), status__in=statuses
                    )
                    .order_by()
                    .values("event__translation_key")
                    .annotate(n=Count("pk"))
                    .values("n")
                ),
                0,
            )

        return self.annotate(
            seats_taken=count(Registration, SEAT_STATUSES)
            + count(GuestRegistration, [GuestRegistration.Status.CONFIRMED]),
            waitlisted_count=count(Registration, [Registration.Status.WAITLISTED]),
        )


EventPageManager = PageManager.from_queryset(EventPageQuerySet)


class OnlineLinkField(serializers.Field):
    """The online link in Wagtail's pages API: empty unless the reader may see it
    (``events.selectors.online_link_audience``)."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, event) -> str:
        from events.selectors import online_link_in

        return online_link_in(self.context, event)


class EventPage(HeadlessPreviewMixin, Page):
    """A conference, training, webinar or ceremony that members register for.

    ``capacity`` empty means unlimited seats. The registration window defaults to "from
    publication until the event starts" where its ends are left empty. Times are entered
    in the admin as wall-clock times of the event's own time zone.
    """

    class Kind(models.TextChoices):
        CONFERENCE = "conference", _("Conference")
        TRAINING = "training", _("Training")
        WEBINAR = "webinar", _("Webinar")
        CEREMONY = "ceremony", _("Award ceremony")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.CONFERENCE)
    intro = models.TextField(_("introduction"), blank=True, max_length=600)
    body = RichTextField(_("description"), blank=True)
    start = models.DateTimeField(_("starts"), db_index=True)
    end = models.DateTimeField(_("ends"), db_index=True)
    timezone = models.CharField(
        _("time zone"),
        max_length=64,
        default="Europe/Brussels",
        validators=[validate_timezone],
        help_text=_("The event's own IANA time zone; start, end and the window are in it."),
    )
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    country = CountryField(_("country"), blank=True, db_index=True)
    online_link = models.URLField(_("online link"), blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("picture"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Shown at the top of the event's page."),
    )
    organiser = models.ForeignKey(
        "members.Organisation",
        verbose_name=_("organiser"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organised_events",
    )
    members_only = models.BooleanField(
        _("members only"),
        default=False,
        help_text=_("Only members with an approved membership of an organisation may register."),
    )
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Seats; leave empty for unlimited.")
    )
    registration_opens = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes = models.DateTimeField(_("registration closes"), null=True, blank=True)
    guests_allowed = models.BooleanField(
        _("guests may register"),
        default=False,
        help_text=_(
            "People without an account may register with their e-mail address, which they "
            "confirm by a link; not for members-only events."
        ),
    )

    objects = EventPageManager()

    _seats_taken: int | None = None

    content_panels = [
        *Page.content_panels,
        FieldPanel("kind"),
        FieldPanel("intro"),
        FieldPanel("image"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
                FieldPanel("timezone"),
            ],
            heading=_("When"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("venue"),
                FieldRowPanel([FieldPanel("city"), FieldPanel("country")]),
                FieldPanel("online_link"),
                FieldPanel("organiser"),
            ],
            heading=_("Where and who"),
        ),
        FieldPanel("body"),
        InlinePanel("speakers", label=_("Speaker"), heading=_("Speakers")),
        InlinePanel("sessions", label=_("Programme"), heading=_("Programme")),
        MultiFieldPanel(
            [
                FieldPanel("members_only"),
                FieldPanel("guests_allowed"),
                FieldPanel("capacity"),
                FieldRowPanel(
                    [FieldPanel("registration_opens"), FieldPanel("registration_closes")]
                ),
            ],
            heading=_("Registration"),
        ),
        InlinePanel("questions", label=_("Registration question"), heading=_("Questions")),
        # What apps above this one show of the event (the brokerage's figures).
        EventEditorSections(),
    ]
    parent_page_types = ["events.EventIndexPage"]
    subpage_types = []
    base_form_class = EventPageForm

    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
        index.SearchField("city"),
        index.SearchField("venue"),
        index.FilterField("kind"),
        index.FilterField("start"),
        index.FilterField("end"),
        index.FilterField("country"),
    ]

    api_fields = [
        APIField("kind"),
        APIField("intro"),
        APIField("body"),
        APIField("start"),
        APIField("end"),
        APIField("timezone"),
        APIField("venue"),
        APIField("city"),
        APIField("country", serializer=serializers.CharField(source="country.code")),
        APIField("online_link", serializer=OnlineLinkField()),
        APIField("members_only"),
        APIField("guests_allowed"),
        APIField("capacity"),
        APIField("seats_left"),
        APIField("registration_opens"),
        APIField("registration_closes"),
        APIField("speakers"),
        APIField("sessions"),
        APIField("questions"),
        APIField("image"),
        APIField(
            "image_rendition",
            serializer=ImageRenditionField("fill-1200x630|format-jpeg", source="image"),
        ),
        APIField(
            "image_thumbnail",
            serializer=ImageRenditionField("fill-400x300|format-jpeg", source="image"),
        ),
    ]

    class Meta:
        verbose_name = _("event")
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")), name="event_ends_after_start"
            ),
        ]

    def clean(self):
        super().clean()
        errors = {}
        if self.start and self.end and self.end < self.start:
            errors["end"] = _("The event cannot end before it starts.")
        if (
            self.registration_opens
            and self.registration_closes
            and self.registration_closes < self.registration_opens
        ):
            errors["registration_closes"] = _("Registration cannot close before it opens.")
        if self.registration_closes and self.end and self.registration_closes > self.end:
            errors["registration_closes"] = _("Registration cannot close after the event ends.")
        if self.guests_allowed and self.members_only:
            errors["guests_allowed"] = _("A members-only event cannot take guests.")
        if self.pk is not None:
            stored = EventPage.objects.filter(pk=self.pk).values_list("capacity", flat=True)
            try:
                self.check_capacity(previous=stored.first())
            except ValidationError as error:
                errors.update(error.message_dict)
        if errors:
            raise ValidationError(errors)

    def check_capacity(self, *, previous: int | None) -> None:
        """Refuse a capacity lowered below the seats already taken (confirmed or attended).

        ``previous`` is the stored capacity: keeping it, or raising it, is always allowed,
        so an event that was overbooked by hand can still be edited. Raises
        ``ValidationError({"capacity": ...})``. Callers that write hold the event's lock
        (``EventPage.objects.locked_for_seats``), so the count cannot change meanwhile.
        """
        capacity = self.capacity
        if capacity is None or self.pk is None:
            return
        if previous is not None and capacity >= previous:
            return
        taken = seats_taken_count(event__translation_key=self.translation_key)
        if capacity < taken:
            raise ValidationError(
                {
                    "capacity": ngettext(
                        "%(count)d seat is already taken: the capacity cannot be lower. "
                        "Cancel registrations first.",
                        "%(count)d seats are already taken: the capacity cannot be lower. "
                        "Cancel registrations first.",
                        taken,
                    )
                    % {"count": taken}
                },
                code="capacity_below_seats_taken",
            )

    def save(self, *args, **kwargs):
        """Saving a capacity takes the registrations' lock and counts the seats again under
        it: a registration that confirmed after the admin form was checked is counted, and a
        registration that comes while the capacity is written waits and sees the new one.
        A capacity below the seats taken is refused with ``ValidationError``."""
        update_fields = kwargs.get("update_fields")
        if self.pk is None or (update_fields is not None and "capacity" not in update_fields):
            return super().save(*args, **kwargs)
        with transaction.atomic():
            stored = EventPage.objects.locked_for_seats(self.pk)
            self.check_capacity(previous=stored.capacity)
            return super().save(*args, **kwargs)

    # --- time zone -------------------------------------------------------------------------

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        try:
            return zoneinfo.ZoneInfo(self.timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo(settings.TIME_ZONE)

    @property
    def local_start(self) -> datetime:
        return self.start.astimezone(self.tzinfo)

    @property
    def local_end(self) -> datetime:
        return self.end.astimezone(self.tzinfo)

    # --- registration ------------------------------------------------------------------------

    @property
    def effective_registration_closes(self) -> datetime:
        return self.registration_closes or self.start

    def is_past(self, *, now: datetime | None = None) -> bool:
        return self.end < (now or timezone.now())

    def registration_state(self, *, now: datetime | None = None) -> str:
        """ "open", "not_yet_open", "closed" or "past"."""
        now = now or timezone.now()
        if self.is_past(now=now):
            return "past"
        if self.registration_opens and now < self.registration_opens:
            return "not_yet_open"
        if now >= self.effective_registration_closes:
            return "closed"
        return "open"

    def is_registration_open(self, *, now: datetime | None = None) -> bool:
        return self.registration_state(now=now) == "open"

    @property
    def canonical(self) -> "EventPage":
        """The event in the default locale, which holds the registrations and the seats.

        Wagtail keeps an alias or translation of each page per language; registering on
        any of them must take a seat of the one event.
        """
        if self.alias_of_id is None and self.locale_id == Locale.get_default().pk:
            return self
        return (
            EventPage.objects.filter(
                translation_key=self.translation_key, locale=Locale.get_default()
            ).first()
            or self
        )

    @property
    def seats_taken(self) -> int:
        """Confirmed and attended registrations; lists annotate it (with_seat_counts)."""
        if self._seats_taken is None:
            self._seats_taken = seats_taken_count(event__translation_key=self.translation_key)
        return self._seats_taken

    @seats_taken.setter
    def seats_taken(self, value: int) -> None:
        self._seats_taken = value

    @property
    def seats_left(self) -> int | None:
        """Free seats, or None when the event has no capacity limit."""
        if self.capacity is None:
            return None
        return max(0, self.capacity - self.seats_taken)

    def get_calendar_url(self) -> str:
        from django.urls import reverse

        return reverse("events:event-calendar", kwargs={"pk": self.pk})

    # The member's registration, its form and the online link are each member's own
    # parts, filled in as the page is served (events.site); the rest is the same for all.
    member_neutral = True

    def get_context(self, request, *args, **kwargs):
        from events.selectors import event_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(event_page_context(event=self, request=request))
        return context


class EventSession(Orderable):
    """One item of an event's programme."""

    page = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="sessions")
    start = models.DateTimeField(_("starts"))
    end = models.DateTimeField(_("ends"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=200)
    room = models.CharField(_("room"), max_length=120, blank=True)
    description = models.TextField(_("description"), blank=True)
    speakers = ParentalManyToManyField(
        "members.MemberProfile",
        verbose_name=_("speakers"),
        blank=True,
        related_name="event_sessions",
    )

    panels = [
        FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
        FieldPanel("title"),
        FieldPanel("room"),
        FieldPanel("description"),
        FieldPanel("speakers"),
    ]

    api_fields = [
        APIField("start"),
        APIField("end"),
        APIField("title"),
        APIField("room"),
        APIField("description"),
        APIField("speaker_names"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("programme session")

    def __str__(self):
        return self.title

    @property
    def speaker_names(self) -> list[str]:
        """Names of the speakers whose profiles are public (the page API is anonymous)."""
        return self.visible_speaker_names(None)

    def visible_speaker_names(self, user) -> list[str]:
        from members.models import MemberProfile

        visible = MemberProfile.objects.visible_to(user).filter(
            pk__in=[speaker.pk for speaker in self.speakers.all()]
        )
        return [speaker.name for speaker in visible]

    @property
    def local_start(self) -> datetime:
        return self.start.astimezone(self.page.tzinfo)

    @property
    def local_end(self) -> datetime | None:
        return self.end.astimezone(self.page.tzinfo) if self.end else None


class EventSpeaker(Orderable):
    """A speaker at an event, member of the club or not: name, affiliation, photo and bio.

    ``member`` links the speaker to a member profile when they have one; the speaker's
    details are still those typed here (an outside speaker has only these). Erasing the
    member unlinks them (``privacy.registry``).
    """

    page = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="speakers")
    name = models.CharField(_("name"), max_length=200)
    affiliation = models.CharField(
        _("affiliation"), max_length=200, blank=True, help_text=_("Organisation and role.")
    )
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    bio = models.TextField(_("biography"), max_length=2000, blank=True)
    member = models.ForeignKey(
        "members.MemberProfile",
        verbose_name=_("member profile"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="speaker_entries",
        help_text=_("If the speaker is a member: their profile is linked from the event."),
    )

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("affiliation")]),
        FieldPanel("photo"),
        FieldPanel("bio"),
        FieldPanel("member"),
    ]

    api_fields = [
        APIField("name"),
        APIField("affiliation"),
        APIField("bio"),
        APIField("photo", serializer=ImageRenditionField("fill-240x240")),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("speaker")

    def __str__(self):
        return self.name


class QuestionFields(models.Model):
    """What a registration question is, wherever it is asked: of every registrant of an
    event (``RegistrationQuestion``) or of those of one ticket type (``TicketQuestion``).

    ``key`` names the answer in ``Registration.answers`` and in the API; it is made from the
    label when left empty and must be unique among the questions one registrant answers.
    """

    class Kind(models.TextChoices):
        TEXT = "text", _("Text")
        CHOICE = "choice", _("One of several choices")
        CHECKBOX = "checkbox", _("Checkbox (yes / no)")

    label = models.CharField(_("question"), max_length=200)
    key = models.SlugField(
        _("key"),
        max_length=50,
        blank=True,
        help_text=_("Name of the answer in exports and the API; made from the question if empty."),
    )
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices, default=Kind.TEXT)
    choices = models.TextField(
        _("choices"), blank=True, help_text=_("For a choice question: one choice per line.")
    )
    required = models.BooleanField(_("required"), default=False)
    help_text = models.CharField(_("help text"), max_length=255, blank=True)

    panels = [
        FieldRowPanel([FieldPanel("label"), FieldPanel("key")]),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("required")]),
        FieldPanel("choices"),
        FieldPanel("help_text"),
    ]

    api_fields = [
        APIField("key"),
        APIField("label"),
        APIField("kind"),
        APIField("choice_list"),
        APIField("required"),
        APIField("help_text"),
    ]

    class Meta:
        abstract = True

    def __str__(self):
        return self.label

    @property
    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]

    def clean(self):
        super().clean()
        if self.kind == self.Kind.CHOICE and len(self.choice_list) < 2:
            raise ValidationError({"choices": _("Give at least two choices, one per line.")})

    def save(self, *args, **kwargs):
        if not self.key:
            self.key = slugify(self.label)[:50].replace("-", "_") or "question"
        super().save(*args, **kwargs)


class RegistrationQuestion(Orderable, QuestionFields):
    """A question the organiser asks every registrant of an event (dietary needs, ...)."""

    page = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="questions")

    class Meta(Orderable.Meta):
        verbose_name = _("registration question")


def new_ticket_code() -> str:
    # Unambiguous uppercase letters and digits (no 0/O, 1/I): typed at a check-in desk.
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(10))


class RegistrationQuerySet(models.QuerySet):
    def holding_seats(self):
        return self.filter(status__in=SEAT_STATUSES)

    def active(self):
        return self.exclude(status=Registration.Status.CANCELLED)

    def for_user(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(member__user=user)


class Registration(models.Model):
    """A member's registration for an event.

    ``position`` is the place on the waitlist (1 is next) and is set only while the status
    is waitlisted; each ticket type has its own waitlist (registrations without a ticket
    type form one more). One row per member and event: registering again after a cancellation
    reuses it.
    """

    # Registrations are not content that uses the event page: Wagtail's reference index
    # ("usage" of a page) would only add a write to every registration, inside the event's
    # lock (bench/README.md, registration race).
    wagtail_reference_index_ignore = True

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("Waitlisted")
        CANCELLED = "cancelled", _("Cancelled")
        ATTENDED = "attended", _("Attended")

    event = models.ForeignKey(
        EventPage, verbose_name=_("event"), on_delete=models.CASCADE, related_name="registrations"
    )
    member = models.ForeignKey(
        "members.MemberProfile",
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="event_registrations",
    )
    ticket_type = models.ForeignKey(
        "events.TicketType",
        verbose_name=_("ticket type"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="registrations",
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, db_index=True)
    position = models.PositiveIntegerField(_("waitlist position"), null=True, blank=True)
    ticket_code = models.CharField(
        _("ticket code"), max_length=16, unique=True, default=new_ticket_code, editable=False
    )
    created = models.DateTimeField(_("registered"), auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("registration")
        ordering = ["event", "status", "position", "created", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "member"], name="one_registration_per_member"),
            models.CheckConstraint(
                condition=(Q(status="waitlisted", position__isnull=False, position__gte=1))
                | (~Q(status="waitlisted") & Q(position__isnull=True)),
                name="position_only_on_waitlist",
            ),
        ]

    def __str__(self):
        return f"{self.member} · {self.event} ({self.get_status_display()})"


def seats_taken_count(**event_lookup) -> int:
    """Seats held at the events that ``event_lookup`` selects (``event=...``,
    ``event__translation_key=...``, optionally ``ticket_type=...``): confirmed and attended
    registrations plus confirmed guests, counted in one query."""
    members = Registration.objects.filter(status__in=SEAT_STATUSES, **event_lookup)
    guests = GuestRegistration.objects.filter(
        status=GuestRegistration.Status.CONFIRMED, **event_lookup
    )
    return members.order_by().values("pk").union(guests.order_by().values("pk"), all=True).count()


class TicketType(ClusterableModel):
    """A kind of ticket of one event (members, non-members, speakers, staff, or a name the
    organiser gives), with its own seats, questions and waitlist.

    ``capacity`` empty means: as many as the event has seats; the event's own capacity
    always holds for all ticket types together. An event without ticket types takes
    registrations as before. Guests (no account) may choose the ticket types for
    non-members and those named by the organiser.
    """

    class Kind(models.TextChoices):
        MEMBER = "member", _("Members (approved membership)")
        NON_MEMBER = "non_member", _("Non-members")
        SPEAKER = "speaker", _("Speakers (of a session of the event)")
        STAFF = "staff", _("Staff")
        OTHER = "other", _("Other (open to anyone)")

    GUEST_KINDS = (Kind.NON_MEMBER, Kind.OTHER)

    event = models.ForeignKey(
        EventPage,
        verbose_name=_("event"),
        on_delete=models.CASCADE,
        related_name="ticket_types",
        # Seats belong to the event itself, not to its aliases in other languages.
        limit_choices_to={"alias_of__isnull": True},
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("who may take it"), max_length=12, choices=Kind.choices)
    capacity = models.PositiveIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        help_text=_("Seats of this ticket type; leave empty for up to the event's capacity."),
    )
    sort_order = models.IntegerField(_("order"), default=0)

    panels = [
        FieldPanel("event"),
        FieldRowPanel([FieldPanel("name"), FieldPanel("kind")]),
        FieldRowPanel([FieldPanel("capacity"), FieldPanel("sort_order")]),
        InlinePanel("questions", label=_("Question"), heading=_("Questions of this ticket type")),
    ]

    class Meta:
        verbose_name = _("ticket type")
        ordering = ["event", "sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "name"], name="ticket_type_name_per_event")
        ]

    def __str__(self):
        return f"{self.event.title} · {self.name}"

    @property
    def open_to_guests(self) -> bool:
        return self.kind in self.GUEST_KINDS

    def seats_left(self, *, taken: int | None = None) -> int | None:
        """Free seats of this ticket type (None: no limit of its own); lists annotate
        ``seats_taken`` (``events.selectors.ticket_types_with_seats``)."""
        if self.capacity is None:
            return None
        if taken is None:
            taken = getattr(self, "seats_taken", None)
        if taken is None:
            taken = seats_taken_count(ticket_type=self)
        return max(0, self.capacity - taken)

    def clean(self):
        super().clean()
        self.check_capacity()

    def save(self, *args, **kwargs):
        """A capacity lowered below the seats this ticket type holds is refused with
        ``ValidationError``; the check runs again under the event's seat lock, like the
        event's own capacity."""
        with transaction.atomic():
            EventPage.objects.locked_for_seats(self.event_id)
            self.check_capacity()
            return super().save(*args, **kwargs)

    def check_capacity(self) -> None:
        if self.pk is not None and self.capacity is not None:
            taken = seats_taken_count(ticket_type=self)
            if self.capacity < taken:
                raise ValidationError(
                    {
                        "capacity": ngettext(
                            "%(count)d seat of this ticket type is taken: the capacity "
                            "cannot be lower.",
                            "%(count)d seats of this ticket type are taken: the capacity "
                            "cannot be lower.",
                            taken,
                        )
                        % {"count": taken}
                    },
                    code="capacity_below_seats_taken",
                )


class TicketQuestion(Orderable, QuestionFields):
    """A question asked only of those who take one ticket type (a speaker's talk title)."""

    ticket_type = ParentalKey(TicketType, on_delete=models.CASCADE, related_name="questions")

    class Meta(Orderable.Meta):
        verbose_name = _("ticket question")


def new_guest_token() -> str:
    return secrets.token_urlsafe(32)


class GuestRegistrationQuerySet(models.QuerySet):
    def holding_seats(self):
        return self.filter(status=GuestRegistration.Status.CONFIRMED)


class GuestRegistration(models.Model):
    """Someone without an account registered for a public event that takes guests.

    The request is ``pending`` until the guest opens the link of the e-mail and confirms:
    only then is a seat taken (under the event's lock, like a member's). A pending request
    holds no seat and its link works for ``GUEST_CONFIRMATION_HOURS`` after
    ``link_sent_at``. ``token`` is the
    secret of the links in the guest's e-mails (confirm, cancel). Rows are erased
    ``GUEST_RETENTION_DAYS`` after the event ends (``events.guests.erase_expired_guests``).
    """

    wagtail_reference_index_ignore = True

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the e-mail confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        CANCELLED = "cancelled", _("Cancelled")

    event = models.ForeignKey(
        EventPage,
        verbose_name=_("event"),
        on_delete=models.CASCADE,
        related_name="guest_registrations",
    )
    ticket_type = models.ForeignKey(
        TicketType,
        verbose_name=_("ticket type"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="guest_registrations",
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"))
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=8, default="en")
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    token = models.CharField(max_length=64, unique=True, default=new_guest_token, editable=False)
    created = models.DateTimeField(_("registered"), auto_now_add=True)
    link_sent_at = models.DateTimeField(_("confirmation link sent"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    # Given at confirmation (a pending request has no ticket): the code the guest shows at
    # the event's check-in desk, as a member's registration has one.
    ticket_code = models.CharField(
        _("ticket code"), max_length=16, unique=True, null=True, blank=True, editable=False
    )
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    updated = models.DateTimeField(auto_now=True)

    objects = GuestRegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("guest registration")
        ordering = ["event", "status", "created", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=~Q(status="cancelled"),
                name="one_active_guest_registration_per_address",
            )
        ]

    def __str__(self):
        return f"{self.name} · {self.event} ({self.get_status_display()})"


class AttendeeMessage(models.Model):
    """A message an organiser sent to an event's confirmed attendees or its waitlist: the
    record of what went out (who sent it, when, to how many, the text). The mails are
    sent by ``events.services.send_message_to_attendees``, one per recipient."""

    wagtail_reference_index_ignore = True

    class Audience(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed attendees")
        WAITLISTED = "waitlisted", _("The waitlist")

    event = models.ForeignKey(
        EventPage,
        verbose_name=_("event"),
        on_delete=models.CASCADE,
        related_name="attendee_messages",
    )
    audience = models.CharField(
        _("sent to"), max_length=12, choices=Audience.choices, default=Audience.CONFIRMED
    )
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"), max_length=10000)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)
    recipient_count = models.PositiveIntegerField(_("recipients"), default=0)

    class Meta:
        verbose_name = _("message to attendees")
        verbose_name_plural = _("messages to attendees")
        ordering = ["-sent_at", "-pk"]

    def __str__(self):
        return self.subject
