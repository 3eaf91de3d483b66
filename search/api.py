"""Search API: partner search, autocomplete and site-wide search."""

from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import APIView

from search.engines.base import FACETS, search_engine
from search.params import parse_paging, parse_partner_params
from search.results import absolute_url, facets_payload, organisation_path, organisation_results
from search.site import KINDS, promotions
from search.text import clean_query, first_words, words
from webapi.conventions import StrictQueryParamsMixin


def page_links(request, *, page: int, page_size: int, count: int) -> tuple[str | None, str | None]:
    url = request.build_absolute_uri()
    last = max(1, -(-count // page_size))
    following = replace_query_param(url, "page", page + 1) if page < last else None
    if page <= 1:
        previous = None
    elif page == 2:
        previous = remove_query_param(url, "page")
    else:
        previous = replace_query_param(url, "page", page - 1)
    return following, previous


_facet_value = inline_serializer(
    "FacetValue",
    {
        "value": serializers.CharField(),
        "count": serializers.IntegerField(),
        "name": serializers.CharField(),
    },
)


class PartnerSearchView(StrictQueryParamsMixin, APIView):
    """Partner search over published organisations, with facets (see search/params.py)."""

    permission_classes = [AllowAny]
    allowed_query_params = {"q", "like", *FACETS}

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "q", OpenApiTypes.STR, description="Words to find (max. 200 characters)."
            ),
            *[
                OpenApiParameter(
                    facet,
                    OpenApiTypes.STR,
                    many=True,
                    description="Repeat or comma-separate: values OR, facets AND.",
                )
                for facet in FACETS
            ],
            OpenApiParameter(
                "like",
                OpenApiTypes.STR,
                description="An organisation's slug: rank partners like it.",
            ),
            OpenApiParameter("page", OpenApiTypes.INT),
            OpenApiParameter("page_size", OpenApiTypes.INT, description="1-100"),
        ],
        responses=inline_serializer(
            "PartnerSearch",
            {
                "count": serializers.IntegerField(),
                "next": serializers.URLField(allow_null=True),
                "previous": serializers.URLField(allow_null=True),
                "results": serializers.ListField(child=serializers.DictField()),
                "facets": serializers.DictField(child=serializers.ListField(child=_facet_value)),
            },
        ),
    )
    def get(self, request):
        params = parse_partner_params(request.query_params)
        found = search_engine().partner_search(
            text=params.text,
            filters=params.filters,
            page=params.page,
            page_size=params.page_size,
            like=params.like,
        )
        if params.page > 1 and (params.page - 1) * params.page_size >= found.count:
            raise NotFound("Invalid page.")
        following, previous = page_links(
            request, page=params.page, page_size=params.page_size, count=found.count
        )
        return Response(
            {
                "count": found.count,
                "next": following,
                "previous": previous,
                "results": organisation_results(found.hits, request=request, like=params.like),
                "facets": facets_payload(found.facets),
            }
        )


class AutocompleteView(StrictQueryParamsMixin, APIView):
    """Suggestions for a search box: organisation names and technologies."""

    permission_classes = [AllowAny]
    allowed_query_params = {"q"}

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "q",
                OpenApiTypes.STR,
                required=True,
                description="What was typed so far (max. 200 characters).",
            )
        ],
        responses=inline_serializer(
            "Autocomplete", {"results": serializers.ListField(child=serializers.DictField())}
        ),
    )
    def get(self, request):
        from django.core.exceptions import ValidationError

        prefix = clean_query(request.query_params.get("q"))
        if not prefix:
            raise ValidationError({"q": ["Type at least one character."]})
        suggestions = search_engine().autocomplete(prefix=prefix, limit=8)
        for suggestion in suggestions:
            if suggestion["kind"] == "organisation":
                suggestion["url"] = absolute_url(organisation_path(suggestion["slug"]), request)
            else:
                suggestion["url"] = absolute_url(
                    f"/partners/?technology={suggestion['slug']}", request
                )
        return Response({"results": suggestions})


class SiteSearchView(StrictQueryParamsMixin, APIView):
    """Site-wide search grouped by kind; ``?kind=`` pages through one kind."""

    permission_classes = [AllowAny]
    allowed_query_params = {"q", "kind"}

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "q",
                OpenApiTypes.STR,
                required=True,
                description="Words to find (max. 200 characters).",
            ),
            OpenApiParameter(
                "kind",
                OpenApiTypes.STR,
                enum=list(KINDS),
                description="Only this kind, paged as a list.",
            ),
            OpenApiParameter("page", OpenApiTypes.INT),
            OpenApiParameter("page_size", OpenApiTypes.INT, description="1-100"),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request):
        from django.core.exceptions import ValidationError

        text = first_words(clean_query(request.query_params.get("q")))
        if not words(text):
            raise ValidationError({"q": [gettext("Type a word to search for.")]})
        # Read even where the grouped answer does not page: a bad number is a 400 everywhere.
        page, page_size = parse_paging(request.query_params)
        kind = request.query_params.get("kind")
        if kind is None:
            groups = search_engine().site_search(text=text, user=request.user, request=request)
            return Response(
                {
                    "query": text,
                    "promotions": promotions(text, request),
                    "groups": [group_payload(group) for group in groups],
                }
            )
        if kind not in KINDS:
            raise ValidationError(
                {"kind": [gettext("Choose one of: %(kinds)s.") % {"kinds": ", ".join(KINDS)}]}
            )
        (group,) = search_engine().site_search(
            text=text,
            user=request.user,
            request=request,
            kinds=[kind],
            offset=(page - 1) * page_size,
            limit=page_size,
        )
        if page > 1 and not group.results:
            raise NotFound("Invalid page.")
        following, previous = page_links(request, page=page, page_size=page_size, count=group.count)
        return Response(
            {
                "count": group.count,
                "next": following,
                "previous": previous,
                "results": group_payload(group)["results"],
            }
        )


def group_payload(group) -> dict:
    return {
        "kind": group.kind,
        "label": str(group.label),
        "count": group.count,
        "results": [
            {
                **result,
                "highlight": str(result["highlight"]),
                "title_highlight": str(result["title_highlight"]),
            }
            for result in group.results
        ],
    }
