"""Project-level API glue: the Wagtail API v2 (the token endpoint is accounts/api.py)."""

from django.conf import settings
from django.http import Http404
from rest_framework.response import Response
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet
from wagtail.models import Locale, Site

from club.preview import InvalidPreviewRequest, PreviewNotFound, page_from_preview_token


class PagesAPIEndpoint(PagesAPIViewSet):
    """Pages, with ``find`` by html_path, including locale-prefixed paths (/de/about/)."""

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


class PagePreviewAPIEndpoint(PagesAPIViewSet):
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


wagtail_api_router = WagtailAPIRouter("wagtailapi")
wagtail_api_router.register_endpoint("pages", PagesAPIEndpoint)
wagtail_api_router.register_endpoint("images", ImagesAPIViewSet)
wagtail_api_router.register_endpoint("documents", DocumentsAPIViewSet)
wagtail_api_router.register_endpoint("page_preview", PagePreviewAPIEndpoint)
