"""Memory: resident memory of the servers idle, under HTTP load, and with idle sockets.

    python -m bench.memory_bench [--sockets 1000] [--seconds 5]

Resident memory (RSS, the whole process tree: master and workers) of gunicorn (2 sync
workers) and uvicorn (2 workers): after start-up, right after a wrk run over the site's
pages and lists, and, for uvicorn, with ``--sockets`` idle WebSocket readers of a forum
thread connected (bench.ws_clients, a separate process). Memory per connection is the
growth divided by the number of sockets.
"""

import argparse
import sys
import time

from bench.common import (
    gunicorn,
    prepared_env,
    print_table,
    raise_file_limit,
    setup_django,
    uvicorn,
    write_results,
    wrk,
)

PATHS = ["/", "/api/organisations/", "/api/events/", "/api/v2/pages/"]


def load(server, seconds: int) -> None:
    for path in PATHS:
        wrk(server.base_url + path, seconds=seconds)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sockets", type=int, default=1000)
    parser.add_argument("--seconds", type=int, default=5)
    args = parser.parse_args(argv)
    raise_file_limit()
    env = prepared_env(seed=True, static=True)
    setup_django(env)
    from bench.live_bench import Clients, prepare

    thread = prepare()["thread"]
    results, rows = {}, []
    for port, make in ((8131, gunicorn), (8132, uvicorn)):
        with make(port, env) as server:
            time.sleep(2)
            figures = {"idle_mb": server.rss_mb()}
            load(server, args.seconds)
            figures["after_http_load_mb"] = server.rss_mb()
            if make is uvicorn:
                clients = Clients(
                    f"ws://127.0.0.1:{port}/ws/forum/threads/{thread}/",
                    args.sockets,
                    f"http://127.0.0.1:{port}",
                )
                try:
                    clients.ask("quiet 2")
                    figures["sockets"] = clients.connected
                    figures["with_sockets_mb"] = server.rss_mb()
                finally:
                    clients.close()
                grown = figures["with_sockets_mb"] - figures["after_http_load_mb"]
                figures["kb_per_socket"] = grown * 1024 / max(1, clients.connected)
            results[server.name] = figures
            rows.append(
                [
                    server.name,
                    figures["idle_mb"],
                    figures["after_http_load_mb"],
                    figures.get("sockets", "—"),
                    figures.get("with_sockets_mb", "—"),
                    figures.get("kb_per_socket", "—"),
                ]
            )
    print_table(
        "Memory: RSS of the process tree (master + 2 workers), MiB",
        ["serving", "idle", "after HTTP load", "sockets", "with sockets", "KiB per socket"],
        rows,
    )
    write_results("memory", results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
