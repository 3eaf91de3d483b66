"""JSON API of the events: the list, one event, and the signed-in member's registration.

``/api/events/`` lists upcoming events first (then past ones, most recent first) and
filters by ``type`` (kind), ``country`` (ISO code), ``from`` and ``to`` (dates). The
registration endpoint answers ``{"status", "position", ...}`` and only ever touches the
requesting member's own registration.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_countries import countries
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import exceptions, generics, serializers, status
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from events import guests, ics, services
from events.models import (
    EventPage,
    EventSession,
    Registration,
    RegistrationQuestion,
    TicketQuestion,
    TicketType,
)
from events.selectors import online_link_in, speakers_for, ticket_types_with_seats, visible_events
from members.models import MemberProfile
from security.throttling import ScopedThrottle
from webapi.conventions import StrictQueryParamsMixin


def local_iso(event: EventPage, value: datetime | None) -> str | None:
    return value.astimezone(event.tzinfo).isoformat() if value else None


class OrganiserSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    slug = serializers.CharField()


class EventSerializer(serializers.ModelSerializer):
    start = serializers.SerializerMethodField()
    end = serializers.SerializerMethodField()
    registration_opens = serializers.SerializerMethodField()
    registration_closes = serializers.SerializerMethodField()
    registration_open = serializers.SerializerMethodField()
    country = serializers.SerializerMethodField()
    seats_left = serializers.SerializerMethodField()
    online_link = serializers.SerializerMethodField()
    organiser = OrganiserSerializer(allow_null=True)
    url = serializers.SerializerMethodField()
    calendar_url = serializers.SerializerMethodField()

    class Meta:
        model = EventPage
        fields = [
            "id",
            "title",
            "kind",
            "start",
            "end",
            "timezone",
            "venue",
            "city",
            "country",
            "online_link",
            "organiser",
            "members_only",
            "guests_allowed",
            "capacity",
            "seats_left",
            "registration_opens",
            "registration_closes",
            "registration_open",
            "url",
            "calendar_url",
        ]

    def get_start(self, event) -> str:
        return local_iso(event, event.start)

    def get_end(self, event) -> str:
        return local_iso(event, event.end)

    def get_registration_opens(self, event) -> str | None:
        return local_iso(event, event.registration_opens)

    def get_registration_closes(self, event) -> str | None:
        return local_iso(event, event.registration_closes)

    def get_registration_open(self, event) -> bool:
        return event.is_registration_open()

    def get_country(self, event) -> str:
        return event.country.code or ""

    def get_seats_left(self, event) -> int | None:
        return event.seats_left

    def get_online_link(self, event) -> str:
        """Empty unless the caller holds a seat (confirmed or attended) or is staff."""
        return online_link_in(self.context, event)

    def _absolute(self, path: str) -> str:
        request = self.context.get("request")
        if path.startswith("/") and request is not None:
            return request.build_absolute_uri(path)
        return path

    def get_url(self, event) -> str:
        return self._absolute(event.get_url() or ics.absolute_url(event))

    def get_calendar_url(self, event) -> str:
        return self._absolute(event.get_calendar_url())


class SessionSerializer(serializers.ModelSerializer):
    start = serializers.SerializerMethodField()
    end = serializers.SerializerMethodField()
    speakers = serializers.SerializerMethodField()

    class Meta:
        model = EventSession
        fields = ["start", "end", "title", "room", "description", "speakers"]

    def get_start(self, session) -> str:
        return local_iso(session.page, session.start)

    def get_end(self, session) -> str | None:
        return local_iso(session.page, session.end)

    def get_speakers(self, session) -> list[dict]:
        request = self.context.get("request")
        user = getattr(request, "user", None)
        speakers = list(session.speakers.all())
        # Hidden profiles stay out of API answers for those who may not see them.
        visible = set(
            MemberProfile.objects.visible_to(user)
            .filter(pk__in=[speaker.pk for speaker in speakers])
            .values_list("pk", flat=True)
        )
        return [{"id": s.pk, "name": s.name} for s in speakers if s.pk in visible]


class SpeakerSerializer(serializers.Serializer):
    name = serializers.CharField()
    affiliation = serializers.CharField()
    bio = serializers.CharField()
    photo = serializers.URLField(allow_null=True, help_text=_("A square picture, 240 pixels."))
    member = serializers.IntegerField(
        allow_null=True, help_text=_("The speaker's member profile, if they have one you may see.")
    )


class QuestionSerializer(serializers.ModelSerializer):
    choices = serializers.ListField(source="choice_list", child=serializers.CharField())

    class Meta:
        model = RegistrationQuestion
        fields = ["key", "label", "kind", "choices", "required", "help_text"]


class TicketQuestionSerializer(QuestionSerializer):
    class Meta(QuestionSerializer.Meta):
        model = TicketQuestion


class TicketTypeSerializer(serializers.ModelSerializer):
    seats_left = serializers.SerializerMethodField()
    open_to_guests = serializers.BooleanField(read_only=True)
    questions = TicketQuestionSerializer(many=True)

    class Meta:
        model = TicketType
        fields = ["id", "name", "kind", "capacity", "seats_left", "open_to_guests", "questions"]

    def get_seats_left(self, ticket_type) -> int | None:
        """Free seats of the ticket type (None: no limit of its own; the event's
        ``seats_left`` still applies)."""
        return ticket_type.seats_left()


class EventDetailSerializer(EventSerializer):
    speakers = serializers.SerializerMethodField()
    sessions = SessionSerializer(many=True)
    questions = QuestionSerializer(many=True)
    ticket_types = serializers.SerializerMethodField()

    class Meta(EventSerializer.Meta):
        fields = [
            *EventSerializer.Meta.fields,
            "intro",
            "speakers",
            "sessions",
            "questions",
            "ticket_types",
        ]

    @extend_schema_field(TicketTypeSerializer(many=True))
    def get_ticket_types(self, event) -> list:
        """The event's ticket types with the seats each has left; registering for an
        event that has any needs one (``ticket_type``)."""
        return TicketTypeSerializer(ticket_types_with_seats(event.canonical), many=True).data

    @extend_schema_field(SpeakerSerializer(many=True))
    def get_speakers(self, event) -> list[dict]:
        request = self.context.get("request")
        speakers = []
        for speaker, profile in speakers_for(event=event, user=getattr(request, "user", None)):
            photo = None
            if speaker.photo is not None:
                try:
                    photo = self._absolute(speaker.photo.get_rendition("fill-240x240").url)
                except OSError:  # SourceImageIOError: the file is missing
                    # The image's file is gone from storage: the speaker without a photo,
                    # not an error for the whole event.
                    photo = None
            speakers.append(
                {
                    "name": speaker.name,
                    "affiliation": speaker.affiliation,
                    "bio": speaker.bio,
                    "photo": photo,
                    "member": profile.pk if profile is not None else None,
                }
            )
        return speakers


class RegistrationSerializer(serializers.ModelSerializer):
    event = serializers.IntegerField(source="event_id")
    ticket_type = serializers.IntegerField(source="ticket_type_id", allow_null=True)

    class Meta:
        model = Registration
        fields = [
            "id",
            "event",
            "ticket_type",
            "status",
            "position",
            "ticket_code",
            "answers",
            "created",
        ]


class RegistrationRequestSerializer(serializers.Serializer):
    ticket_type = serializers.IntegerField(
        required=False, help_text=_("The id of a ticket type; needed when the event has any.")
    )
    answers = serializers.DictField(required=False, help_text=_("{question key: answer}"))


class GuestRegistrationRequestSerializer(RegistrationRequestSerializer):
    name = serializers.CharField()
    email = serializers.EmailField()
    organisation = serializers.CharField(required=False)


class GuestRegistrationAnswerSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["pending"])
    detail = serializers.CharField()


def parse_day_or_moment(value: str, *, end_of_day: bool) -> datetime:
    """``YYYY-MM-DD`` (the whole day in the site's time zone) or an ISO 8601 datetime."""
    try:
        moment = parse_datetime(value)
        day = None if moment else parse_date(value)
    except ValueError:
        moment = day = None
    if moment is not None:
        return moment if timezone.is_aware(moment) else timezone.make_aware(moment)
    if day is None:
        raise ValueError(value)
    if end_of_day:
        day = day + timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, time.min))


FILTER_PARAMETERS = [
    OpenApiParameter("type", OpenApiTypes.STR, enum=list(EventPage.Kind.values)),
    OpenApiParameter("country", OpenApiTypes.STR, description="ISO 3166-1 alpha-2 code"),
    OpenApiParameter("from", OpenApiTypes.DATE, description="events that end on or after"),
    OpenApiParameter("to", OpenApiTypes.DATE, description="events that start on or before"),
]


@extend_schema(parameters=FILTER_PARAMETERS)
class EventListView(StrictQueryParamsMixin, generics.ListAPIView):
    """Published events: upcoming first (soonest first), then past ones (latest first)."""

    serializer_class = EventSerializer
    permission_classes = [AllowAny]
    allowed_query_params = frozenset({"type", "country", "from", "to"})

    def get_queryset(self):
        params = self.request.query_params
        events = visible_events().with_seat_counts().select_related("organiser")
        errors = {}
        kind = params.get("type")
        if kind is not None:
            if kind not in EventPage.Kind.values:
                errors["type"] = [_("Choose one of: %s.") % ", ".join(EventPage.Kind.values)]
            else:
                events = events.filter(kind=kind)
        country = params.get("country")
        if country is not None:
            code = country.strip().upper()
            if code not in dict(countries):
                errors["country"] = [_("Give an ISO 3166-1 country code such as DK.")]
            else:
                events = events.filter(country=code)
        bounds = {}
        for name, end_of_day in (("from", False), ("to", True)):
            raw = params.get(name)
            if raw is None:
                continue
            try:
                bounds[name] = parse_day_or_moment(raw.strip(), end_of_day=end_of_day)
            except ValueError:
                errors[name] = [_("Give a date as YYYY-MM-DD or an ISO 8601 date and time.")]
        if "from" in bounds and "to" in bounds and bounds["to"] < bounds["from"]:
            errors["to"] = [_("This date lies before “from”.")]
        if errors:
            raise exceptions.ValidationError(errors)
        if "from" in bounds:
            events = events.filter(end__gte=bounds["from"])
        if "to" in bounds:
            events = events.filter(start__lt=bounds["to"])
        return events.upcoming_first()


class EventDetailView(StrictQueryParamsMixin, generics.RetrieveAPIView):
    """One published event with its programme and registration questions; ``id`` is the
    page id."""

    serializer_class = EventDetailSerializer
    permission_classes = [AllowAny]

    def get_queryset(self):
        return (
            EventPage.objects.live()
            .public()
            .with_seat_counts()
            .select_related("organiser")
            .prefetch_related("sessions__speakers", "questions")
        )


class EventRegistrationView(StrictQueryParamsMixin, APIView):
    """The signed-in member's registration for one event: read, register, cancel."""

    permission_classes = [IsAuthenticated]

    def get_event(self, pk: int) -> EventPage:
        event = EventPage.objects.live().public().filter(pk=pk).first()
        if event is None:
            raise exceptions.NotFound(_("No such event."))
        return event.canonical

    def own_registration(self, event: EventPage) -> Registration:
        registration = (
            Registration.objects.active()
            .filter(event=event, member__user=self.request.user)
            .first()
        )
        if registration is None:
            raise exceptions.NotFound(_("You have no registration for this event."))
        return registration

    @extend_schema(responses={200: RegistrationSerializer})
    def get(self, request, pk: int):
        registration = self.own_registration(self.get_event(pk))
        return Response(RegistrationSerializer(registration).data)

    @extend_schema(
        request=RegistrationRequestSerializer,
        responses={201: RegistrationSerializer, 200: RegistrationSerializer},
    )
    def post(self, request, pk: int):
        event = self.get_event(pk)
        if not isinstance(request.data, dict):
            raise exceptions.ValidationError({"detail": [_("Send a JSON object.")]})
        registration, created = services.register_for_event(
            event=event,
            member=request.user.profile,
            answers=request.data.get("answers"),
            ticket_type=request.data.get("ticket_type"),
        )
        return Response(
            RegistrationSerializer(registration).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(request=None, responses={200: RegistrationSerializer})
    def delete(self, request, pk: int):
        registration = self.own_registration(self.get_event(pk))
        services.cancel_registration(registration=registration)
        return Response(RegistrationSerializer(registration).data)


class GuestRegistrationView(StrictQueryParamsMixin, APIView):
    """A guest's registration (no account) for an event that takes guests.

    Answers 202 ``{"status": "pending"}`` whoever the address belongs to: the e-mail sent
    to it (in the request's language) carries the link that confirms the seat, or says
    that the address already holds one. Throttled per client address.
    """

    # The default authentication stays: a signed-in browser's session POST needs its CSRF
    # token here as everywhere; anonymous guests send none.
    permission_classes = [AllowAny]
    throttle_classes = [ScopedThrottle]
    throttle_scope = "guest_registration"

    @extend_schema(
        request=GuestRegistrationRequestSerializer,
        responses={202: GuestRegistrationAnswerSerializer},
    )
    def post(self, request, pk: int):
        event = EventPage.objects.live().public().filter(pk=pk).first()
        if event is None:
            raise exceptions.NotFound(_("No such event."))
        data = request.data
        if not isinstance(data, dict):
            raise exceptions.ValidationError({"detail": [_("Send a JSON object.")]})
        guests.request_guest_registration(
            event=event,
            name=data.get("name"),
            email=data.get("email"),
            organisation=data.get("organisation", ""),
            answers=data.get("answers"),
            ticket_type=data.get("ticket_type"),
            language=get_language(),
        )
        return Response(
            {
                "status": "pending",
                "detail": _(
                    "Check your inbox: we sent you a link. Your seat is held once you "
                    "confirm through it."
                ),
            },
            status=status.HTTP_202_ACCEPTED,
        )


class CanCheckIn(BasePermission):
    """Staff who may check attendees in (``events.change_registration``)."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.has_perm("events.change_registration"))


class CheckInRequestSerializer(serializers.Serializer):
    ticket_code = serializers.CharField(
        help_text=_("The code printed on the ticket or read from its QR code.")
    )


class AttendeeSerializer(serializers.Serializer):
    name = serializers.CharField()
    organisation = serializers.CharField(allow_blank=True)
    ticket_code = serializers.CharField()
    status = serializers.ChoiceField(choices=Registration.Status.choices)
    event = serializers.IntegerField(help_text=_("The event the ticket is for."))
    checked_in_at = serializers.DateTimeField(allow_null=True)
    guest = serializers.BooleanField(
        help_text=_("A guest without an account (registered by e-mail), not a member.")
    )


class ScanSerializer(serializers.Serializer):
    result = serializers.ChoiceField(choices=[(r, r) for r in services.SCAN_RESULTS])
    message = serializers.CharField()
    attendee = AttendeeSerializer(allow_null=True)


def scan_data(scan: services.Scan) -> dict:
    registration = scan.registration
    attendee = None
    if registration is not None:
        memberships = registration.member.organisation_memberships()
        attendee = {
            "name": registration.member.name,
            "organisation": memberships[0].organisation.name if memberships else "",
            "ticket_code": registration.ticket_code,
            "status": registration.status,
            "event": registration.event_id,
            "checked_in_at": local_iso(registration.event, registration.checked_in_at),
            "guest": False,
        }
    elif scan.guest is not None:
        guest = scan.guest
        attended = guest.status == guest.Status.CONFIRMED and guest.checked_in_at is not None
        attendee = {
            "name": guest.name,
            "organisation": guest.organisation,
            "ticket_code": guest.ticket_code,
            "status": Registration.Status.ATTENDED if attended else guest.status,
            "event": guest.event_id,
            "checked_in_at": local_iso(guest.event, guest.checked_in_at),
            "guest": True,
        }
    return {"result": scan.result, "message": scan.message, "attendee": attendee}


class EventCheckInView(StrictQueryParamsMixin, APIView):
    """The scanning app's check-in at one event's desk (staff who check attendees in).

    Every scan is answered 200 with its ``result``: ``checked_in``, ``already_checked_in``
    (the time is in the message and ``attendee.checked_in_at``), ``other_event``,
    ``cancelled``, ``waitlisted`` or ``unknown`` (no attendee). A missing or empty code is
    a 400; an unknown event a 404.
    """

    permission_classes = [CanCheckIn]

    @extend_schema(request=CheckInRequestSerializer, responses={200: ScanSerializer})
    def post(self, request, pk: int):
        event = EventPage.objects.filter(pk=pk).first()
        if event is None:
            raise exceptions.NotFound(_("No such event."))
        if not isinstance(request.data, dict):
            raise exceptions.ValidationError({"detail": [_("Send a JSON object.")]})
        scan = services.scan_ticket(event=event, ticket_code=request.data.get("ticket_code"))
        return Response(ScanSerializer(scan_data(scan)).data)
