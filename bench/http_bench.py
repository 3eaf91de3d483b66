"""HTTP: requests/s and p50/p99 latency of the site's pages and lists against ceilings.

    python -m bench.http_bench [--seconds 5] [--runs 3] [--organisations 10000]

Each endpoint is measured beside two ceilings served by the same processes: a bare JSON
view and a one-query view. Both production servings are measured (gunicorn sync workers
for WSGI, uvicorn workers with psycopg's pool for ASGI), so the README can route HTTP to
whichever is faster. wrk runs in its own process (-t2 -c32), medians of ``--runs``.
"""

import argparse
import json
import sys
import urllib.request

from bench.common import (
    generate_organisations,
    gunicorn,
    median_of,
    prepared_env,
    print_table,
    uvicorn,
    write_results,
    wrk,
)

CEILINGS = {"bare JSON": "/bench/ceiling/json", "one query": "/bench/ceiling/query"}


def news_page_path(base_url: str) -> str | None:
    url = f"{base_url}/api/v2/pages/?type=club.NewsPage&limit=1"
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            items = json.load(response)["items"]
    except (OSError, ValueError, KeyError):
        return None
    if not items:
        return None
    html_url = items[0]["meta"].get("html_url") or ""
    return "/" + html_url.split("/", 3)[-1] if html_url else None


def reachable(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status == 200
    except OSError:
        return False


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--organisations", type=int, default=10_000)
    args = parser.parse_args(argv)

    env = prepared_env(seed=True, static=True)
    generate_organisations(args.organisations, env)

    results = {"organisations": args.organisations, "servings": {}}
    rows = []
    for port, make in ((8101, gunicorn), (8102, uvicorn)):
        with make(port, env) as server:
            endpoints = dict(CEILINGS)
            endpoints["home page"] = "/"
            news = news_page_path(server.base_url)
            if news:
                endpoints["news page"] = news
            endpoints["/api/v2/pages/?type=news"] = "/api/v2/pages/?type=club.NewsPage"
            endpoints["/api/organisations/"] = "/api/organisations/"
            endpoints["/api/events/"] = "/api/events/"
            measured = {}
            for label, path in endpoints.items():
                url = server.base_url + path
                if not reachable(url):
                    measured[label] = {"path": path, "missing": True}
                    continue
                wrk(url, seconds=1)  # warm-up: caches, connections, JIT-free but lazy imports
                runs = [wrk(url, seconds=args.seconds) for _ in range(args.runs)]
                measured[label] = {"path": path, **median_of(runs)}
            ceiling = measured["one query"].get("rps") or float("nan")
            for label, figures in measured.items():
                if figures.get("missing"):
                    rows.append([server.name, label, "—", "—", "—", "not served"])
                    continue
                figures["of_one_query_ceiling"] = figures["rps"] / ceiling
                rows.append(
                    [
                        server.name,
                        label,
                        figures["rps"],
                        figures["p50_ms"],
                        figures["p99_ms"],
                        f"{figures['of_one_query_ceiling']:.0%}",
                    ]
                )
            results["servings"][server.name] = measured
    print_table(
        f"HTTP, wrk -t2 -c32, median of {args.runs} x {args.seconds}s, "
        f"{args.organisations:,} organisations",
        ["serving", "endpoint", "req/s", "p50 ms", "p99 ms", "of one-query ceiling"],
        rows,
    )
    write_results("http", results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
