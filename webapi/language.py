"""The JSON API's language: asked for with ``?locale=`` or ``Accept-Language``, said with
``Content-Language``.

The HTML site takes its language from the path (``/de/...``); the API's paths carry none,
and Django's LocaleMiddleware serves every path without a prefix in the default language.
Here the API gets the language its client asked for: error and validation messages, and
every translated field, answer in it.
"""

from django.conf import settings
from django.http import JsonResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

API_PREFIX = "/api/"
WAGTAIL_API_PREFIX = "/api/v2/"


class ApiLanguageMiddleware:
    """After LocaleMiddleware: for /api/ paths, activate the client's language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        asked = request.GET.get("locale")
        if asked is None:
            language = translation.get_language_from_request(request, check_path=False)
        else:
            try:
                if not asked.strip():
                    raise LookupError(asked)
                language = translation.get_supported_language_variant(asked.strip())
            except LookupError:
                if request.path.startswith(WAGTAIL_API_PREFIX):
                    # Wagtail's pages API reads ?locale= itself, as a filter: an unknown
                    # one is its own 404.
                    return self.get_response(request)
                codes = ", ".join(code for code, _name in settings.LANGUAGES)
                return JsonResponse(
                    {"locale": [f"Unknown language {asked[:20]!r}: use one of {codes}."]},
                    status=400,
                )
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response["Content-Language"] = language
        patch_vary_headers(response, ("Accept-Language",))
        return response
