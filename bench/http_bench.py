"""HTTP: requests/s and p50/p99 of every page type and list, anonymous and signed in.

    python -m bench.http_bench [--size demo|large] [--seconds 5] [--runs 3]
                               [--servings gunicorn,uvicorn] [--only LABEL,...]

Every page type of the site (bench.site_pages) is measured twice: anonymously (the page
cache may answer) and as a signed-in member with a session cookie (only the members'
shared copies of member-neutral pages and views may answer),
beside two ceilings served by the same processes in the same run: a bare JSON view and a
one-query view. Targets (issue "every page fast"): each page at least 25% of the one-query
ceiling at demo size and 10% on the large site; pages the cache answers at least 50%.
wrk runs in its own process (-t2 -c32), medians of ``--runs``.

Sizes: ``demo`` is the demo content with 10,000 generated organisations; ``large`` adds
100,000 organisations, 10,000 members, 5,000 threads with 100,000 posts and 500 events
(bench.datagen; generated once, then reused).
"""

import argparse
import sys
import urllib.error
import urllib.request

from bench.common import (
    generate_organisations,
    gunicorn,
    median_of,
    prepared_env,
    print_table,
    setup_django,
    uvicorn,
    write_results,
    wrk,
)

CEILINGS = {"bare JSON": "/bench/ceiling/json", "one query": "/bench/ceiling/query"}
SIZES = {
    "demo": {"organisations": 10_000},
    "large": {
        "organisations": 100_000,
        "members": 10_000,
        "threads": 5_000,
        "posts": 100_000,
        "events": 500,
    },
}
TARGETS = {"demo": 0.25, "large": 0.10}
CACHED_TARGET = 0.50
SERVINGS = {"gunicorn": (8101, gunicorn), "uvicorn": (8102, uvicorn)}


def member_session_cookie() -> str:
    """A session of a generated (or demo) member, as the servers read it: the header wrk
    sends so that every request is a signed-in member's."""
    from django.conf import settings
    from django.test import Client

    from bench.site_pages import benchmark_member

    client = Client()
    client.force_login(benchmark_member())
    name = settings.SESSION_COOKIE_NAME
    return f"{name}={client.cookies[name].value}"


def probe(url: str, headers: dict) -> tuple[int, bool]:
    """The status of one request and whether the page cache answered it."""
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers.get("X-Page-Cache") == "hit"
    except urllib.error.HTTPError as error:
        return error.code, False
    except OSError:
        return 0, False


def measure(url: str, headers: dict, args) -> dict:
    status, _ = probe(url, headers)
    if status != 200:
        return {"status": status}
    wrk(url, seconds=1, headers=headers)  # warm-up: caches, connections, lazy imports
    probe(url, headers)
    cached = probe(url, headers)[1]
    runs = [wrk(url, seconds=args.seconds, headers=headers) for _ in range(args.runs)]
    return {**median_of(runs), "cached": cached, "status": status}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="demo")
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--servings", default="gunicorn")
    parser.add_argument("--only", default="", help="comma-separated page labels")
    args = parser.parse_args(argv)
    servings = [name.strip() for name in args.servings.split(",") if name.strip()]
    unknown = [name for name in servings if name not in SERVINGS]
    if unknown or not servings:
        parser.error(f"--servings: choose among {', '.join(SERVINGS)}")

    env = prepared_env(seed=True, static=True)
    sizes = dict(SIZES[args.size])
    generate_organisations(sizes.pop("organisations"), env, **sizes)
    setup_django(env)
    from bench.search_bench import prepare
    from bench.site_pages import site_page_paths

    # Search entries up to date and the statistics fresh, as on a running site.
    prepare(SIZES[args.size]["organisations"], env)

    pages = site_page_paths()
    if args.only:
        wanted = {label.strip() for label in args.only.split(",")}
        pages = {label: path for label, path in pages.items() if label in wanted}
    cookie = {"Cookie": member_session_cookie()}
    target = TARGETS[args.size]

    results = {"size": args.size, "sizes": SIZES[args.size], "servings": {}}
    rows = []
    for name in servings:
        port, make = SERVINGS[name]
        with make(port, env) as server:
            ceilings = {
                label: measure(server.base_url + path, {}, args) for label, path in CEILINGS.items()
            }
            ceiling = ceilings["one query"].get("rps") or float("nan")
            for label, figures in ceilings.items():
                rows.append([name, label, "", figures.get("rps"), figures.get("p50_ms"), "", ""])
            measured = {}
            for label, path in pages.items():
                for who, headers in (("anonymous", {}), ("member", cookie)):
                    figures = measure(server.base_url + path, headers, args)
                    measured[f"{label} / {who}"] = {"path": path, **figures}
                    if figures["status"] != 200:
                        rows.append([name, label, who, "—", "—", f"HTTP {figures['status']}", ""])
                        continue
                    share = figures["rps"] / ceiling
                    wanted = CACHED_TARGET if figures["cached"] else target
                    figures.update(of_one_query_ceiling=share, target=wanted)
                    verdict = "met" if share >= wanted else "NOT MET"
                    cache = " (cache)" if figures["cached"] else ""
                    rows.append(
                        [
                            name,
                            label,
                            who + cache,
                            figures["rps"],
                            figures["p50_ms"],
                            f"{share:.0%}",
                            f"{wanted:.0%} {verdict}",
                        ]
                    )
            results["servings"][name] = {"ceilings": ceilings, "pages": measured}
    print_table(
        f"HTTP, wrk -t2 -c32, median of {args.runs} x {args.seconds}s, size {args.size} "
        f"({', '.join(f'{n:,} {k}' for k, n in SIZES[args.size].items())})",
        ["serving", "page", "who", "req/s", "p50 ms", "of one-query", "target"],
        rows,
    )
    write_results("http", results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
