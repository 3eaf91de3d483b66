"""The production server of ``/ws/``: uvicorn, with the frame limit taken from the settings.

    python -m config.ws_server [--host 127.0.0.1] [--port 8002] [--workers 2]

replaces itself with (README, "Deployment")::

    uvicorn config.asgi:application --host 127.0.0.1 --port 8002 --workers 2 \\
        --ws websockets-sansio --ws-max-size 32768 --no-proxy-headers

Why these flags:

- ``--ws websockets-sansio --ws-max-size``: the server reads a frame's length from its
  header and closes the socket with 1009 before reading the payload when it is over
  FORUM_WS_MAX_FRAME, so a client cannot make a process hold megabytes per socket. Daphne
  has no such setting: it buffers a frame of any size before the consumer sees it.
- ``--no-proxy-headers``: uvicorn would otherwise take the client address from
  X-Forwarded-For for connections from 127.0.0.1, whatever TRUSTED_PROXY_COUNT says; the
  site's one rule for addresses (security.client_address) reads that header itself.
"""

import argparse
import os
import sys

APPLICATION = "config.asgi:application"


def uvicorn_arguments(*, host: str, port: int, workers: int) -> list[str]:
    """uvicorn's command-line arguments for serving the site's sockets."""
    from django.conf import settings

    return [
        APPLICATION,
        "--host",
        host,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--ws",
        "websockets-sansio",
        "--ws-max-size",
        str(settings.FORUM_WS_MAX_FRAME),
        "--no-proxy-headers",
    ]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m config.ws_server", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8002)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    arguments = uvicorn_arguments(host=args.host, port=args.port, workers=args.workers)
    # The same interpreter, so the same virtual environment, without a shell in between.
    os.execv(sys.executable, [sys.executable, "-m", "uvicorn", *arguments])  # noqa: S606


if __name__ == "__main__":
    main()
