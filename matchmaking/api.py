"""JSON API of matchmaking.

- ``/api/events/<id>/matchmaking/``: the event's matchmaking settings, slots and tables
  (public, like the event).
- ``/api/events/<id>/matchmaking/participants/``: GET the participants (to participants
  and staff), with partner search's facets, or the suggested matches with ``suggested=true``;
  POST opts the caller in (or updates their profile).
- ``/api/events/<id>/matchmaking/meetings/``: GET the caller's meetings; POST {"with":
  <member id>, "message"} requests one.
- ``/api/matchmaking/meetings/<id>/``: GET one of the caller's meetings; PATCH {"status":
  "accepted", "slot": <slot id>} | {"status": "declined" | "cancelled"}; 409 when the slot
  is no longer free for either side.
"""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from events.models import EventPage
from matchmaking import selectors, services
from matchmaking.models import Matchmaking, Meeting, MeetingSlot
from members.models import Membership, Organisation
from webapi.conventions import Pagination, StrictBooleanField, StrictQueryParamsMixin


def local_iso(event, value):
    return value.astimezone(event.tzinfo).isoformat() if value else None


def matchmaking_or_404(pk: int) -> Matchmaking:
    event = EventPage.objects.live().public().filter(pk=pk).first()
    found = None
    if event is not None:
        found = (
            Matchmaking.objects.select_related("event")
            .filter(event=event.canonical, enabled=True)
            .first()
        )
    if found is None:
        raise exceptions.NotFound(_("This event has no matchmaking."))
    return found


class SlotSerializer(serializers.ModelSerializer):
    start = serializers.SerializerMethodField()
    end = serializers.SerializerMethodField()

    class Meta:
        model = MeetingSlot
        fields = ["id", "start", "end"]

    def get_start(self, slot) -> str:
        return local_iso(self.context["event"], slot.start)

    def get_end(self, slot) -> str:
        return local_iso(self.context["event"], slot.end)


class TableSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class MatchmakingSerializer(serializers.ModelSerializer):
    event = serializers.IntegerField(source="event_id")
    timezone = serializers.CharField(source="event.timezone")
    booking_opens = serializers.SerializerMethodField()
    booking_closes = serializers.SerializerMethodField()
    booking_open = serializers.SerializerMethodField()
    slots = serializers.SerializerMethodField()
    tables = serializers.SerializerMethodField()

    class Meta:
        model = Matchmaking
        fields = [
            "event",
            "timezone",
            "slot_minutes",
            "break_minutes",
            "max_meetings",
            "booking_opens",
            "booking_closes",
            "booking_open",
            "slots",
            "tables",
        ]

    def get_booking_opens(self, matchmaking) -> str | None:
        return local_iso(matchmaking.event, matchmaking.booking_opens)

    def get_booking_closes(self, matchmaking) -> str | None:
        return local_iso(matchmaking.event, matchmaking.booking_closes or matchmaking.event.end)

    def get_booking_open(self, matchmaking) -> bool:
        from django.utils import timezone

        return matchmaking.booking_state(now=timezone.now()) == "open"

    def get_slots(self, matchmaking) -> list[dict]:
        return SlotSerializer(
            matchmaking.slots.order_by("start"), many=True, context={"event": matchmaking.event}
        ).data

    def get_tables(self, matchmaking) -> list[dict]:
        return TableSerializer(matchmaking.tables.order_by("sort_order", "pk"), many=True).data


class MatchmakingView(StrictQueryParamsMixin, APIView):
    """An event's matchmaking: its settings, slots and tables (times in its time zone)."""

    permission_classes = [AllowAny]

    @extend_schema(responses={200: MatchmakingSerializer})
    def get(self, request, pk: int):
        return Response(MatchmakingSerializer(matchmaking_or_404(pk)).data)


# --- participants --------------------------------------------------------------------------


def card_payload(card) -> dict:
    organisation = card.organisation
    return {
        "member": card.member_id,
        "name": card.name,
        "organisation": None
        if organisation is None
        else {
            "id": organisation.pk,
            "name": organisation.name,
            "slug": organisation.slug,
            "country": organisation.country,
            "sectors": organisation.sector_names,
            "technologies": organisation.technology_names,
            "label": card.label,
        },
        "offer": card.participant.offer,
        "looking_for": card.participant.looking_for,
        "reasons": card.reasons,
    }


class ParticipantRequestSerializer(serializers.Serializer):
    offer = serializers.CharField(required=False, allow_blank=True, max_length=services.MAX_TEXT)
    looking_for = serializers.CharField(
        required=False, allow_blank=True, max_length=services.MAX_TEXT
    )
    organisation = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=2**31 - 1
    )


PARTICIPANT = inline_serializer(
    "MatchmakingParticipant",
    {
        "member": serializers.IntegerField(),
        "name": serializers.CharField(),
        "organisation": serializers.DictField(allow_null=True),
        "offer": serializers.CharField(),
        "looking_for": serializers.CharField(),
        "reasons": serializers.ListField(child=serializers.CharField()),
    },
)


def split_values(params, name: str) -> list[str]:
    values = []
    for raw in params.getlist(name)[:20]:
        values += [value.strip() for value in raw.split(",") if value.strip()]
    return [value[:100] for value in values[:20]]


class ParticipantsView(StrictQueryParamsMixin, APIView):
    """The event's matchmaking participants as participants see them (names of hidden
    profiles withheld), filtered like partner search; ``suggested=true`` gives the
    complementary matches of the caller's organisation, each with its reasons."""

    permission_classes = [IsAuthenticated]
    allowed_query_params = {"q", "suggested", *selectors.FACETS}

    @extend_schema(
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR),
            *[OpenApiParameter(facet, OpenApiTypes.STR, many=True) for facet in selectors.FACETS],
            OpenApiParameter("suggested", OpenApiTypes.BOOL),
            OpenApiParameter("page", OpenApiTypes.INT),
            OpenApiParameter("page_size", OpenApiTypes.INT),
        ],
        responses=inline_serializer(
            "MatchmakingParticipants",
            {
                "count": serializers.IntegerField(),
                "next": serializers.URLField(allow_null=True),
                "previous": serializers.URLField(allow_null=True),
                "results": serializers.ListField(child=PARTICIPANT),
                "facets": serializers.DictField(
                    child=serializers.ListField(child=serializers.DictField())
                ),
            },
        ),
    )
    def get(self, request, pk: int):
        matchmaking = matchmaking_or_404(pk)
        member = request.user.profile
        participant = selectors.participant_of(matchmaking, member)
        if participant is None and not request.user.is_staff:
            raise exceptions.PermissionDenied(_("Take part in matchmaking first."))
        suggested = False
        if "suggested" in request.query_params:
            field = StrictBooleanField()
            try:
                suggested = field.to_internal_value(request.query_params["suggested"])
            except serializers.ValidationError as error:
                raise exceptions.ValidationError({"suggested": error.detail}) from error
        q = request.query_params.get("q", "")[:200]
        filters = {facet: split_values(request.query_params, facet) for facet in selectors.FACETS}
        cards, facets = selectors.browse(
            matchmaking=matchmaking, viewer_user=request.user, q=q, filters=filters
        )
        if suggested:
            cards = (
                selectors.suggestions(
                    matchmaking=matchmaking, viewer=participant, viewer_user=request.user
                )
                if participant
                else []
            )
        cards = [card for card in cards if card.member_id != member.pk]
        paginator = Pagination()
        page = paginator.paginate_queryset(cards, request, view=self)
        response = paginator.get_paginated_response([card_payload(card) for card in page])
        response.data["facets"] = facets
        return response

    @extend_schema(
        request=ParticipantRequestSerializer, responses={201: PARTICIPANT, 200: PARTICIPANT}
    )
    def post(self, request, pk: int):
        matchmaking = matchmaking_or_404(pk)
        serializer = ParticipantRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        organisation = None
        if data.get("organisation"):
            organisation = Organisation.objects.filter(
                pk=data["organisation"],
                memberships__member=request.user.profile,
                memberships__status=Membership.Status.APPROVED,
            ).first()
            if organisation is None:
                raise exceptions.ValidationError(
                    {"organisation": [_("Choose an organisation you are a member of.")]}
                )
        participant, created = services.opt_in(
            event=matchmaking.event,
            member=request.user.profile,
            offer=data.get("offer", ""),
            looking_for=data.get("looking_for", ""),
            organisation=organisation,
        )
        card = selectors.card_of(participant=participant, viewer_user=request.user)
        return Response(
            card_payload(card), status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )


# --- meetings ------------------------------------------------------------------------------


class MeetingSerializer(serializers.ModelSerializer):
    event = serializers.IntegerField(source="matchmaking.event_id")
    requester = serializers.IntegerField(source="requester_id")
    recipient = serializers.IntegerField(source="recipient_id")
    with_ = serializers.SerializerMethodField(method_name="get_with_")
    slot = serializers.SerializerMethodField()
    table = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = [
            "id",
            "event",
            "status",
            "requester",
            "recipient",
            "with_",
            "message",
            "slot",
            "table",
            "no_show",
            "created",
        ]

    def get_fields(self):
        fields = super().get_fields()
        fields["with"] = fields.pop("with_")
        return fields

    def get_with_(self, meeting) -> dict:
        user = self.context["request"].user
        other = meeting.other(user.profile)
        return {"id": other.pk, "name": selectors.name_for(other, user)}

    def get_slot(self, meeting) -> dict | None:
        if meeting.slot is None:
            return None
        return SlotSerializer(meeting.slot, context={"event": meeting.matchmaking.event}).data

    def get_table(self, meeting) -> dict | None:
        if meeting.table is None:
            return None
        return {
            "id": meeting.table.pk,
            "name": meeting.table.name,
            "online_link": meeting.table.online_link,
        }


class MeetingRequestSerializer(serializers.Serializer):
    with_ = serializers.IntegerField(help_text="The member id of the participant to meet.")
    message = serializers.CharField(required=False, allow_blank=True)

    def get_fields(self):
        fields = super().get_fields()
        fields["with"] = fields.pop("with_")
        return fields


class MeetingChangeSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["accepted", "declined", "cancelled"])
    slot = serializers.IntegerField(required=False, help_text="The slot id, to accept.")


class EventMeetingsView(StrictQueryParamsMixin, APIView):
    """The caller's meetings at the event (every status, soonest first); POST requests
    one."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses=inline_serializer(
            "MatchmakingMeetings",
            {
                "count": serializers.IntegerField(),
                "next": serializers.URLField(allow_null=True),
                "previous": serializers.URLField(allow_null=True),
                "results": MeetingSerializer(many=True),
            },
        )
    )
    def get(self, request, pk: int):
        matchmaking = matchmaking_or_404(pk)
        meetings = selectors.meetings_of(matchmaking=matchmaking, member=request.user.profile)
        paginator = Pagination()
        page = paginator.paginate_queryset(meetings, request, view=self)
        return paginator.get_paginated_response(
            MeetingSerializer(page, many=True, context={"request": request}).data
        )

    @extend_schema(request=MeetingRequestSerializer, responses={201: MeetingSerializer})
    def post(self, request, pk: int):
        matchmaking = matchmaking_or_404(pk)
        if not isinstance(request.data, dict):
            raise exceptions.ValidationError({"detail": [_("Send a JSON object.")]})
        message = request.data.get("message", "")
        meeting = services.request_meeting(
            event=matchmaking.event,
            requester=request.user.profile,
            recipient_id=request.data.get("with"),
            message=message,
        )
        return Response(
            MeetingSerializer(meeting, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class MeetingView(StrictQueryParamsMixin, APIView):
    """One of the caller's meetings; PATCH accepts (with a slot), declines or cancels it."""

    permission_classes = [IsAuthenticated]

    def own_meeting(self, request, pk: int) -> Meeting:
        member = request.user.profile
        meeting = (
            Meeting.objects.select_related(
                "matchmaking__event", "requester__user", "recipient__user", "slot", "table"
            )
            .filter(pk=pk)
            .first()
        )
        if meeting is None or member.pk not in (meeting.requester_id, meeting.recipient_id):
            raise exceptions.NotFound(_("No such meeting."))
        return meeting

    @extend_schema(responses={200: MeetingSerializer})
    def get(self, request, pk: int):
        meeting = self.own_meeting(request, pk)
        return Response(MeetingSerializer(meeting, context={"request": request}).data)

    @extend_schema(request=MeetingChangeSerializer, responses={200: MeetingSerializer})
    def patch(self, request, pk: int):
        meeting = self.own_meeting(request, pk)
        serializer = MeetingChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if data["status"] == "accepted" and "slot" not in data:
            raise exceptions.ValidationError({"slot": [_("Choose a slot.")]})
        # The service updates the meeting it is given: no need to read it again.
        meeting = services.change_meeting(
            meeting=meeting,
            member=request.user.profile,
            status=data["status"],
            slot_id=data.get("slot"),
        )
        return Response(MeetingSerializer(meeting, context={"request": request}).data)
