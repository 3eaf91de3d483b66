"""Security headers the site's own pages satisfy.

Django 5.2 has no Content-Security-Policy of its own. Public pages get a strict policy: scripts
only from the site itself or inline with the per-response nonce (``request.csp_nonce``,
used as ``<script nonce="{{ request.csp_nonce }}">``). Wagtail's admin relies on inline
scripts and shows previews in a same-origin frame, so it gets a policy that allows both.
"""

import secrets
from http import HTTPStatus

from django.http import JsonResponse
from rest_framework.response import Response

ADMIN_PREFIXES = ("/admin/", "/django-admin/")


def content_security_policy(request, nonce: str) -> str:
    host = request.get_host()
    # Chromium and Firefox treat 'self' as covering same-host WebSockets, older Safari
    # does not: name them explicitly for the live forum.
    connect = f"'self' ws://{host} wss://{host}"
    if request.path.startswith(ADMIN_PREFIXES):
        return (
            "default-src 'self'; "
            "script-src 'self' 'unsafe-inline' 'unsafe-eval'; "
            "style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data: blob:; "
            "font-src 'self' data:; "
            f"connect-src {connect}; "
            "frame-src 'self' blob:; "
            "frame-ancestors 'self'; "
            "object-src 'none'; base-uri 'self'; form-action 'self'"
        )
    return (
        "default-src 'self'; "
        f"script-src 'self' 'nonce-{nonce}'; "
        "style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data: blob:; "
        "font-src 'self' data:; "
        f"connect-src {connect}; "
        "frame-src 'self'; "
        "frame-ancestors 'none'; "
        "object-src 'none'; base-uri 'self'; form-action 'self'"
    )


class SecurityHeadersMiddleware:
    """Adds Content-Security-Policy and Permissions-Policy to every HTML response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.csp_nonce = secrets.token_urlsafe(16)
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = content_security_policy(
                request, request.csp_nonce
            )
        response.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"
        )
        response.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response


#: The JSON answers of the API paths (``/api/...``) for errors that did not come from an
#: API view: an unknown path, a server error.
API_PREFIX = "/api/"
API_ERROR_DETAILS = {
    404: "Not found.",
    405: "Method not allowed.",
    500: "Something went wrong on our side.",
}


def api_error_detail(status: int) -> str:
    if status in API_ERROR_DETAILS:
        return API_ERROR_DETAILS[status]
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
