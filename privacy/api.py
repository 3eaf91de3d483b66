"""JSON API of members' data rights: ``POST /api/members/me/export/``,
``DELETE /api/members/me/`` and ``/api/members/me/consents/``."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.parsers import JSONParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from members.api import MemberMeView as ProfileMeView
from privacy import services
from privacy.models import ConsentRecord, DataExport
from security.throttling import ScopedThrottle
from webapi.conventions import StrictBooleanField, StrictQueryParamsMixin


class ExportSerializer(serializers.ModelSerializer):
    class Meta:
        model = DataExport
        fields = ["id", "status", "requested_at", "ready_at"]


class DeleteAccountSerializer(serializers.Serializer):
    password = serializers.CharField(trim_whitespace=False, max_length=4096)


class DeletionSerializer(serializers.Serializer):
    erase_after = serializers.DateTimeField()


class MemberMeView(ProfileMeView):
    """The signed-in member's own profile (GET, PATCH) and the deletion of their account
    (DELETE with their password)."""

    def get_throttles(self):
        # A DELETE checks a password: as few tries as for an API token.
        if self.request.method == "DELETE":
            self.throttle_scope = "token"
            return [*super().get_throttles(), ScopedThrottle()]
        return super().get_throttles()

    @extend_schema(
        summary="Delete your account",
        description=(
            "Deactivates the account at once (the API token is revoked, sessions end) and "
            "erases its personal data after ACCOUNT_DELETION_GRACE_DAYS days; signing in "
            "before then (on the site or at /api/auth/token/) cancels the deletion. Forum "
            "posts stay, shown as by a former member; registrations are cancelled. Refused "
            "with 409 while the member is the only co-admin of an organisation."
        ),
        request=DeleteAccountSerializer,
        responses={
            202: DeletionSerializer,
            400: OpenApiResponse(description="Missing or wrong password."),
            409: OpenApiResponse(description="The only co-admin of an organisation."),
        },
    )
    def delete(self, request):
        data = DeleteAccountSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        deletion = services.request_account_deletion(
            user=request.user, password=data.validated_data["password"]
        )
        return Response(DeletionSerializer(deletion).data, status=status.HTTP_202_ACCEPTED)


class ExportView(StrictQueryParamsMixin, APIView):
    """Ask for a copy of your data."""

    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]

    @extend_schema(
        summary="Ask for a copy of your data",
        description=(
            "Builds, in the background, a ZIP of JSON files (with a README.txt) of everything "
            "the club keeps about the caller, and e-mails a link that only the caller, signed "
            "in, can open, for DATA_EXPORT_DAYS days. While one is being prepared, asking "
            "again returns it; a new one may be asked DATA_EXPORT_INTERVAL seconds after the "
            "last (429 with Retry-After before)."
        ),
        request=None,
        responses={202: ExportSerializer, 429: OpenApiResponse(description="Asked too often.")},
    )
    def post(self, request):
        export = services.request_export(user=request.user)
        return Response(ExportSerializer(export).data, status=status.HTTP_202_ACCEPTED)


POLICY_STATE = inline_serializer(
    "PolicyConsent",
    {
        "current_version": serializers.IntegerField(allow_null=True),
        "accepted_version": serializers.IntegerField(allow_null=True),
        "pending": serializers.BooleanField(),
        "url": serializers.CharField(),
    },
)


class ConsentRecordSerializer(serializers.ModelSerializer):
    class Meta:
        model = ConsentRecord
        fields = ["document", "version", "action", "created"]


class ConsentsSerializer(serializers.Serializer):
    terms = POLICY_STATE
    privacy = POLICY_STATE
    marketing = serializers.BooleanField()
    history = ConsentRecordSerializer(many=True)


class ConsentsUpdateSerializer(serializers.Serializer):
    terms = serializers.IntegerField(
        required=False, min_value=1, help_text="The version in force, to accept it."
    )
    privacy = serializers.IntegerField(
        required=False, min_value=1, help_text="The version in force, to accept it."
    )
    marketing = StrictBooleanField(
        required=False, help_text="Yes or no to newsletters and digests by e-mail."
    )


def consents_payload(request) -> dict:
    user = request.user
    current = services.current_versions()
    accepted = services.accepted_versions(user)
    pending = set(services.pending_policies(user))
    urls = services.policy_urls()
    payload = {
        document: {
            "current_version": current.get(document),
            "accepted_version": accepted.get(document),
            "pending": document in pending,
            "url": request.build_absolute_uri(urls[document]) if urls.get(document) else "",
        }
        for document in ("terms", "privacy")
    }
    payload["marketing"] = services.wants_marketing(user)
    payload["history"] = ConsentRecordSerializer(
        ConsentRecord.objects.filter(user=user).order_by("-created", "-pk"), many=True
    ).data
    return payload


class ConsentsView(StrictQueryParamsMixin, APIView):
    """What the caller agreed to, and accepting a new version or answering about marketing."""

    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]

    @extend_schema(summary="Your consents", responses=ConsentsSerializer)
    def get(self, request):
        return Response(consents_payload(request))

    @extend_schema(
        summary="Accept a version or change your answer about newsletters",
        description=(
            'Send {"terms": <version in force>} or {"privacy": ...} to accept it (any other '
            'version is a 400), {"marketing": true|false} to opt in to or out of newsletters '
            "and digests. Each change is recorded with its date."
        ),
        request=ConsentsUpdateSerializer,
        responses={200: ConsentsSerializer, 400: OpenApiResponse(description="Bad values.")},
    )
    def patch(self, request):
        if not isinstance(request.data, dict):
            raise exceptions.ValidationError({"detail": [_("Send a JSON object.")]})
        unknown = sorted(set(request.data) - set(ConsentsUpdateSerializer().fields))
        if unknown:
            raise exceptions.ValidationError({f: [_("Unknown field.")] for f in unknown})
        data = ConsentsUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        marketing = values.pop("marketing", None)
        try:
            if values:
                services.accept_policies(user=request.user, versions=values)
        except DjangoValidationError as error:
            raise exceptions.ValidationError(error.message_dict) from None
        if marketing is not None:
            services.set_marketing_consent(user=request.user, accepted=marketing)
        return Response(consents_payload(request))
