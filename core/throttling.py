"""DRF throttles that key on the club's client address (core/client_address.py).

DRF's own ``get_ident`` joins the whole ``X-Forwarded-For`` header when ``NUM_PROXIES`` is
unset, so a client that changes the header is a new client on every request.
"""

from rest_framework.throttling import AnonRateThrottle, ScopedRateThrottle, UserRateThrottle

from core.client_address import client_address


class ClientAddressMixin:
    def get_ident(self, request):
        return client_address(request)


class AnonymousThrottle(ClientAddressMixin, AnonRateThrottle):
    """Anonymous clients, by address (rate ``anon``)."""


class MemberThrottle(ClientAddressMixin, UserRateThrottle):
    """Signed-in clients by account, anonymous ones by address (rate ``user``)."""


class ScopedThrottle(ClientAddressMixin, ScopedRateThrottle):
    """A view's own ``throttle_scope``, by account or address."""
