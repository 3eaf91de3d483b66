"""DRF throttles that key on the club's client address (security/client_address.py).

DRF's own ``get_ident`` joins the whole ``X-Forwarded-For`` header when ``NUM_PROXIES`` is
unset, so a client that changes the header is a new client on every request.
"""

import logging

from redis.exceptions import RedisError
from rest_framework.throttling import AnonRateThrottle, ScopedRateThrottle, UserRateThrottle

from security.client_address import client_address

logger = logging.getLogger(__name__)


class ClientAddressMixin:
    def get_ident(self, request):
        return client_address(request)

    def allow_request(self, request, view):
        # The counts live in the cache (Redis): while it is down, requests are let through
        # rather than answered with a 500, as the rest of the site keeps working then too.
        try:
            return super().allow_request(request, view)
        except (RedisError, OSError) as error:
            logger.warning("throttle counts unavailable, letting the request through: %s", error)
            return True


class AnonymousThrottle(ClientAddressMixin, AnonRateThrottle):
    """Anonymous clients, by address (rate ``anon``)."""


class MemberThrottle(ClientAddressMixin, UserRateThrottle):
    """Signed-in clients by account, anonymous ones by address (rate ``user``)."""


class ScopedThrottle(ClientAddressMixin, ScopedRateThrottle):
    """A view's own ``throttle_scope``, by account or address."""
