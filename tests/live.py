"""A live copy of the site in its own processes, for fuzzing, fault and browser tests.

It runs the production configuration (DEBUG off, the ASGI server, the test run's own
PostgreSQL and Redis when they are configured) against a database of its own that it
migrates and fills with the demo content, so its state is independent of the test
transactions. E-mail goes to files that tests read.
"""

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from tests.process import ROOT


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _is_postgres(url: str) -> bool:
    return url.startswith(("postgres://", "postgresql://"))


def _recreate_postgres_database(url: str, *, template: str | None = None) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        suffix = f' TEMPLATE "{template}"' if template else ""
        connection.execute(f'CREATE DATABASE "{name}"{suffix}')


def _next_to_test_database(url: str, suffix: str) -> str:
    """A database name after the test run's, one per pytest-xdist worker ("gw0", ...)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker:
        suffix = f"_{worker}{suffix}"
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=parts.path + suffix))


def live_database_url(workdir: Path) -> str:
    """A database of the live site's own, next to the test run's database."""
    configured = os.environ.get("DATABASE_URL", "")
    if _is_postgres(configured):
        return _next_to_test_database(configured, "_live")
    return f"sqlite:///{workdir / 'live.sqlite3'}"


class _DemoDatabase:
    """The migrated database with the demo content, made once per test run and copied for
    every live site: migrating and seeding takes the better part of a minute, a copy a
    second or two (a PostgreSQL template, a dump into a private cluster, or a file)."""

    url: str | None = None

    @classmethod
    def copy_to(cls, target_url: str, *, build) -> None:
        if cls.url is None:
            cls.url = cls._build(build=build)
        if _is_postgres(target_url) and _is_postgres(cls.url):
            template = urlsplit(cls.url)
            target = urlsplit(target_url)
            if template.netloc == target.netloc:
                _recreate_postgres_database(target_url, template=template.path.lstrip("/"))
            else:  # another cluster (a fault test's private one): dump and restore
                dump = subprocess.run(
                    ["pg_dump", "--no-owner", "--no-privileges", cls._libpq(cls.url)],
                    capture_output=True,
                    check=True,
                )
                subprocess.run(
                    ["psql", "-q", "-v", "ON_ERROR_STOP=1", cls._libpq(target_url)],
                    input=dump.stdout,
                    capture_output=True,
                    check=True,
                )
        elif not _is_postgres(target_url) and not _is_postgres(cls.url):
            shutil.copyfile(cls._sqlite_path(cls.url), cls._sqlite_path(target_url))
        else:
            build(target_url)

    @classmethod
    def _build(cls, *, build) -> str:
        configured = os.environ.get("DATABASE_URL", "")
        if _is_postgres(configured):
            url = _next_to_test_database(configured, "_live_template")
            _recreate_postgres_database(url)
        else:
            folder = Path(tempfile.mkdtemp(prefix="club-live-template-"))
            url = f"sqlite:///{folder / 'template.sqlite3'}"
        build(url)
        return url

    @staticmethod
    def _libpq(url: str) -> str:
        return url.replace("postgres://", "postgresql://", 1)

    @staticmethod
    def _sqlite_path(url: str) -> str:
        return url.removeprefix("sqlite:///")


@dataclass
class LiveSite:
    """The site served by daphne (HTTP and WebSockets) on a free loopback port."""

    workdir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="club-live-")))
    port: int = field(default_factory=free_port)
    extra_env: dict = field(default_factory=dict)
    process: subprocess.Popen | None = None
    env: dict = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def mail_dir(self) -> Path:
        return self.workdir / "mail"

    def prepare(self) -> "LiveSite":
        self.mail_dir.mkdir(parents=True, exist_ok=True)
        self.env = {
            **os.environ,
            "DATABASE_URL": self.extra_env.get("DATABASE_URL") or live_database_url(self.workdir),
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "CSRF_TRUSTED_ORIGINS": f"http://127.0.0.1:{self.port},http://localhost:{self.port}",
            "SITE_URL": self.url,
            # Plain HTTP on loopback: no TLS redirect, cookies without the Secure flag.
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_COOKIES": "false",
            "STATIC_FROM_FINDERS": "true",
            "MEDIA_ROOT": str(self.workdir / "media"),
            "EMAIL_URL": f"file://{self.mail_dir}",
            "CHANNEL_LAYER_PREFIX": f"live{self.port}",
            "CACHE_KEY_PREFIX": f"live{self.port}",
            "LOG_LEVEL": "WARNING",
            **self.extra_env,
        }
        _DemoDatabase.copy_to(self.env["DATABASE_URL"], build=self._migrate_and_seed)
        return self

    def _migrate_and_seed(self, database_url: str) -> None:
        own_database = database_url == self.env["DATABASE_URL"] and not self.extra_env.get(
            "DATABASE_URL"
        )
        if _is_postgres(database_url) and own_database:
            _recreate_postgres_database(database_url)
        self.manage("migrate", "--noinput", database_url=database_url)
        self.manage("seed_demo", database_url=database_url)

    def manage(
        self, *args: str, input_text: str | None = None, database_url: str | None = None
    ) -> str:
        """Run a management command of the live site (on ``database_url`` if given)."""
        env = {**self.env, "DATABASE_URL": database_url} if database_url else self.env
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            input=input_text,
            timeout=600,
        )
        if result.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
        return result.stdout

    def shell(self, code: str) -> str:
        """Run Python in the live site's Django (to create accounts, tokens, ...)."""
        return self.manage("shell", "--no-imports", "-c", code).strip()

    def server_command(self) -> list[str]:
        """The server that start() runs: daphne for HTTP and WebSockets together."""
        return [
            sys.executable,
            "-m",
            "daphne",
            "-b",
            "127.0.0.1",
            "-p",
            str(self.port),
            "config.asgi:application",
        ]

    def start(self, timeout: float = 60) -> "LiveSite":
        self.process = subprocess.Popen(
            self.server_command(),
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=open(self.workdir / "server.log", "ab"),  # noqa: SIM115 - lives with the process
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the live site exited:\n{self.server_log()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as response:
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.25)
        self.stop()
        raise RuntimeError(f"the live site did not answer:\n{self.server_log()[-3000:]}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def server_log(self) -> str:
        path = self.workdir / "server.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def api_token(self, username: str = "fuzzer") -> str:
        """An account on the live site, signed in through the API token endpoint."""
        return self.shell(
            "from django.contrib.auth import get_user_model;"
            "from rest_framework.authtoken.models import Token;"
            f"user, _ = get_user_model().objects.get_or_create(username={username!r},"
            f" defaults={{'email': '{username}@example.org'}});"
            "print(Token.objects.get_or_create(user=user)[0].key)"
        )


class PrivatePostgres:
    """A PostgreSQL cluster of the test's own on a free port, which it may stop and restart
    without disturbing the server that the rest of the suite uses."""

    def __init__(self):
        clusters = subprocess.run(
            ["pg_lsclusters", "--no-header"], capture_output=True, text=True, check=True
        ).stdout.split()
        self.version = clusters[0]
        self.port = free_port()
        self.name = f"fault{self.port}"

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/club"

    def _ctl(self, action: str, *extra: str) -> None:
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", self.version, self.name, action, *extra],
            check=True,
            capture_output=True,
        )

    def create(self) -> "PrivatePostgres":
        subprocess.run(
            [
                "pg_createcluster",
                self.version,
                self.name,
                "-p",
                str(self.port),
                "--",
                "--auth-local=trust",
                "--auth-host=trust",
            ],
            check=True,
            capture_output=True,
        )
        self._ctl("start")
        subprocess.run(
            ["createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "club"],
            check=True,
        )
        return self

    def stop(self) -> None:
        self._ctl("stop", "-m", "fast")

    def start(self) -> None:
        self._ctl("start")

    def destroy(self) -> None:
        subprocess.run(["pg_dropcluster", "--stop", self.version, self.name], capture_output=True)


@dataclass
class LiveSocketServer(LiveSite):
    """The site under its production socket server, ``python -m config.ws_server`` (uvicorn
    with the README's flags), instead of daphne."""

    workers: int = 2

    def server_command(self) -> list[str]:
        return [
            sys.executable,
            "-m",
            "config.ws_server",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--workers",
            str(self.workers),
        ]

    def public_thread_id(self) -> int:
        """A thread of the demo content that anyone may read."""
        return int(
            self.shell(
                "from forum.models import Thread;"
                "print(Thread.objects.filter(category__visibility='public')"
                ".order_by('pk').values_list('pk', flat=True).first())"
            )
        )

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"
