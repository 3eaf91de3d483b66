"""JSON API of organisations and member profiles (see DESIGN.md, "HTTP and WebSocket contract").

- ``/api/organisations/`` and ``/api/organisations/<slug>/``: public; co-admins and editors
  may PATCH the detail.
- ``/api/members/``, ``/api/members/<id>/``: signed-in members only, each profile's
  visibility respected; ``/api/members/me/``: GET and PATCH one's own profile.
- ``/api/registers/``: the registers of tutors and instructors, as public as their pages.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django_countries import countries
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from members import dashboard, services
from members.models import (
    EXPIRY_EXPIRED,
    EXPIRY_STATUSES,
    CoAdminInvitation,
    MemberProfile,
    Organisation,
    OrganisationRequest,
    QualityLabel,
    RegisterEntry,
)
from members.profile_privacy import (
    PRIVATE_FIELDS,
    ShownProfile,
    shown_profile,
    visibility_column,
)
from members.selectors import (
    filter_members,
    filter_organisations,
    filter_register_entries,
    followed_members,
    followed_organisations,
    hides_expired_entries,
    register_entries,
    user_can_administer,
)
from webapi.conventions import StrictBooleanField, StrictQueryParamsMixin


def absolute_url(path: str, request=None) -> str:
    """An absolute URL for ``path``: SITE_URL when configured, else the request's host."""
    if path.startswith(("http://", "https://")):
        return path
    base = getattr(settings, "SITE_URL", "")
    if base:
        return base.rstrip("/") + path
    if request is not None:
        return request.build_absolute_uri(path)
    return path


# --- Organisations ---------------------------------------------------------------------------


class SectorSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class LabelSerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=QualityLabel.Level.choices)
    valid_until = serializers.DateField()


class OrganisationSerializer(serializers.ModelSerializer):
    country = serializers.CharField(source="country.code")
    country_name = serializers.CharField(source="country.name")
    sectors = SectorSerializer(many=True)
    technologies = serializers.SerializerMethodField()
    value_chains = serializers.SerializerMethodField()
    label = serializers.SerializerMethodField()
    logo = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Organisation
        fields = [
            "name",
            "slug",
            "kind",
            "country",
            "country_name",
            "region",
            "city",
            "website",
            "description",
            "sectors",
            "technologies",
            "value_chains",
            "label",
            "members_sme",
            "members_large",
            "members_research",
            "members_other",
            "year_founded",
            "contact_email",
            "eccp_id",
            "eccp_url",
            "eccp_validation",
            "logo",
            "url",
        ]

    def get_technologies(self, organisation) -> list[str]:
        return organisation.technology_names()

    def get_value_chains(self, organisation) -> list[str]:
        return organisation.value_chain_names()

    @extend_schema_field(LabelSerializer(allow_null=True))
    def get_label(self, organisation) -> dict | None:
        if hasattr(organisation, "label_level"):
            level, valid_until = organisation.label_level, organisation.label_valid_until
        else:
            label = organisation.current_label()
            level, valid_until = (label.level, label.valid_until) if label else (None, None)
        if not level:
            return None
        return {"level": level, "valid_until": valid_until.isoformat()}

    def get_logo(self, organisation) -> str | None:
        return logo_url(organisation, self.context.get("request"))

    def get_url(self, organisation) -> str:
        return absolute_url(organisation.get_absolute_url(), self.context.get("request"))


#: What a PATCH may name: who may change what is the services' rule. Uploads go through the
#: admin, and the slug is the organisation's address in this API, which a PATCH to that very
#: address does not move.
ORGANISATION_PATCH_FIELDS = frozenset(
    services.ORGANISATION_COADMIN_FIELDS + services.ORGANISATION_STAFF_FIELDS
) - {*services.ORGANISATION_UPLOAD_FIELDS, "slug"}


class OrganisationUpdateSerializer(serializers.Serializer):
    """The form of each field a PATCH may name (ORGANISATION_PATCH_FIELDS); which of them
    the caller may change is services.editable_organisation_fields's to say."""

    description = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    website = serializers.URLField(required=False, allow_blank=True)
    region = serializers.CharField(required=False, allow_blank=True, max_length=120)
    city = serializers.CharField(required=False, allow_blank=True, max_length=120)
    contact_email = serializers.EmailField(required=False, allow_blank=True)
    year_founded = serializers.IntegerField(
        required=False, allow_null=True, min_value=1800, max_value=2100
    )
    members_sme = serializers.IntegerField(required=False, min_value=0, max_value=1_000_000)
    members_large = serializers.IntegerField(required=False, min_value=0, max_value=1_000_000)
    members_research = serializers.IntegerField(required=False, min_value=0, max_value=1_000_000)
    members_other = serializers.IntegerField(required=False, min_value=0, max_value=1_000_000)
    eccp_url = serializers.URLField(required=False, allow_blank=True)
    sectors = serializers.ListField(
        child=serializers.CharField(max_length=120), required=False, max_length=50
    )
    technologies = serializers.ListField(
        child=serializers.CharField(max_length=100), required=False, max_length=30
    )
    value_chains = serializers.ListField(
        child=serializers.CharField(max_length=100), required=False, max_length=30
    )
    name = serializers.CharField(required=False, max_length=200)
    kind = serializers.ChoiceField(choices=Organisation.Kind.choices, required=False)
    country = serializers.ChoiceField(choices=list(countries), required=False)
    eccp_id = serializers.CharField(required=False, allow_blank=True, max_length=64)
    eccp_validation = serializers.ChoiceField(
        choices=Organisation.EccpValidation.choices, required=False
    )
    is_published = serializers.BooleanField(required=False)


ORGANISATION_FILTER_PARAMETERS = [
    OpenApiParameter("q", OpenApiTypes.STR, description="Words in name, description, place"),
    OpenApiParameter("country", OpenApiTypes.STR, description="ISO 3166 alpha-2 code"),
    OpenApiParameter("sector", OpenApiTypes.STR, description="Sector slug"),
    OpenApiParameter("technology", OpenApiTypes.STR, description="Technology tag name or slug"),
    OpenApiParameter(
        "label", OpenApiTypes.STR, description="Current label: bronze, silver, gold, any, none"
    ),
    OpenApiParameter("kind", OpenApiTypes.STR, description="Kind of organisation"),
]


@extend_schema_view(
    list=extend_schema(parameters=ORGANISATION_FILTER_PARAMETERS),
    partial_update=extend_schema(request=OrganisationUpdateSerializer),
)
class OrganisationViewSet(
    StrictQueryParamsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Cluster organisations; co-admins and editors may PATCH their organisation."""

    serializer_class = OrganisationSerializer
    # Public to read; get_permissions() asks for an account to PATCH.
    permission_classes = [AllowAny]
    lookup_field = "slug"
    http_method_names = ["get", "patch", "head", "options"]

    @property
    def allowed_query_params(self):
        if self.action == "list":
            return {"q", "country", "sector", "technology", "label", "kind"}
        return set()

    def get_queryset(self):
        return Organisation.objects.visible_to(self.request.user).for_listing()

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        queryset, errors = filter_organisations(queryset, self.request.query_params)
        if errors:
            raise exceptions.ValidationError(errors)
        return queryset

    def get_permissions(self):
        if self.action == "partial_update":
            return [IsAuthenticated()]
        return super().get_permissions()

    def partial_update(self, request, *args, **kwargs):
        organisation = self.get_object()
        if not isinstance(request.data, dict):
            raise exceptions.ValidationError({"detail": ["Send a JSON object."]})
        unknown = sorted(set(request.data) - ORGANISATION_PATCH_FIELDS)
        if unknown:
            raise exceptions.ValidationError(
                {field: [_("This field cannot be changed here.")] for field in unknown}
            )
        serializer = OrganisationUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        organisation = services.update_organisation(
            organisation=organisation, actor=request.user, changes=serializer.validated_data
        )
        fresh = self.get_queryset().get(pk=organisation.pk)
        return Response(self.get_serializer(fresh).data)

    def update(self, request, *args, **kwargs):
        raise exceptions.MethodNotAllowed(request.method)


# --- Members ---------------------------------------------------------------------------------


class MembershipSummarySerializer(serializers.Serializer):
    name = serializers.CharField(source="organisation.name")
    slug = serializers.CharField(source="organisation.slug")
    role = serializers.CharField()
    is_primary = serializers.BooleanField()


REGISTER_STATUS_CHOICES = [*RegisterEntry.Status.values, EXPIRY_EXPIRED]


class RegisterEntrySerializer(serializers.ModelSerializer):
    """An entry of a club register. ``status`` reads "expired" for a certification past its
    validity date, never "certified"; ``expiry_status`` says how close its end is."""

    modules = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()
    expiry_status = serializers.SerializerMethodField()

    class Meta:
        model = RegisterEntry
        fields = ["register", "modules", "status", "expiry_status", "certified_on", "valid_until"]

    def get_modules(self, entry) -> list[str]:
        return entry.module_list()

    @extend_schema_field(serializers.ChoiceField(choices=REGISTER_STATUS_CHOICES))
    def get_status(self, entry) -> str:
        return EXPIRY_EXPIRED if entry.is_expired() else entry.status

    @extend_schema_field(serializers.ChoiceField(choices=EXPIRY_STATUSES))
    def get_expiry_status(self, entry) -> str:
        return entry.expiry_status()


class RegisterListEntrySerializer(RegisterEntrySerializer):
    """A register entry with the member it belongs to, for ``/api/registers/``."""

    id = serializers.IntegerField(read_only=True)
    member = serializers.SerializerMethodField()

    class Meta(RegisterEntrySerializer.Meta):
        fields = ["id", "member", *RegisterEntrySerializer.Meta.fields]

    @extend_schema_field(
        inline_serializer(
            "RegisterMember",
            {
                "id": serializers.IntegerField(),
                "name": serializers.CharField(),
                "url": serializers.CharField(),
            },
        )
    )
    def get_member(self, entry) -> dict:
        return {
            "id": entry.member_id,
            "name": entry.member.name,
            "url": absolute_url(entry.member.get_absolute_url(), self.context.get("request")),
        }


REGISTER_FILTER_PARAMETERS = [
    OpenApiParameter(
        "register", OpenApiTypes.STR, enum=RegisterEntry.Register.values, description="Register"
    ),
    OpenApiParameter(
        "expiry",
        OpenApiTypes.STR,
        enum=list(EXPIRY_STATUSES),
        description="current, expiring (reminders sent), expired, not_certified",
    ),
    OpenApiParameter("q", OpenApiTypes.STR, description="Words in the member's name or modules"),
]


@extend_schema_view(list=extend_schema(parameters=REGISTER_FILTER_PARAMETERS))
class RegisterEntryViewSet(StrictQueryParamsMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """The club's registers of Foundation Tutors and Instructors, as public as the register
    pages: entries of profiles the caller may see; expired certifications hidden when
    editors chose so (Settings > Registers), otherwise with status "expired"."""

    serializer_class = RegisterListEntrySerializer
    permission_classes = [AllowAny]
    allowed_query_params = {"register", "expiry", "q"}

    def get_queryset(self):
        return register_entries(
            register=None,
            viewer=self.request.user,
            hide_expired=hides_expired_entries(self.request),
        )

    def filter_queryset(self, queryset):
        queryset, errors = filter_register_entries(queryset, self.request.query_params)
        if errors:
            raise exceptions.ValidationError(errors)
        return queryset


class MemberSerializer(serializers.ModelSerializer):
    """A member as another member sees them: each private field (members/profile_privacy.py)
    is null, or empty for lists, where its owner does not show it to the caller."""

    display_name = serializers.CharField(source="name")
    bio = serializers.SerializerMethodField()
    country = serializers.SerializerMethodField()
    languages = serializers.SerializerMethodField()
    links = serializers.SerializerMethodField()
    organisations = serializers.SerializerMethodField()
    expertise = serializers.SerializerMethodField()
    registers = serializers.SerializerMethodField()
    avatar = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    email = serializers.SerializerMethodField(help_text="Only when the member shows it")
    phone = serializers.SerializerMethodField(help_text="Only when the member shows it")

    class Meta:
        model = MemberProfile
        fields = [
            "id",
            "display_name",
            "job_title",
            "bio",
            "country",
            "languages",
            "organisations",
            "expertise",
            "links",
            "registers",
            "avatar",
            "visibility",
            "email",
            "phone",
            "url",
        ]

    def _shown(self, profile) -> ShownProfile:
        viewer = self.context["request"].user
        cached = getattr(profile, "_shown_to", None)
        if cached is None or cached[0] != viewer.pk:
            cached = (viewer.pk, shown_profile(profile=profile, viewer=viewer))
            profile._shown_to = cached
        return cached[1]

    # A hidden field is null, so every answer has the same shape as the schema.
    def get_bio(self, profile) -> str | None:
        return self._shown(profile).bio or None

    def get_country(self, profile) -> str | None:
        country = self._shown(profile).country
        return country.code if country else None

    def get_languages(self, profile) -> str | None:
        return self._shown(profile).languages or None

    def get_links(self, profile) -> list[str]:
        return self._shown(profile).links

    def get_organisations(self, profile) -> list[dict]:
        return MembershipSummarySerializer(self._shown(profile).organisations, many=True).data

    def get_expertise(self, profile) -> list[str]:
        return profile.expertise_names()

    def get_registers(self, profile) -> list[dict]:
        hide_expired = hides_expired_entries(self.context.get("request"))
        entries = [
            e
            for e in profile.register_entries.all()
            if e.status != RegisterEntry.Status.WITHDRAWN and not (hide_expired and e.is_expired())
        ]
        return RegisterEntrySerializer(entries, many=True).data

    def get_avatar(self, profile) -> str | None:
        if not profile.avatar:
            return None
        return absolute_url(profile.avatar.url, self.context.get("request"))

    def get_url(self, profile) -> str:
        return absolute_url(profile.get_absolute_url(), self.context.get("request"))

    def get_email(self, profile) -> str | None:
        return self._shown(profile).email or None

    def get_phone(self, profile) -> str | None:
        return self._shown(profile).phone or None


PROFILE_VISIBILITY_FIELDS = [visibility_column(name) for name in PRIVATE_FIELDS]


class OwnMemberSerializer(MemberSerializer):
    """A member's own profile: what others see, and the settings only they see (who sees
    each private field, the language the club writes in)."""

    class Meta(MemberSerializer.Meta):
        fields = [*MemberSerializer.Meta.fields, *PROFILE_VISIBILITY_FIELDS, "language"]


def VISIBILITY_CHOICE():  # noqa: N802 - reads as a field type
    return serializers.ChoiceField(choices=MemberProfile.Visibility.choices, required=False)


class MemberUpdateSerializer(serializers.Serializer):
    """The fields of PATCH /api/members/me/; anything else is a 400."""

    display_name = serializers.CharField(required=False, allow_blank=True, max_length=120)
    job_title = serializers.CharField(required=False, allow_blank=True, max_length=160)
    bio = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    country = serializers.ChoiceField(choices=[("", "")] + list(countries), required=False)
    languages = serializers.CharField(required=False, allow_blank=True, max_length=200)
    phone = serializers.RegexField(
        r"^[0-9+()./ -]*$", required=False, allow_blank=True, max_length=40
    )
    expertise = serializers.ListField(
        child=serializers.CharField(max_length=100, allow_blank=True), required=False
    )
    links = serializers.ListField(
        child=serializers.CharField(max_length=500, allow_blank=True), required=False
    )
    visibility = serializers.ChoiceField(choices=MemberProfile.Visibility.choices, required=False)
    language = serializers.ChoiceField(choices=settings.LANGUAGES, required=False)
    avatar = serializers.FileField(required=False, allow_null=True, allow_empty_file=False)
    bio_visibility = VISIBILITY_CHOICE()
    country_visibility = VISIBILITY_CHOICE()
    languages_visibility = VISIBILITY_CHOICE()
    links_visibility = VISIBILITY_CHOICE()
    organisations_visibility = VISIBILITY_CHOICE()
    email_visibility = VISIBILITY_CHOICE()
    phone_visibility = VISIBILITY_CHOICE()


def member_queryset(user):
    return MemberProfile.objects.visible_to(user).for_listing()


MEMBER_FILTER_PARAMETERS = [
    OpenApiParameter("q", OpenApiTypes.STR, description="Words in name, job title, bio"),
    OpenApiParameter("country", OpenApiTypes.STR, description="ISO 3166 alpha-2 code"),
    OpenApiParameter("expertise", OpenApiTypes.STR, description="Expertise tag name"),
    OpenApiParameter("organisation", OpenApiTypes.STR, description="Organisation slug"),
]


@extend_schema_view(list=extend_schema(parameters=MEMBER_FILTER_PARAMETERS))
class MemberViewSet(
    StrictQueryParamsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Member profiles, for signed-in members only; hidden profiles only to owner and staff."""

    serializer_class = MemberSerializer
    permission_classes = [IsAuthenticated]

    @property
    def allowed_query_params(self):
        if self.action == "list":
            return {"q", "country", "expertise", "organisation"}
        return set()

    def get_queryset(self):
        return member_queryset(self.request.user)

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        queryset, errors = filter_members(
            queryset, self.request.query_params, viewer=self.request.user
        )
        if errors:
            raise exceptions.ValidationError(errors)
        return queryset


class MemberMeView(StrictQueryParamsMixin, APIView):
    """The signed-in member's own profile: GET it, PATCH the fields they may change."""

    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def _profile(self, request):
        try:
            return member_queryset(request.user).get(user=request.user)
        except MemberProfile.DoesNotExist:
            raise Http404 from None

    @extend_schema(responses=OwnMemberSerializer)
    def get(self, request):
        profile = self._profile(request)
        return Response(OwnMemberSerializer(profile, context={"request": request}).data)

    # Documented as JSON; a multipart form is also taken, for uploading the avatar.
    @extend_schema(
        request={"application/json": MemberUpdateSerializer}, responses=OwnMemberSerializer
    )
    def patch(self, request):
        profile = get_object_or_404(MemberProfile, user=request.user)
        if not isinstance(request.data, dict):
            raise exceptions.ValidationError({"detail": ["Send a JSON object."]})
        allowed = set(MemberUpdateSerializer().fields)
        unknown = sorted(set(request.data) - allowed)
        if unknown:
            raise exceptions.ValidationError(
                {field: [_("This field cannot be changed here.")] for field in unknown}
            )
        serializer = MemberUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.update_profile(
            profile=profile, actor=request.user, changes=serializer.validated_data
        )
        return Response(
            OwnMemberSerializer(self._profile(request), context={"request": request}).data
        )


# --- Co-admins, logo, organisation requests, invitations --------------------------------------


def _organisation_for(request, slug: str) -> Organisation:
    """The organisation the caller may see (404 otherwise) and administers (403 otherwise)."""
    organisation = get_object_or_404(Organisation.objects.visible_to(request.user), slug=slug)
    if not user_can_administer(user=request.user, organisation=organisation):
        raise exceptions.PermissionDenied(_("You do not administer this organisation."))
    return organisation


class CoAdminSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="profile.pk", help_text="The member profile's id")
    display_name = serializers.CharField(source="profile.name")


class InvitationSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = CoAdminInvitation
        fields = ["id", "organisation", "email", "status", "created", "answered"]


class CoAdminListSerializer(serializers.Serializer):
    co_admins = CoAdminSerializer(many=True)
    invitations = InvitationSerializer(many=True, help_text="Invitations not yet answered")


class InviteSerializer(serializers.Serializer):
    """Give ``email`` or ``member`` (a member profile id), not both."""

    email = serializers.EmailField(required=False)
    member = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)

    def validate(self, attrs):
        # The keys sent, not the values kept: a form's empty field is dropped from ``attrs``.
        sent = [key for key in ("email", "member") if key in self.initial_data]
        if len(sent) != 1 or sent[0] not in attrs:
            raise serializers.ValidationError(_("Invite either a member or an e-mail address."))
        return attrs


class OrganisationCoAdminsView(StrictQueryParamsMixin, APIView):
    """An organisation's co-admins and open invitations (co-admins and editors); POST
    invites a member or an e-mail address, who becomes a co-admin on accepting."""

    permission_classes = [IsAuthenticated]

    def _listing(self, organisation):
        return {
            "co_admins": organisation.co_admins.select_related("profile").order_by("pk"),
            "invitations": organisation.coadmin_invitations.filter(
                status=CoAdminInvitation.Status.PENDING
            ).select_related("organisation"),
        }

    @extend_schema(responses=CoAdminListSerializer)
    def get(self, request, slug):
        organisation = _organisation_for(request, slug)
        return Response(CoAdminListSerializer(self._listing(organisation)).data)

    @extend_schema(request=InviteSerializer, responses={201: InvitationSerializer})
    def post(self, request, slug):
        organisation = _organisation_for(request, slug)
        data = InviteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        member = None
        if "member" in data.validated_data:
            member = (
                MemberProfile.objects.visible_to(request.user)
                .select_related("user")
                .filter(pk=data.validated_data["member"])
                .first()
            )
            if member is None:
                raise exceptions.ValidationError({"member": [_("No such member.")]})
        invitation = services.invite_coadmin(
            organisation=organisation,
            actor=request.user,
            email=data.validated_data.get("email", ""),
            member=member,
        )
        return Response(InvitationSerializer(invitation).data, status=201)


class OrganisationCoAdminView(StrictQueryParamsMixin, APIView):
    """DELETE removes a co-admin (by member profile id); the last one stays (409)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, slug, member_id):
        organisation = _organisation_for(request, slug)
        member = get_object_or_404(MemberProfile.objects.select_related("user"), pk=member_id)
        services.remove_coadmin(organisation=organisation, actor=request.user, user=member.user)
        return Response(status=204)


class LogoUploadSerializer(serializers.Serializer):
    logo = serializers.FileField(allow_empty_file=False)


class LogoSerializer(serializers.Serializer):
    logo = serializers.URLField(allow_null=True)


class OrganisationLogoView(StrictQueryParamsMixin, APIView):
    """POST (multipart, field ``logo``) replaces the organisation's logo: a JPEG, PNG, GIF
    or WebP within the size limits. Co-admins and editors."""

    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request={"multipart/form-data": LogoUploadSerializer}, responses=LogoSerializer)
    def post(self, request, slug):
        organisation = _organisation_for(request, slug)
        data = LogoUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        organisation = services.set_organisation_logo(
            organisation=organisation, actor=request.user, upload=data.validated_data["logo"]
        )
        return Response({"logo": logo_url(organisation, request)})


def logo_url(organisation, request=None) -> str | None:
    if not organisation.logo_id or organisation.logo is None:
        return None
    return absolute_url(organisation.logo.file.url, request)


class OrganisationRequestSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    country = serializers.CharField(source="country.code", read_only=True)

    class Meta:
        model = OrganisationRequest
        fields = [
            "id",
            "kind",
            "organisation",
            "name",
            "country",
            "website",
            "eccp_url",
            "message",
            "status",
            "reason",
            "created",
            "decided",
        ]


class NewOrganisationRequestSerializer(serializers.Serializer):
    """``kind`` "create" needs name, country and eccp_url (the organisation's ECCP
    profile, which staff check); "claim" needs ``organisation`` (a slug)."""

    kind = serializers.ChoiceField(choices=OrganisationRequest.Kind.choices)
    organisation = serializers.SlugField(required=False, max_length=200)
    name = serializers.CharField(required=False, max_length=200)
    country = serializers.ChoiceField(choices=list(countries), required=False)
    website = serializers.URLField(required=False, allow_blank=True)
    eccp_url = serializers.URLField(required=False)
    message = serializers.CharField(required=False, allow_blank=True, max_length=1000)


class OrganisationRequestsView(StrictQueryParamsMixin, APIView):
    """The caller's requests to create or claim an organisation; POST makes one, which
    staff decide in the admin."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=OrganisationRequestSerializer(many=True))
    def get(self, request):
        requests = OrganisationRequest.objects.filter(requester=request.user).select_related(
            "organisation"
        )
        return Response(OrganisationRequestSerializer(requests, many=True).data)

    @extend_schema(
        request=NewOrganisationRequestSerializer, responses={201: OrganisationRequestSerializer}
    )
    def post(self, request):
        data = NewOrganisationRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        if values["kind"] == OrganisationRequest.Kind.CLAIM:
            if not values.get("organisation"):
                raise exceptions.ValidationError({"organisation": [_("Name the organisation.")]})
            organisation = get_object_or_404(
                Organisation.objects.visible_to(request.user), slug=values["organisation"]
            )
            made = services.claim_organisation(
                requester=request.user,
                organisation=organisation,
                message=values.get("message", ""),
            )
        else:
            made = services.request_organisation_creation(
                requester=request.user,
                name=values.get("name", ""),
                country=values.get("country", ""),
                eccp_url=values.get("eccp_url", ""),
                website=values.get("website", ""),
                message=values.get("message", ""),
            )
        return Response(OrganisationRequestSerializer(made).data, status=201)


class AnswerSerializer(serializers.Serializer):
    accept = StrictBooleanField()


class MyInvitationsView(StrictQueryParamsMixin, APIView):
    """Invitations to co-administer an organisation that wait for the caller's answer."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=InvitationSerializer(many=True))
    def get(self, request):
        invitations = services.invitations_for(user=request.user)
        return Response(InvitationSerializer(invitations, many=True).data)


class MyInvitationView(StrictQueryParamsMixin, APIView):
    """POST {"accept": true} makes the caller a co-admin; {"accept": false} declines."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=AnswerSerializer, responses=InvitationSerializer)
    def post(self, request, pk):
        invitation = get_object_or_404(services.invitations_for(user=request.user), pk=pk)
        data = AnswerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        invitation = services.answer_invitation(
            invitation=invitation, user=request.user, accept=data.validated_data["accept"]
        )
        return Response(InvitationSerializer(invitation).data)


# --- Following and the personal feed ------------------------------------------------------------


class FollowedMemberSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    display_name = serializers.CharField(source="name")
    url = serializers.SerializerMethodField()

    def get_url(self, profile) -> str:
        return absolute_url(profile.get_absolute_url(), self.context.get("request"))


class FollowedOrganisationSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    url = serializers.SerializerMethodField()

    def get_url(self, organisation) -> str:
        return absolute_url(organisation.get_absolute_url(), self.context.get("request"))


class FollowingSerializer(serializers.Serializer):
    members = FollowedMemberSerializer(many=True)
    organisations = FollowedOrganisationSerializer(many=True)


class FollowSerializer(serializers.Serializer):
    """Give ``member`` (a profile id) or ``organisation`` (a slug), not both."""

    member = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    organisation = serializers.SlugField(required=False, max_length=200)

    def validate(self, attrs):
        # The keys sent, not the values kept: a form's empty field is dropped from ``attrs``.
        sent = [key for key in ("member", "organisation") if key in self.initial_data]
        if len(sent) != 1 or sent[0] not in attrs:
            raise serializers.ValidationError(_("Follow either a member or an organisation."))
        return attrs


def _following_answer(request):
    profile = request.user.profile
    return Response(
        FollowingSerializer(
            {
                "members": followed_members(profile=profile).order_by("display_name", "pk"),
                "organisations": followed_organisations(profile=profile).order_by("name"),
            },
            context={"request": request},
        ).data
    )


class FollowingView(StrictQueryParamsMixin, APIView):
    """Whom the signed-in member follows; POST follows a member or an organisation they
    may see (following twice changes nothing)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=FollowingSerializer)
    def get(self, request):
        return _following_answer(request)

    @extend_schema(request=FollowSerializer, responses=FollowingSerializer)
    def post(self, request):
        data = FollowSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        profile = request.user.profile
        if "member" in data.validated_data:
            member = get_object_or_404(
                MemberProfile.objects.visible_to(request.user), pk=data.validated_data["member"]
            )
            services.follow(follower=profile, member=member)
        else:
            organisation = get_object_or_404(
                Organisation.objects.visible_to(request.user),
                slug=data.validated_data["organisation"],
            )
            services.follow(follower=profile, organisation=organisation)
        return _following_answer(request)


class FollowedMemberView(StrictQueryParamsMixin, APIView):
    """DELETE stops following a member (not following them is no error)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, pk):
        member = get_object_or_404(MemberProfile, pk=pk)
        services.unfollow(follower=request.user.profile, member=member)
        return Response(status=204)


class FollowedOrganisationView(StrictQueryParamsMixin, APIView):
    """DELETE stops following an organisation."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, slug):
        organisation = get_object_or_404(Organisation, slug=slug)
        services.unfollow(follower=request.user.profile, organisation=organisation)
        return Response(status=204)


class FeedItemSerializer(serializers.Serializer):
    kind = serializers.CharField(
        help_text="members.activity, events.event, partnering.request, forum.thread, ..."
    )
    title = serializers.CharField()
    url = serializers.CharField()
    when = serializers.DateTimeField()
    summary = serializers.CharField()


class FeedPageSerializer(serializers.Serializer):
    results = FeedItemSerializer(many=True)
    next = serializers.CharField(allow_null=True, help_text="The next (older) page, or null")


FEED_PAGE_SIZE = 20


class FeedView(StrictQueryParamsMixin, APIView):
    """The signed-in member's feed: what the members and organisations they follow did
    across the site (activity, events, partner requests, forum threads), newest first.
    ``before`` (the ``when`` of the last item seen, ISO 8601) gives the next page."""

    permission_classes = [IsAuthenticated]
    allowed_query_params = {"before"}

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "before", OpenApiTypes.DATETIME, description="Items older than this moment"
            )
        ],
        responses=FeedPageSerializer,
    )
    def get(self, request):
        before = None
        raw = request.query_params.get("before")
        if raw is not None:
            try:
                before = parse_datetime(raw.strip()) if len(raw) < 64 else None
            except ValueError:  # well formed, but no such day (month 13)
                before = None
            if before is None or timezone.is_naive(before):
                raise exceptions.ValidationError(
                    {"before": [_("Give a date and time with its offset (ISO 8601).")]}
                )
        profile = request.user.profile
        items = dashboard.build_feed(
            profile=profile,
            following=dashboard.following_for(profile),
            before=before,
            limit=FEED_PAGE_SIZE,
        )
        next_url = None
        if len(items) == FEED_PAGE_SIZE:
            next_url = request.build_absolute_uri(
                request.path + "?" + urlencode({"before": items[-1].when.isoformat()})
            )
        results = [
            {
                "kind": item.kind,
                "title": item.title,
                "url": absolute_url(item.url, request),
                "when": item.when,
                "summary": item.summary,
            }
            for item in items
        ]
        return Response(FeedPageSerializer({"results": results, "next": next_url}).data)
