"""Project-level API glue: the token endpoint, the OpenAPI schema and the Wagtail API v2."""

from django.contrib.auth import authenticate, get_user_model
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(required=False, allow_blank=False, max_length=254)
    email = serializers.EmailField(required=False)
    password = serializers.CharField(trim_whitespace=False, max_length=4096)

    def validate(self, attrs):
        if not attrs.get("username") and not attrs.get("email"):
            raise serializers.ValidationError({"username": ["Give a username or an e-mail."]})
        return attrs


class TokenThrottle(AnonRateThrottle):
    scope = "token"


class ObtainTokenView(APIView):
    """Exchange a username (or e-mail) and password for the API token of that account."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [TokenThrottle]

    @extend_schema(
        request=TokenRequestSerializer,
        responses={200: inline_serializer("TokenResponse", {"token": serializers.CharField()})},
    )
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        username = serializer.validated_data.get("username")
        if not username:
            match = (
                get_user_model()
                .objects.filter(email__iexact=serializer.validated_data["email"])
                .order_by("pk")
                .first()
            )
            username = match.get_username() if match else None
        user = (
            authenticate(request, username=username, password=serializer.validated_data["password"])
            if username
            else None
        )
        if user is None or not user.is_active:
            return Response(
                {"detail": "Unable to sign in with these credentials."},
                status=status.HTTP_400_BAD_REQUEST,
            )
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


class PagesAPIEndpoint(PagesAPIViewSet):
    """Pages, with ``find`` by html_path as Wagtail provides it."""


wagtail_api_router = WagtailAPIRouter("wagtailapi")
wagtail_api_router.register_endpoint("pages", PagesAPIEndpoint)
wagtail_api_router.register_endpoint("images", ImagesAPIViewSet)
wagtail_api_router.register_endpoint("documents", DocumentsAPIViewSet)
