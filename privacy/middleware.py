"""Asking signed-in members to accept a new version of the terms or the privacy policy.

A page view (GET, HTML) of a signed-in member who has not accepted the version in force is
redirected to the acceptance page, which links the texts. The API, the admin, sign-out and
the policy pages themselves are never redirected; the API reports pending acceptances at
``/api/members/me/consents/``. What a member accepted is remembered in their session, so a
member who is up to date costs no query.
"""

from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import get_language_from_path

SESSION_KEY = "privacy.accepted"
PASS_THROUGH = (
    "/api/",
    "/admin/",
    "/static/",
    "/media/",
    "/documents/",
    "/healthz",
    "/i18n/",
    "/ws/",
)


class PolicyAcceptanceMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self._ask(request)
        return response if response is not None else self.get_response(request)

    def _ask(self, request):
        if request.method not in ("GET", "HEAD"):
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        path = request.path_info
        if path.startswith(PASS_THROUGH):
            return None
        language = get_language_from_path(path)
        bare = path[len(language) + 1 :] if language else path
        if bare.startswith(("/accounts/", "/members/me/data/")):
            return None
        from privacy import services

        current = services.current_versions()
        wanted = {doc: v for doc, v in current.items() if v is not None}
        if not wanted or request.session.get(SESSION_KEY) == wanted:
            return None
        pending = services.pending_policies(user)
        if not pending:
            request.session[SESSION_KEY] = wanted
            return None
        if any(bare == url or path == url for url in services.policy_urls().values()):
            return None
        return redirect(
            f"{reverse('privacy:accept')}?{urlencode({'next': request.get_full_path()})}"
        )
