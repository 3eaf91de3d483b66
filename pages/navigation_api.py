"""``GET /api/navigation/``: the main menu, the footer and the site's settings, in the
requested language (``?locale=`` or Accept-Language), so that a headless front end builds
the navigation the HTML site shows."""

from django.utils import translation
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from pages.navigation import footer_links, menu_items
from pages.templatetags.club_tags import footer_context
from webapi.conventions import StrictQueryParamsMixin


def _link_serializer(name: str):
    return inline_serializer(
        name, {"label": serializers.CharField(), "url": serializers.CharField()}, many=True
    )


def _organisation_serializer(name: str, **extra):
    return inline_serializer(
        name,
        {"name": serializers.CharField(), "url": serializers.CharField(allow_blank=True), **extra},
        many=True,
    )


NAVIGATION_RESPONSE = inline_serializer(
    "Navigation",
    {
        "language": serializers.CharField(),
        "menu": _link_serializer("NavigationLink"),
        "footer": inline_serializer(
            "Footer",
            {
                "links": _link_serializer("FooterLinkItem"),
                "contact": inline_serializer(
                    "FooterContact",
                    {
                        "email": serializers.CharField(allow_blank=True),
                        "address": serializers.CharField(allow_blank=True),
                    },
                ),
                "social": _link_serializer("SocialLink"),
                "successors": _organisation_serializer(
                    "SuccessorItem", role=serializers.CharField()
                ),
                "funders": _organisation_serializer(
                    "FunderItem", programme=serializers.CharField(allow_blank=True)
                ),
                "consortium": _organisation_serializer("ConsortiumItem"),
            },
        ),
    },
)


def navigation(request) -> dict:
    """The menu and the footer as the HTML site shows them to ``request``."""
    footer = footer_context(request)
    club = footer["club_settings"]
    return {
        "language": translation.get_language(),
        "menu": menu_items(request),
        "footer": {
            "links": footer_links(request),
            "contact": {
                "email": club.contact_email if club else "",
                "address": club.address if club else "",
            },
            "social": [
                {"label": label, "url": url} for label, url in (club.social_links if club else [])
            ],
            "successors": [
                {"name": str(entity), "url": entity.url, "role": entity.role}
                for entity in footer["successors"]
            ],
            "funders": [
                {"name": p.name, "url": p.url, "programme": p.programme} for p in footer["funders"]
            ],
            "consortium": [{"name": p.name, "url": p.url} for p in footer["consortium"]],
        },
    }


class NavigationView(StrictQueryParamsMixin, APIView):
    """The site's navigation for headless front ends: public, read only."""

    permission_classes = [AllowAny]

    @extend_schema(responses=NAVIGATION_RESPONSE, operation_id="navigation")
    def get(self, request):
        return Response(navigation(request))
