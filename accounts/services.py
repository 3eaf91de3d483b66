"""Actions on API tokens: handing one out, revoking them."""

from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token

from accounts.models import TokenUse
from caching import generations


def token_idle_limit() -> timedelta:
    return timedelta(days=settings.TOKEN_IDLE_DAYS)


def token_last_used(token: Token):
    """When ``token`` last authenticated a request (its creation if never)."""
    use = getattr(token, "use", None)
    return use.last_used if use is not None else token.created


def token_has_expired(token: Token, *, now=None) -> bool:
    return (now or timezone.now()) - token_last_used(token) > token_idle_limit()


@transaction.atomic
def issue_token(*, user) -> Token:
    """The account's API token: the one it has, or a new one if it has none or it expired.

    The caller has checked the credentials and that the account may have a token. Locks the
    account's token row so that two sign-ins at once hand out the same token.
    """
    token = (
        Token.objects.select_for_update(of=("self",))
        .select_related("use")
        .filter(user=user)
        .first()
    )
    now = timezone.now()
    if token is not None and token_has_expired(token, now=now):
        token.delete()
        token = None
    if token is None:
        token = Token.objects.create(user=user)
    TokenUse.objects.update_or_create(token=token, defaults={"last_used": now})
    return token


def revoke_token(*, user) -> bool:
    """Revokes the account's API token; True if it had one."""
    deleted, _ = Token.objects.filter(user=user).delete()
    return bool(deleted)


def record_token_use(*, token: Token, now=None) -> None:
    """Notes that ``token`` authenticated a request, unless that was noted recently enough.

    The write happens at most once per ``TOKEN_USE_RESOLUTION`` seconds per token: the idle
    limit is counted in days, so an hour's precision costs nothing and saves a write on
    nearly every request.
    """
    now = now or timezone.now()
    if now - token_last_used(token) < timedelta(seconds=settings.TOKEN_USE_RESOLUTION):
        return
    TokenUse.objects.update_or_create(token=token, defaults={"last_used": now})


ADMIN_ACCESS_GENERATION_KEY = "accounts:admin-access:generation"
ADMIN_ACCESS_SECONDS = 3600


def may_access_admin(user) -> bool:
    """Whether ``user`` may open the Wagtail admin (and so sees the userbar on pages).

    Every page of a signed-in member asks; answering it from their permissions costs two
    queries, so the answer is kept per account until a user, a group or a permission
    changes (``ADMIN_ACCESS_GENERATION_KEY``, moved on by accounts.receivers).
    """
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    key = f"accounts:admin-access:{generations.current(ADMIN_ACCESS_GENERATION_KEY)}:{user.pk}"
    allowed = cache.get(key)
    if allowed is None:
        allowed = user.has_perm("wagtailadmin.access_admin")
        cache.set(key, allowed, ADMIN_ACCESS_SECONDS)
    return allowed
