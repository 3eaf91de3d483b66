"""Error answers under /api/ are JSON, whoever produced them."""

from http import HTTPStatus

from django.http import JsonResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework.response import Response

#: The JSON answers of the API paths (``/api/...``) for errors that did not come from an
#: API view: an unknown path, a server error.
API_PREFIX = "/api/"
API_ERROR_DETAILS = {
    404: _("Not found."),
    405: _("Method not allowed."),
    500: _("Something went wrong on our side."),
}


def api_error_detail(status: int) -> str:
    """The message of ``status`` in the active language (the client's, under /api/)."""
    if status in API_ERROR_DETAILS:
        return gettext(str(API_ERROR_DETAILS[status]))
    try:
        return HTTPStatus(status).phrase + "."
    except ValueError:
        return "Error."


class ApiJsonErrorsMiddleware:
    """Every error answer under /api/ is JSON, so a headless client never parses HTML.

    API views answer JSON themselves; what reaches here is Django's own error page for a
    path that no view serves, a method a plain view refuses, an oversized request or a
    server error. With DEBUG on, Django's pages carry a traceback and the settings: those
    are replaced too, so the API answers the same in development as in production. The
    exception itself is still logged and signalled by Django as usual.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code >= 400
            and request.path.startswith(API_PREFIX)
            and "json" not in response.get("Content-Type", "")
            # DRF negotiated its renderer: its browsable page, for a browser that asked.
            and not isinstance(response, Response)
        ):
            return self.as_json(response)
        return response

    @staticmethod
    def as_json(response):
        answer = JsonResponse(
            {"detail": api_error_detail(response.status_code)}, status=response.status_code
        )
        for header in ("Allow", "Retry-After", "WWW-Authenticate", "Vary"):
            if header in response:
                answer[header] = response[header]
        return answer
