"""JSON API of partner requests (DESIGN.md, "Second round").

``/api/partner-requests/`` lists with the partner-search filters and facets and creates;
``/api/partner-requests/<id>/`` reads, changes (fields, ``status``: open publishes, closed
closes with ``partners``; ``hidden`` for moderators) and deletes (a draft; a published
request is withdrawn); ``matches/`` ranks the organisations that fit it (its
administrators); ``interest/`` answers it and opens a private conversation;
``interests/`` lists the answers (all to its administrators, their own to the others).
Saved searches at ``/api/partner-requests/saved-searches/``; e-mail preferences at
``/api/members/me/notifications/``. Every write goes through partnering/services.py.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import permissions, serializers, status
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.views import APIView

from forum.api import AUTHOR_SCHEMA, TextField, author_payload
from forum.permissions import is_moderator
from partnering import selectors, services
from partnering.models import Frequency, Interest, PartnerMatch, PartnerRequest, SavedSearch
from search.api import page_links
from search.engines.base import country_names
from search.params import parse_paging
from search.results import absolute_url
from webapi.conventions import StrictQueryParamsMixin
from webapi.params import MAX_ID

NAMED_LIST = {
    "type": "array",
    "items": {
        "type": "object",
        "properties": {"slug": {"type": "string"}, "name": {"type": "string"}},
    },
}


def viewer(context):
    request = context.get("request")
    return getattr(request, "user", None)


class PartnerRequestSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    author = serializers.SerializerMethodField()
    organisation = serializers.SerializerMethodField()
    sectors = serializers.SerializerMethodField()
    technologies = serializers.SerializerMethodField()
    countries = serializers.SerializerMethodField()
    call = serializers.SerializerMethodField()
    may_administer = serializers.SerializerMethodField()

    class Meta:
        model = PartnerRequest
        fields = [
            "id",
            "url",
            "kind",
            "title",
            "description",
            "description_html",
            "author",
            "organisation",
            "sectors",
            "technologies",
            "countries",
            "call",
            "funding_reference",
            "deadline",
            "status",
            "outcome",
            "hidden",
            "published",
            "closed",
            "may_administer",
        ]

    def get_url(self, item) -> str:
        return absolute_url(item.get_absolute_url(), self.context.get("request"))

    @extend_schema_field(AUTHOR_SCHEMA)
    def get_author(self, item) -> dict:
        return author_payload(item.author, viewer(self.context))

    @extend_schema_field(
        {
            "type": "object",
            "nullable": True,
            "properties": {"slug": {"type": "string"}, "name": {"type": "string"}},
        }
    )
    def get_organisation(self, item) -> dict | None:
        if item.organisation is None:
            return None
        return {
            "slug": item.organisation.slug,
            "name": item.organisation.name,
            "url": absolute_url(item.organisation.get_absolute_url(), self.context.get("request")),
        }

    @extend_schema_field(NAMED_LIST)
    def get_sectors(self, item) -> list:
        return [{"slug": s.slug, "name": s.name} for s in item.sectors.all()]

    @extend_schema_field(NAMED_LIST)
    def get_technologies(self, item) -> list:
        return [{"slug": t.slug, "name": t.name} for t in item.technologies.all()]

    @extend_schema_field(
        {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"code": {"type": "string"}, "name": {"type": "string"}},
            },
        }
    )
    def get_countries(self, item) -> list:
        codes = sorted(str(row.country) for row in item.countries.all())
        names = country_names(codes)
        return [{"code": code, "name": names[code]} for code in codes]

    @extend_schema_field(
        {
            "type": "object",
            "nullable": True,
            "properties": {"id": {"type": "integer"}, "title": {"type": "string"}},
        }
    )
    def get_call(self, item) -> dict | None:
        if item.call is None:
            return None
        return {"id": item.call.pk, "title": item.call.title, "url": item.call.full_url or ""}

    def get_may_administer(self, item) -> bool:
        administered = self.context.get("administered")
        if administered is not None:
            return item.pk in administered
        return services.may_administer(viewer(self.context), item)


class PartnerRequestWriteSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=PartnerRequest.Kind.choices)
    title = TextField(max_length=1000)
    description = TextField(max_length=100_000, trim_whitespace=False)
    sectors = serializers.ListField(child=TextField(max_length=200), required=False, max_length=30)
    technologies = serializers.ListField(
        child=TextField(max_length=200), required=False, max_length=30
    )
    countries = serializers.ListField(child=TextField(max_length=10), required=False, max_length=30)
    deadline = serializers.DateField()
    organisation = TextField(max_length=200, required=False, allow_null=True, allow_blank=True)
    call = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False, allow_null=True)
    funding_reference = TextField(max_length=200, required=False, allow_blank=True)
    status = serializers.ChoiceField(
        choices=[PartnerRequest.Status.DRAFT, PartnerRequest.Status.OPEN],
        required=False,
        help_text="open (the default) publishes at once; draft keeps it to its administrators.",
    )


class PartnerRequestPatchSerializer(PartnerRequestWriteSerializer):
    status = serializers.ChoiceField(
        choices=[PartnerRequest.Status.OPEN, PartnerRequest.Status.CLOSED], required=False
    )
    partners = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        required=False,
        max_length=100,
        help_text="With status closed: the ids of the interests that became partners.",
    )
    show_partnership = serializers.BooleanField(required=False)
    hidden = serializers.BooleanField(required=False, help_text="Moderators only.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("kind", "title", "description", "deadline"):
            self.fields[name].required = False
        self.fields.pop("organisation")


class InterestSerializer(serializers.ModelSerializer):
    member = serializers.SerializerMethodField()
    organisation = serializers.SerializerMethodField()

    class Meta:
        model = Interest
        fields = [
            "id",
            "request",
            "member",
            "organisation",
            "message",
            "conversation",
            "status",
            "shown_by_author",
            "shown_by_partner",
            "created",
        ]

    @extend_schema_field(AUTHOR_SCHEMA)
    def get_member(self, interest) -> dict:
        return author_payload(interest.member, viewer(self.context))

    @extend_schema_field(
        {
            "type": "object",
            "nullable": True,
            "properties": {"slug": {"type": "string"}, "name": {"type": "string"}},
        }
    )
    def get_organisation(self, interest) -> dict | None:
        org = interest.organisation
        return None if org is None else {"slug": org.slug, "name": org.name}


class InterestWriteSerializer(serializers.Serializer):
    message = TextField(max_length=100_000, trim_whitespace=False)
    organisation = TextField(max_length=200, required=False, allow_null=True, allow_blank=True)


class InterestPatchSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[Interest.Status.PENDING, Interest.Status.SHORTLISTED, Interest.Status.DECLINED],
        required=False,
    )
    shown = serializers.BooleanField(required=False)


class SavedSearchSerializer(serializers.ModelSerializer):
    class Meta:
        model = SavedSearch
        fields = ["id", "name", "params", "created"]


class SavedSearchWriteSerializer(serializers.Serializer):
    name = TextField(max_length=500)
    q = TextField(max_length=500, required=False, allow_blank=True)
    country = serializers.ListField(child=TextField(max_length=10), required=False, max_length=30)
    sector = serializers.ListField(child=TextField(max_length=200), required=False, max_length=30)
    technology = serializers.ListField(
        child=TextField(max_length=200), required=False, max_length=30
    )
    kind = serializers.ListField(child=TextField(max_length=30), required=False, max_length=30)


class PreferenceSerializer(serializers.Serializer):
    partner_requests = serializers.ChoiceField(choices=Frequency.choices, required=False)
    saved_searches = serializers.ChoiceField(choices=Frequency.choices, required=False)


# --- helpers ----------------------------------------------------------------------------------


def requests_for(user):
    return (
        PartnerRequest.objects.visible_to(user)
        .select_related("organisation", "author__profile", "call")
        .prefetch_related("sectors", "technologies", "countries")
    )


def visible_request(request, pk) -> PartnerRequest:
    return get_object_or_404(requests_for(request.user), pk=pk)


def administered_request(request, pk) -> PartnerRequest:
    item = visible_request(request, pk)
    if not services.may_administer(request.user, item):
        raise PermissionDenied(
            _("Only the request's author and its organisation's co-admins may do this.")
        )
    return item


class ReadOrSignedIn(permissions.BasePermission):
    def has_permission(self, request, view):
        return request.method in permissions.SAFE_METHODS or bool(
            request.user and request.user.is_authenticated
        )


_FACET_VALUE = {
    "type": "object",
    "properties": {
        "value": {"type": "string"},
        "count": {"type": "integer"},
        "name": {"type": "string"},
    },
}
LIST_SCHEMA = {
    "type": "object",
    "properties": {
        "count": {"type": "integer"},
        "next": {"type": "string", "nullable": True},
        "previous": {"type": "string", "nullable": True},
        "results": {"type": "array", "items": {"type": "object"}},
        "facets": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": _FACET_VALUE},
        },
    },
}


# --- views ------------------------------------------------------------------------------------


class PartnerRequestListView(StrictQueryParamsMixin, APIView):
    """Published requests, open first, with the partner-search filters and facets; POST
    creates one (published unless ``"status": "draft"``)."""

    permission_classes = [ReadOrSignedIn]
    parser_classes = [JSONParser]
    allowed_query_params = {"q", *selectors.FACETS}

    @extend_schema(
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR, description="Words to find."),
            *[
                OpenApiParameter(
                    facet,
                    OpenApiTypes.STR,
                    many=True,
                    description="Repeat or comma-separate: values OR, facets AND.",
                )
                for facet in selectors.FACETS
            ],
            OpenApiParameter("page", OpenApiTypes.INT),
            OpenApiParameter("page_size", OpenApiTypes.INT, description="1-100"),
        ],
        responses={200: LIST_SCHEMA},
    )
    def get(self, request):
        params = selectors.parse_request_params(request.query_params)
        page, page_size = parse_paging(request.query_params)
        found = selectors.filter_requests(selectors.listed_requests(request.user), params)
        count = found.count()
        if page > 1 and (page - 1) * page_size >= count:
            from rest_framework.exceptions import NotFound

            raise NotFound("Invalid page.")
        following, previous = page_links(request, page=page, page_size=page_size, count=count)
        rows = found[(page - 1) * page_size : page * page_size]
        return Response(
            {
                "count": count,
                "next": following,
                "previous": previous,
                "results": PartnerRequestSerializer(
                    rows,
                    many=True,
                    context={
                        "request": request,
                        # Read once for the page, not once per request.
                        "administered": set(
                            PartnerRequest.objects.administered_by(request.user).values_list(
                                "pk", flat=True
                            )
                        ),
                    },
                ).data,
                "facets": selectors.facet_counts(request.user, params),
            }
        )

    @extend_schema(request=PartnerRequestWriteSerializer, responses={201: PartnerRequestSerializer})
    def post(self, request):
        data = PartnerRequestWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        publish = values.pop("status", PartnerRequest.Status.OPEN) == PartnerRequest.Status.OPEN
        organisation = values.pop("organisation", None)
        if isinstance(organisation, str) and organisation.isdigit():
            organisation = int(organisation)
        item = services.create_request(
            author=request.user, organisation=organisation, publish=publish, **values
        )
        item = requests_for(request.user).get(pk=item.pk)
        return Response(
            PartnerRequestSerializer(item, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class PartnerRequestDetailView(StrictQueryParamsMixin, APIView):
    """One request. Its administrators PATCH its fields or ``status`` (open: publish;
    closed: close, with ``partners``) and DELETE it (a draft is deleted, a published one
    withdrawn); moderators PATCH ``hidden``."""

    permission_classes = [ReadOrSignedIn]
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="partner_requests_detail", responses={200: PartnerRequestSerializer}
    )
    def get(self, request, pk):
        item = visible_request(request, pk)
        return Response(PartnerRequestSerializer(item, context={"request": request}).data)

    @extend_schema(request=PartnerRequestPatchSerializer, responses={200: PartnerRequestSerializer})
    def patch(self, request, pk):
        item = visible_request(request, pk)
        data = PartnerRequestPatchSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        changes = dict(data.validated_data)
        hidden = changes.pop("hidden", None)
        new_status = changes.pop("status", None)
        partners = changes.pop("partners", [])
        show = changes.pop("show_partnership", False)
        if hidden is not None:
            if not is_moderator(request.user):
                raise PermissionDenied(_("Only moderators may do this."))
            item = services.hide_request(
                partner_request=item, moderator=request.user, hidden=hidden
            )
        administering = changes or new_status or hidden is None
        if administering and not services.may_administer(request.user, item):
            raise PermissionDenied(
                _("Only the request's author and its organisation's co-admins may do this.")
            )
        if changes:
            item = services.update_request(partner_request=item, actor=request.user, **changes)
        if new_status == PartnerRequest.Status.OPEN:
            item = services.publish_request(partner_request=item, actor=request.user)
        elif new_status == PartnerRequest.Status.CLOSED:
            item = services.close_request(
                partner_request=item, actor=request.user, partners=partners, show=show
            )
        item = requests_for(request.user).get(pk=item.pk)
        return Response(PartnerRequestSerializer(item, context={"request": request}).data)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, pk):
        item = visible_request(request, pk)
        services.delete_request(partner_request=item, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


MATCH_SCHEMA = {
    "type": "object",
    "properties": {
        "count": {"type": "integer"},
        "results": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "rank": {"type": "integer"},
                    "score": {"type": "number"},
                    "organisation": {"type": "object"},
                    "reasons": {"type": "object"},
                },
            },
        },
    },
}


class PartnerRequestMatchesView(APIView):
    """The organisations that fit the request, best first, each with its ``reasons``
    (sectors, technologies and countries that matched): for its administrators."""

    permission_classes = [permissions.IsAuthenticated]
    parser_classes = [JSONParser]

    @extend_schema(responses={200: MATCH_SCHEMA})
    def get(self, request, pk):
        item = administered_request(request, pk)
        matches = (
            PartnerMatch.objects.filter(request=item, organisation__is_published=True)
            .select_related("organisation")
            .order_by("rank")
        )
        results = [
            {
                "rank": match.rank,
                "score": match.score,
                "organisation": {
                    "slug": match.organisation.slug,
                    "name": match.organisation.name,
                    "country": str(match.organisation.country),
                    "url": absolute_url(match.organisation.get_absolute_url(), request),
                },
                "reasons": match.reasons,
            }
            for match in matches
        ]
        return Response({"count": len(results), "results": results})


class PartnerRequestInterestView(APIView):
    """POST {"message", "organisation"?}: express interest; 201 {"id", "conversation"},
    the conversation being a private forum thread (``/api/forum/threads/<id>/``)."""

    permission_classes = [permissions.IsAuthenticated]
    parser_classes = [JSONParser]

    @extend_schema(
        request=InterestWriteSerializer,
        responses={
            201: {
                "type": "object",
                "properties": {"id": {"type": "integer"}, "conversation": {"type": "integer"}},
            }
        },
    )
    def post(self, request, pk):
        item = visible_request(request, pk)
        data = InterestWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        organisation = data.validated_data.get("organisation")
        if isinstance(organisation, str) and organisation.isdigit():
            organisation = int(organisation)
        interest = services.express_interest(
            partner_request=item,
            member=request.user,
            message=data.validated_data["message"],
            organisation=organisation,
        )
        return Response(
            {"id": interest.pk, "conversation": interest.conversation_id},
            status=status.HTTP_201_CREATED,
        )


class PartnerRequestInterestsView(APIView):
    """The request's interests: every one for its administrators, their own for others."""

    permission_classes = [permissions.IsAuthenticated]
    parser_classes = [JSONParser]

    @extend_schema(responses={200: InterestSerializer(many=True)})
    def get(self, request, pk):
        item = visible_request(request, pk)
        interests = item.interests.select_related("member__profile", "organisation")
        if not services.may_administer(request.user, item):
            interests = interests.filter(member=request.user)
        return Response(InterestSerializer(interests, many=True, context={"request": request}).data)


class InterestDetailView(APIView):
    """PATCH {"status": "shortlisted" | "declined" | "pending"} (the request's
    administrators), or {"shown": bool} (either side of a partnership found)."""

    permission_classes = [permissions.IsAuthenticated]
    parser_classes = [JSONParser]

    @extend_schema(request=InterestPatchSerializer, responses={200: InterestSerializer})
    def patch(self, request, pk, interest_pk):
        item = visible_request(request, pk)
        interest = get_object_or_404(
            item.interests.select_related("organisation", "request__organisation"), pk=interest_pk
        )
        if not services.may_see_interest(request.user, interest):
            from django.http import Http404

            raise Http404
        data = InterestPatchSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if "status" in data.validated_data:
            interest = services.set_interest_status(
                interest=interest, actor=request.user, status=data.validated_data["status"]
            )
        if "shown" in data.validated_data:
            interest = services.show_partnership(
                interest=interest, actor=request.user, shown=data.validated_data["shown"]
            )
        interest = Interest.objects.select_related("member__profile", "organisation").get(
            pk=interest.pk
        )
        return Response(InterestSerializer(interest, context={"request": request}).data)


class SavedSearchListView(APIView):
    """The caller's saved searches of requests; POST {"name", "q", "country", ...} saves
    one."""

    permission_classes = [permissions.IsAuthenticated]
    parser_classes = [JSONParser]

    @extend_schema(responses={200: SavedSearchSerializer(many=True)})
    def get(self, request):
        searches = SavedSearch.objects.filter(user=request.user)
        return Response(SavedSearchSerializer(searches, many=True).data)

    @extend_schema(request=SavedSearchWriteSerializer, responses={201: SavedSearchSerializer})
    def post(self, request):
        data = SavedSearchWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        name = values.pop("name")
        params = selectors.parse_request_params(values)
        saved = services.save_search(user=request.user, name=name, params=params.as_dict())
        return Response(SavedSearchSerializer(saved).data, status=status.HTTP_201_CREATED)


class SavedSearchDetailView(APIView):
    """DELETE forgets one of the caller's saved searches."""

    permission_classes = [permissions.IsAuthenticated]
    parser_classes = [JSONParser]

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, pk):
        saved = get_object_or_404(SavedSearch.objects.filter(user=request.user), pk=pk)
        services.delete_saved_search(saved_search=saved, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class NotificationPreferencesView(APIView):
    """How the caller hears of partner requests by e-mail: ``partner_requests`` (requests
    that fit their organisations) and ``saved_searches``, each immediate, daily, weekly or
    never. The site's notifications come whatever is chosen."""

    permission_classes = [permissions.IsAuthenticated]
    parser_classes = [JSONParser]

    @extend_schema(responses={200: PreferenceSerializer})
    def get(self, request):
        preference = services.preferences_of(request.user)
        return Response(
            {
                "partner_requests": preference.partner_requests,
                "saved_searches": preference.saved_searches,
            }
        )

    @extend_schema(request=PreferenceSerializer, responses={200: PreferenceSerializer})
    def patch(self, request):
        data = PreferenceSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        preference = services.update_preferences(user=request.user, **data.validated_data)
        return Response(
            {
                "partner_requests": preference.partner_requests,
                "saved_searches": preference.saved_searches,
            }
        )
