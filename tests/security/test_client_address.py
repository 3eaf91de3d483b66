"""The client address that every limit keys on: the socket's peer unless trusted proxies
say otherwise, and never the part of X-Forwarded-For that a client wrote itself."""

import pytest
from django.test import RequestFactory

from security.client_address import client_address, client_address_of_scope


def request_from(peer, forwarded_for=None):
    extra = {"REMOTE_ADDR": peer}
    if forwarded_for is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_address(request_from("192.0.2.10", "198.51.100.1")) == "192.0.2.10"


@pytest.mark.parametrize(
    ("count", "header", "expected"),
    [
        (1, "203.0.113.5", "203.0.113.5"),
        # a client that sends its own header: only the entry the proxy appended counts
        (1, "198.51.100.99, 203.0.113.5", "203.0.113.5"),
        (2, "198.51.100.99, 203.0.113.5, 10.0.0.2", "203.0.113.5"),
        # fewer entries than proxies: the leftmost, which a trusted proxy wrote
        (2, "203.0.113.5", "203.0.113.5"),
        (1, "[2001:db8::1]", "2001:db8::1"),
        (1, "203.0.113.5:4711", "203.0.113.5"),
        # garbage where an address should be: the socket's peer
        (1, "not-an-address", "192.0.2.10"),
        (1, "", "192.0.2.10"),
    ],
)
def test_trusted_proxies_name_the_entry_that_counts(settings, count, header, expected):
    settings.TRUSTED_PROXY_COUNT = count
    assert client_address(request_from("192.0.2.10", header)) == expected


def test_a_websocket_scope_follows_the_same_rule(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    scope = {
        "client": ("192.0.2.10", 5000),
        "headers": [(b"x-forwarded-for", b"198.51.100.99, 203.0.113.5")],
    }
    assert client_address_of_scope(scope) == "203.0.113.5"
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_address_of_scope(scope) == "192.0.2.10"
    assert client_address_of_scope({"headers": []}) == "unknown"
