"""``/api/auth/token/``: trading credentials for an API token, and revoking it."""

from allauth.account.adapter import get_adapter
from allauth.account.utils import has_verified_email
from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.adapter import sign_in_retry_after
from accounts.services import issue_token, revoke_token
from domain.exceptions import RateLimited
from security.throttling import ScopedThrottle

TOO_MANY_ATTEMPTS = "too_many_login_attempts"
BAD_CREDENTIALS = _("Unable to sign in with these credentials.")

ENDPOINT_RULES = (
    "A token is handed out only to an active account whose e-mail address is verified. "
    "Failed requests count against the same per-account and per-address limits as failed "
    "sign-ins on the site: past them the answer is 429 with Retry-After, whatever headers "
    "the client sends, until the limit's window has passed (resetting the password lifts "
    "it). A token stops working after TOKEN_IDLE_DAYS days without use (401: request a new "
    "one); changing or resetting the password revokes it, and so does DELETE on this path."
)


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(required=False, allow_blank=False, max_length=254)
    email = serializers.EmailField(required=False)
    password = serializers.CharField(trim_whitespace=False, max_length=4096)

    def validate(self, attrs):
        if not attrs.get("username") and not attrs.get("email"):
            raise serializers.ValidationError({"username": [_("Give a username or an e-mail.")]})
        return attrs


class TokenView(APIView):
    """Exchange a username (or e-mail) and password for the account's API token."""

    throttle_classes = [ScopedThrottle]
    throttle_scope = "token"

    def get_authenticators(self):
        # Credentials are the whole point of a POST: a session or an old token beside them
        # must neither be needed nor trip CSRF. Revoking needs to know who asks.
        if getattr(self, "_method", None) == "DELETE":
            return super().get_authenticators()
        return []

    def initialize_request(self, request, *args, **kwargs):
        self._method = request.method
        return super().initialize_request(request, *args, **kwargs)

    def get_permissions(self):
        return [IsAuthenticated()] if self._method == "DELETE" else [AllowAny()]

    @extend_schema(
        summary="Get an API token",
        description=ENDPOINT_RULES,
        request=TokenRequestSerializer,
        responses={
            200: inline_serializer("TokenResponse", {"token": serializers.CharField()}),
            400: OpenApiResponse(description="Missing fields or wrong credentials."),
            403: OpenApiResponse(description="The account's e-mail address is not verified."),
            429: OpenApiResponse(description="Too many attempts; see Retry-After."),
        },
    )
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        credentials = {"password": data["password"]}
        if data.get("username"):
            credentials["username"] = data["username"]
        else:
            credentials["email"] = data["email"]
        adapter = get_adapter(request)
        try:
            # allauth's own sign-in: counts the failure against the account's and the
            # address's limits, and runs the hasher for unknown accounts too.
            user = adapter.authenticate(request, **credentials)
        except DjangoValidationError as error:
            if error.code == TOO_MANY_ATTEMPTS:
                raise RateLimited(
                    str(error.message),
                    retry_after=sign_in_retry_after(request, **credentials),
                ) from None
            raise
        if user is not None and not user.is_active and adapter.resume_account(user):
            user.refresh_from_db(fields=["is_active"])
        if user is None or not user.is_active:
            return Response({"detail": BAD_CREDENTIALS}, status=status.HTTP_400_BAD_REQUEST)
        if settings.ACCOUNT_EMAIL_VERIFICATION == "mandatory" and not has_verified_email(user):
            return Response(
                {
                    "detail": _(
                        "Verify your e-mail address first: follow the link in the message "
                        "the club sent you."
                    ),
                    "code": "email_unverified",
                },
                status=status.HTTP_403_FORBIDDEN,
            )
        return Response({"token": issue_token(user=user).key})

    @extend_schema(
        summary="Revoke your API token",
        description="Revokes the caller's API token; the next request with it gets a 401.",
        request=None,
        responses={204: None, 401: OpenApiResponse(description="Not signed in.")},
    )
    def delete(self, request):
        revoke_token(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
