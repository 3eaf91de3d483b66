"""The production socket server (config/ws_server.py), started for real as the README says.

Frames over FORUM_WS_MAX_FRAME are refused by uvicorn itself, from the frame's header,
before its payload is read: the site never sees them, and no process holds them.
"""

import json
import os
import re
import shlex
import struct
import time
from contextlib import ExitStack

import pytest
from django.conf import settings
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from config import ws_server
from tests.live import LiveSocketServer
from tests.process import ROOT

TOO_BIG = 1009


@pytest.fixture(scope="module")
def server():
    site = LiveSocketServer().prepare()
    site.start()
    site.thread = site.public_thread_id()
    yield site
    site.stop()


def open_thread(server, **options):
    return connect(
        f"{server.ws_url}/ws/forum/threads/{server.thread}/",
        origin=f"http://127.0.0.1:{server.port}",
        open_timeout=10,
        **options,
    )


def wait_for_close(connection, *, timeout: float = 5.0) -> ConnectionClosed:
    """The socket's closing, skipping what the site sent before it."""
    deadline = time.monotonic() + timeout
    while (remaining := deadline - time.monotonic()) > 0:
        try:
            connection.recv(timeout=remaining)
        except ConnectionClosed as closed:
            return closed
        except TimeoutError:
            break
    raise AssertionError(f"the socket was still open after {timeout} seconds")


def test_the_readme_deploys_the_sockets_with_the_command_the_launcher_runs():
    readme = (ROOT / "README.md").read_text().replace("\\\n", " ")
    lines = [line for line in readme.splitlines() if "uvicorn config.asgi:application" in line]
    assert lines, "README.md gives no uvicorn command for /ws/"
    documented = shlex.split(lines[0].split("uvicorn", 1)[1].split("#")[0])
    assert documented == ws_server.uvicorn_arguments(host="127.0.0.1", port=8002, workers=2)
    assert f"--ws-max-size {settings.FORUM_WS_MAX_FRAME}" in lines[0]


def test_a_frame_within_the_limit_reaches_the_site(server):
    ping = {"type": "ping", "pad": ""}
    ping["pad"] = "x" * (settings.FORUM_WS_MAX_FRAME - len(json.dumps(ping)))
    assert len(json.dumps(ping).encode()) == settings.FORUM_WS_MAX_FRAME
    with open_thread(server) as connection:
        connection.send(json.dumps(ping))
        deadline = time.monotonic() + 10
        while json.loads(connection.recv(timeout=deadline - time.monotonic()))["type"] != "pong":
            pass


def test_a_frame_announced_over_the_limit_is_refused_before_its_payload_arrives(server):
    """Only the header and a kilobyte of a 64 MiB frame are sent: a server that buffered
    frames would wait for the rest; this one closes at once with 1009."""
    with open_thread(server) as connection:
        header = struct.pack("!BBQ", 0x81, 0x80 | 127, 64 * 2**20) + os.urandom(4)
        connection.socket.sendall(header + b"x" * 1024)
        closed = wait_for_close(connection)
    assert closed.rcvd is not None
    assert closed.rcvd.code == TOO_BIG
    # The server's own words: the site's check would close without a reason.
    assert str(settings.FORUM_WS_MAX_FRAME) in closed.rcvd.reason


def test_a_whole_frame_one_byte_over_the_limit_is_refused_by_the_server(server):
    with open_thread(server) as connection:
        connection.send("x" * (settings.FORUM_WS_MAX_FRAME + 1))
        closed = wait_for_close(connection)
    assert closed.rcvd.code == TOO_BIG
    assert re.search(rf"\b{settings.FORUM_WS_MAX_FRAME}\b", closed.rcvd.reason)
    with open_thread(server) as connection:
        connection.send(json.dumps({"type": "ping"}))
        while json.loads(connection.recv(timeout=10))["type"] != "pong":
            pass


@pytest.mark.redis
def test_the_server_sees_the_socket_peer_not_a_forwarded_for_header(server):
    """With --no-proxy-headers the peer stays the peer; only TRUSTED_PROXY_COUNT may make
    the site read X-Forwarded-For (security.client_address). Past the per-address limit, counted
    in Redis across the server's two worker processes, a forged header opens no more
    sockets."""
    limit = settings.WS_MAX_SOCKETS_PER_CLIENT
    with ExitStack() as opened:
        for n in range(limit):
            opened.enter_context(
                open_thread(server, additional_headers={"X-Forwarded-For": f"192.0.2.{n + 1}"})
            )
        extra = opened.enter_context(
            open_thread(server, additional_headers={"X-Forwarded-For": "192.0.2.200"})
        )
        closed = wait_for_close(extra)
    assert closed.rcvd.code == 4429
