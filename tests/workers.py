"""Imported by tests/settings.py before the site's settings read the environment: when the
suite runs in several pytest-xdist workers, each gets a Redis database of its own.

Tests empty the cache before each test (``cache.clear()`` is FLUSHDB on Redis), so workers
sharing one Redis database would empty each other's cache and channel layer mid-test.
PostgreSQL needs nothing here: pytest-django names each worker's test database after the
worker, and tests.live does the same for the live sites' databases.
"""

import os
from urllib.parse import urlsplit, urlunsplit

REDIS_DATABASES = 16  # Redis's default number of databases


def worker_index() -> int | None:
    """0, 1, ... in an xdist worker ("gw0", "gw1", ...); None in a run without workers."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    return int(worker.removeprefix("gw")) if worker.startswith("gw") else None


def redis_url_for_worker(url: str, index: int) -> str:
    parts = urlsplit(url)
    base = int(parts.path.strip("/") or 0)
    database = base + index
    if database >= REDIS_DATABASES:
        raise SystemExit(
            f"REDIS_URL database {base} + worker {index} is past Redis's {REDIS_DATABASES}"
            " databases: run fewer workers or start from a lower database number."
        )
    return urlunsplit(parts._replace(path=f"/{database}"))


#: Set once the worker's database is chosen: the processes a test starts (live sites, commands)
#: inherit the environment, and must not move on by one database more.
CHOSEN = "CLUB_TEST_WORKER_REDIS_CHOSEN"

_index = worker_index()
if _index is not None and os.environ.get("REDIS_URL") and not os.environ.get(CHOSEN):
    os.environ["REDIS_URL"] = redis_url_for_worker(os.environ["REDIS_URL"], _index)
    os.environ[CHOSEN] = "1"
