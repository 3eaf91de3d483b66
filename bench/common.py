"""What every benchmark shares: a production-like environment, servers, wrk, results.

Benchmarks are not tests: they print figures and exit 0. Every figure that matters is a
ratio against a ceiling measured in the same run on the same machine, because these
machines are small and noisy.
"""

import json
import os
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
PYTHON = sys.executable


def bench_env(**overrides) -> dict:
    """The production configuration of the README, on this machine's PostgreSQL and Redis."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=os.environ.get(
            "BENCH_DATABASE_URL", "postgres://root@127.0.0.1:5432/club_bench"
        ),
        REDIS_URL=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9"),
        DEBUG="false",
        SECRET_KEY=env.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SITE_URL="http://127.0.0.1:8000",
        # Plain HTTP on loopback: no TLS redirect, as behind a proxy that terminates TLS.
        SECURE_SSL_REDIRECT="false",
        BENCH_CEILINGS="true",
        LOG_LEVEL="WARNING",
        CHANNEL_LAYER_PREFIX="bench",
        CACHE_KEY_PREFIX="bench",
        # The crowds of bench.ws_clients all come from one loopback address.
        WS_MAX_SOCKETS_PER_CLIENT="100000",
        # wrk's thousands of requests a second come from one address and one member too:
        # the throttles still count every request (their cost is measured) but never refuse.
        API_THROTTLE_ANON="100000000/min",
        API_THROTTLE_USER="100000000/min",
    )
    env.pop("ELASTICSEARCH_URL", None)
    env.update(overrides)
    return env


def manage(*args, env: dict, quiet: bool = True) -> None:
    subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL if quiet else None,
    )


def ensure_database(url: str) -> None:
    """Create the benchmark database if it does not exist yet."""
    name = url.rsplit("/", 1)[-1]
    user = re.match(r"postgres(?:ql)?://([^@:]+)", url)
    args = ["-h", "127.0.0.1", "-U", user.group(1) if user else "postgres"]
    exists = subprocess.run(
        [
            "psql",
            *args,
            "-d",
            "postgres",
            "-tAc",
            f"select 1 from pg_database where datname='{name}'",
        ],
        capture_output=True,
        text=True,
    ).stdout.strip()
    if exists != "1":
        subprocess.run(["createdb", *args, name], check=True)


def prepared_env(*, seed: bool = False, static: bool = False) -> dict:
    """The production environment of ``bench_env``, its database created and migrated;
    ``seed`` loads the demo content, ``static`` collects the static files."""
    env = bench_env()
    ensure_database(env["DATABASE_URL"])
    manage("migrate", "--noinput", env=env)
    if seed:
        manage("seed_demo", env=env)
    if static:
        manage("collectstatic", "--noinput", env=env)
    return env


def generate_organisations(count: int, env: dict, **others: int) -> None:
    """At least ``count`` generated organisations in the database (bench.datagen), and of
    the ``others`` (members, threads, posts, events) as many as asked."""
    extra = [arg for name, n in others.items() if n for arg in (f"--{name}", str(n))]
    subprocess.run(
        [PYTHON, "-m", "bench.datagen", "--organisations", str(count), *extra],
        cwd=ROOT,
        env=env,
        check=True,
    )


@dataclass
class Server:
    """A server process tree (gunicorn or uvicorn with its workers) on a loopback port."""

    name: str
    argv: list[str]
    port: int
    env: dict
    process: subprocess.Popen | None = field(default=None, repr=False)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60) -> "Server":
        # A file, not a pipe: a pipe nobody reads fills up and then blocks the server on
        # its next log line.
        RESULTS.mkdir(parents=True, exist_ok=True)
        self.log_path = RESULTS / f"server-{self.port}.log"
        self.log = self.log_path.open("w")
        self.process = subprocess.Popen(
            self.argv,
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=self.log,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited: {self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.base_url}/healthz", timeout=2) as response:
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"{self.name} did not answer on port {self.port}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)

    def log_tail(self, chars: int = 2000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return ""

    def rss_mb(self) -> float:
        """Resident memory of the whole process tree, in MiB."""
        return process_tree_rss_mb(self.process.pid) if self.process else 0.0

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def gunicorn(port: int, env: dict, workers: int = 2) -> Server:
    return Server(
        f"gunicorn {workers} sync workers (WSGI)",
        [
            PYTHON,
            "-m",
            "gunicorn",
            "config.wsgi",
            "-w",
            str(workers),
            "-b",
            f"127.0.0.1:{port}",
            "--access-logfile",
            "/dev/null",
        ],
        port,
        {**env, "DATABASE_CONN_MAX_AGE": "60"},
    )


def uvicorn(port: int, env: dict, workers: int = 2) -> Server:
    return Server(
        f"uvicorn {workers} workers (ASGI), psycopg pool",
        [
            PYTHON,
            "-m",
            "uvicorn",
            "config.asgi:application",
            "--workers",
            str(workers),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-access-log",
            "--log-level",
            "warning",
        ],
        port,
        {**env, "DATABASE_POOL": "true"},
    )


def process_tree_rss_mb(pid: int) -> float:
    pids = [pid]
    try:
        children = subprocess.run(
            ["pgrep", "-P", str(pid)], capture_output=True, text=True
        ).stdout.split()
        pids += [int(child) for child in children]
    except OSError:
        pass
    total_kb = 0
    for each in pids:
        try:
            for line in Path(f"/proc/{each}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total_kb += int(line.split()[1])
        except OSError:
            continue
    return total_kb / 1024


_DURATION = re.compile(r"([\d.]+)(us|ms|s)\b")


def _to_ms(text: str) -> float:
    value, unit = _DURATION.match(text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def require_wrk() -> str:
    path = shutil.which("wrk")
    if not path:
        sys.exit("bench: wrk is missing (apt-get install wrk); `make bench` installs it")
    return path


def wrk(
    url: str,
    *,
    seconds: int = 5,
    threads: int = 2,
    connections: int = 32,
    headers: dict | None = None,
) -> dict:
    """One wrk run: requests/s, p50 and p99 latency (ms), and non-2xx/3xx answers."""
    header_args = [arg for k, v in (headers or {}).items() for arg in ("-H", f"{k}: {v}")]
    output = subprocess.run(
        [
            require_wrk(),
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            *header_args,
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = _to_ms(re.search(r"\s50%\s+(\S+)", output).group(1))
    p99 = _to_ms(re.search(r"\s99%\s+(\S+)", output).group(1))
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    return {
        "rps": rps,
        "p50_ms": p50,
        "p99_ms": p99,
        "errors": int(errors.group(1)) if errors else 0,
    }


def median_of(runs: list[dict]) -> dict:
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


def print_table(title: str, columns: list[str], rows: list[list]) -> None:
    cells = [[_fmt(value) for value in row] for row in rows]
    widths = [max(len(str(c)), *(len(r[i]) for r in cells)) for i, c in enumerate(columns)]
    print(f"\n{title}")
    print("  ".join(str(c).ljust(w) for c, w in zip(columns, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for row in cells:
        print("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)))


def _fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}" if value < 100 else f"{value:,.0f}"
    return str(value)


def write_results(name: str, data: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = RESULTS / f"{name}-{stamp}.json"
    path.write_text(json.dumps({"benchmark": name, "at": stamp, **data}, indent=2, default=str))
    print(f"\nresults written to {path.relative_to(ROOT)}")
    return path


def setup_django(env: dict) -> None:
    """Configure Django in this process with ``env`` (the servers' settings): for the
    benchmarks' own setup (users, events, threads) and for channel-layer floors."""
    import django

    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()


def raise_file_limit() -> int:
    """Raise this process's open-file limit to its hard limit (children inherit it)."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


async def http_request(
    port: int, method: str, path: str, *, headers: dict | None = None, body: bytes = b""
) -> tuple[int, bytes]:
    """One HTTP/1.1 request on its own connection: (status, body). Small and dependency-free
    so that hundreds can run at once from one asyncio loop."""
    import asyncio

    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    head = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", "Connection: close"]
    head += [f"{k}: {v}" for k, v in (headers or {}).items()]
    head.append(f"Content-Length: {len(body)}")
    writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
    await writer.drain()
    data = await reader.read()
    writer.close()
    status_line, _, rest = data.partition(b"\r\n")
    _, _, payload = rest.partition(b"\r\n\r\n")
    return int(status_line.split()[1]), payload


def summary_ms(values: list[float]) -> dict:
    """p50, p95 and max of a list of milliseconds."""
    return {
        "p50_ms": percentile(values, 50),
        "p95_ms": percentile(values, 95),
        "max_ms": max(values) if values else float("nan"),
    }
