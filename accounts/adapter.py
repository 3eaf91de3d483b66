"""allauth, fitted to the club's rules: the client address and a per-account lock."""

import math
import time

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.userkit import filter_users_by_email, get_user_by_username
from allauth.core.internal import ratelimit
from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from security.client_address import client_address

LOGIN_FAILED = {"app": "allauth.account", "action": "login_failed"}


def account_for_login(login: str):
    """The account a sign-in's login (a username or an e-mail address) names, or None."""
    login = (login or "").strip()
    if not login:
        return None
    if "@" in login:
        users = filter_users_by_email(login, prefer_verified=True, for_login=True)
        if users:
            return users[0]
    return get_user_by_username(login)


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request) -> str:
        return client_address(request)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Account e-mails (password reset, address confirmation) in the language the
        recipient chose, not the language of the page that asked for them: a reset asked
        for by someone else, or from the English addresses, still reaches a German member
        in German."""
        language = recipient_language(email, context.get("user"))
        if language is None:
            return super().send_mail(template_prefix, email, context)
        with translation.override(language):
            return super().send_mail(template_prefix, email, context)

    def resume_account(self, user) -> bool:
        """An inactive account's owner signed in with the right password: True if that
        reopens it. None here; the privacy app's adapter reopens an account that waits for
        its erasure (the member changed their mind)."""
        return False

    def pre_login(self, request, user, **kwargs):
        if not user.is_active and self.resume_account(user):
            user.refresh_from_db(fields=["is_active"])
        return super().pre_login(request, user, **kwargs)

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        """Failed sign-ins count per account, whichever login names it: a guesser who
        alternates the username and the e-mail address still has five tries, not ten."""
        login = credentials.get("email") or credentials.get("username") or ""
        account = account_for_login(login)
        if account is not None:
            return f"account:{account.pk}"
        return super()._get_login_attempts_cache_key(request, **credentials)


def recipient_language(email: str, user=None) -> str | None:
    """The preferred language of the account ``email`` belongs to (its profile's), if any."""
    if user is None:
        users = filter_users_by_email(email, prefer_verified=True)
        user = users[0] if users else None
    profile = getattr(user, "profile", None) if user is not None else None
    language = getattr(profile, "language", "") or ""
    return language if language in dict(settings.LANGUAGES) else None


def sign_in_retry_after(request, **credentials) -> int:
    """Seconds until the failed-sign-in limits let these credentials be tried again.

    Reads the history allauth keeps for each limit of ``login_failed`` (per address and per
    account): a full window frees when its oldest counted attempt leaves it.
    """
    key = AccountAdapter(request)._get_login_attempts_cache_key(request, **credentials)
    now = time.time()
    wait = 0.0
    for rate in ratelimit.get_rates(**LOGIN_FAILED):
        cache_key = ratelimit.get_cache_key(request, rate=rate, key=key, **LOGIN_FAILED)
        recent = [moment for moment in cache.get(cache_key, []) if moment > now - rate.duration]
        if len(recent) >= rate.amount:
            wait = max(wait, recent[rate.amount - 1] + rate.duration - now)
    return max(1, math.ceil(wait))
