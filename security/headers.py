"""Security headers the site's own pages satisfy.

Django 5.2 has no Content-Security-Policy of its own. Public pages get a strict policy: scripts
only from the site itself or inline with the per-response nonce (``request.csp_nonce``,
used as ``<script nonce="{{ request.csp_nonce }}">``). Wagtail's admin relies on inline
scripts and shows previews in a same-origin frame, so it gets a policy that allows both.
"""

import secrets

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
