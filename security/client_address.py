"""The client's address: one rule for every limit of the site.

DRF's throttles, allauth's sign-in and sign-up limits, the token endpoint and the
WebSocket limits all key on the address this module gives. It is the socket's peer unless
``TRUSTED_PROXY_COUNT`` (default 0) says that many reverse proxies stand in front of the
site; then it is the ``X-Forwarded-For`` entry the outermost trusted proxy wrote, counted
from the right. Entries further left are whatever the client chose to send, so they are
never read: a client that changes the header on every request is still one address.
"""

import ipaddress

from django.conf import settings


def address_from(peer: str | None, forwarded_for: str | None) -> str:
    """The client address given the socket's peer and the ``X-Forwarded-For`` header.

    With ``TRUSTED_PROXY_COUNT`` = n, each trusted proxy appended the address it was
    reached from, so the n-th entry from the right is the client as the outermost trusted
    proxy saw it. A header with fewer entries than that (a request that bypassed part of
    the chain) yields its leftmost entry, which the nearest trusted proxy still wrote.
    Anything that is not an IP address falls back to the peer.
    """
    trusted = settings.TRUSTED_PROXY_COUNT
    if trusted > 0 and forwarded_for:
        entries = [entry.strip() for entry in forwarded_for.split(",") if entry.strip()]
        if entries:
            candidate = _clean(entries[-min(trusted, len(entries))])
            if candidate:
                return candidate
    return _clean(peer) or "unknown"


def client_address(request) -> str:
    """The client address of an HTTP request (Django's or DRF's)."""
    return address_from(request.META.get("REMOTE_ADDR"), request.META.get("HTTP_X_FORWARDED_FOR"))


def client_address_of_scope(scope) -> str:
    """The client address of an ASGI connection (a WebSocket's scope)."""
    peer = (scope.get("client") or (None,))[0]
    forwarded_for = None
    for name, value in scope.get("headers") or ():
        if name == b"x-forwarded-for":
            forwarded_for = value.decode("latin-1")
    return address_from(peer, forwarded_for)


def _clean(raw: str | None) -> str | None:
    if not raw:
        return None
    raw = raw.strip()
    if raw.startswith("[") and "]" in raw:
        raw = raw[1 : raw.index("]")]
    elif raw.count(":") == 1:
        # "203.0.113.7:51234": an address with the proxy's idea of a port.
        raw = raw.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(raw))
    except ValueError:
        return None
