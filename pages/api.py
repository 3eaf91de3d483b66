"""Project-level API glue: the Wagtail API v2 (the token endpoint is accounts/api.py)."""

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import connection
from django.http import Http404
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet
from wagtail.models import Locale, Site

from pages.preview import InvalidPreviewRequest, PreviewNotFound, page_from_preview_token
from webapi.params import integer_params

#: Wagtail API v2 parameters that are whole numbers, with the smallest each may be; the
#: tree filters also take "root".
WAGTAIL_INTEGER_PARAMS = {
    "limit": 0,
    "offset": 0,
    "child_of": 1,
    "descendant_of": 1,
    "ancestor_of": 1,
    "translation_of": 1,
}
ROOT_ALIAS_PARAMS = {"child_of", "descendant_of", "translation_of"}


def bad_request(error: DjangoValidationError) -> BadRequestError:
    """Wagtail's own 400 ({"message": ...}), naming each parameter."""
    return BadRequestError(
        "; ".join(f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items())
    )


class PublicWagtailAPIMixin:
    """Wagtail's API v2 endpoints as the club serves them: public and read-only (the DRF
    default is closed), and every whole-number parameter read by webapi.params' rule. Wagtail
    itself reads them with ``int()``, which takes "٣" and "１２" and passes 40-digit
    numbers on to the database."""

    permission_classes = [AllowAny]

    def check_query_parameters(self, queryset):
        super().check_query_parameters(queryset)
        params = self.request.GET
        rules = {
            name: {"min_value": minimum}
            for name, minimum in WAGTAIL_INTEGER_PARAMS.items()
            if not (name in ROOT_ALIAS_PARAMS and params.get(name) == "root")
        }
        for name in self.get_available_fields(queryset.model, db_fields_only=True):
            # ``locale`` is a language code (Wagtail's LocaleFilter), not the column's id.
            if name in params and name not in rules and name != "locale":
                limits = integer_field_limits(queryset.model, name)
                if limits is not None:
                    rules[name] = {"min_value": limits[0], "max_value": limits[1]}
        try:
            integer_params(params, rules)
        except DjangoValidationError as error:
            raise bad_request(error) from error

    def find_object(self, queryset, request):
        try:
            integer_params(request.GET, {"id": {}})
        except DjangoValidationError as error:
            raise bad_request(error) from error
        return super().find_object(queryset, request)


def integer_field_limits(model, name: str) -> tuple[int, int] | None:
    """The values the column behind ``name`` can hold, ids from 1; None if not a number."""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    is_id = field.primary_key or field.many_to_one
    if field.many_to_one:
        field = field.target_field
    internal_type = field.get_internal_type()
    # Asked first: SQLite's integer_field_range answers a range for every type, text too.
    if internal_type not in connection.ops.integer_field_ranges:
        return None
    low, high = connection.ops.integer_field_range(internal_type)
    return (max(low, 1) if is_id else low), high


class PagesAPIEndpoint(PublicWagtailAPIMixin, PagesAPIViewSet):
    """Pages, with ``find`` by html_path, including locale-prefixed paths (/de/about/)."""

    def get_queryset(self):
        # Every listed page shows its locale (a meta field): read with the pages, not
        # one query per page.
        return super().get_queryset().select_related("locale")

    def find_object(self, queryset, request):
        html_path = request.GET.get("html_path")
        if html_path is not None:
            found = self.find_localized_page(request, html_path)
            if found is not None:
                return found if queryset.filter(pk=found.pk).exists() else None
        return super().find_object(queryset, request)

    @staticmethod
    def find_localized_page(request, html_path):
        """The page at a /<language>/... path, routed from that locale's home page."""
        components = [component for component in html_path.split("/") if component]
        languages = {code for code, _ in settings.LANGUAGES} - {settings.LANGUAGE_CODE}
        if not components or components[0] not in languages:
            return None
        site = Site.find_for_request(request)
        locale = Locale.objects.filter(language_code=components[0]).first()
        if site is None or locale is None:
            return None
        root = site.root_page.get_translation_or_none(locale)
        if root is None:
            return None
        try:
            page, _, _ = root.specific.route(request, components[1:])
        except Http404:
            return None
        return page


class PagePreviewAPIEndpoint(PublicWagtailAPIMixin, PagesAPIViewSet):
    """The draft an editor is previewing, for a headless front end.

    ``GET /api/v2/page_preview/?content_type=club.newspage&token=...``: the token comes from
    the preview URL that wagtail-headless-preview gives the front end; the answer has the
    same fields as the page's detail in /api/v2/pages/<id>/.
    """

    known_query_parameters = PagesAPIViewSet.known_query_parameters.union(["content_type", "token"])

    def listing_view(self, request):
        # The preview is one page: serialise it with the detail fields.
        self.action = "detail_view"
        page = self.get_object()
        return Response(self.get_serializer(page).data)

    def detail_view(self, request, pk):
        return self.listing_view(request)

    def get_object(self):
        if hasattr(self, "_cached_object"):
            return self._cached_object
        try:
            page = page_from_preview_token(
                content_type=self.request.GET.get("content_type", ""),
                token=self.request.GET.get("token", ""),
            )
        except InvalidPreviewRequest as error:
            raise BadRequestError(str(error)) from error
        except PreviewNotFound as error:
            raise Http404(str(error)) from error
        self._cached_object = page
        return page


class ImagesAPIEndpoint(PublicWagtailAPIMixin, ImagesAPIViewSet):
    """Images, by Wagtail."""


class DocumentsAPIEndpoint(PublicWagtailAPIMixin, DocumentsAPIViewSet):
    """Documents, by Wagtail."""


wagtail_api_router = WagtailAPIRouter("wagtailapi")
wagtail_api_router.register_endpoint("pages", PagesAPIEndpoint)
wagtail_api_router.register_endpoint("images", ImagesAPIEndpoint)
wagtail_api_router.register_endpoint("documents", DocumentsAPIEndpoint)
wagtail_api_router.register_endpoint("page_preview", PagePreviewAPIEndpoint)
