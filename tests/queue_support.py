"""What the tests of the real task worker need in the worker's own process: a mail backend
that fails N times before it delivers, a task that hangs on its first run, and the
command line of a worker on the test database."""

import os
import smtplib
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django_tasks import task

from tests.process import ROOT

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


class FlakyEmailBackend(BaseEmailBackend):
    """Fails ``FLAKY_MAIL_FAILURES`` times (counted in ``FLAKY_MAIL_DIR/failures``), then
    writes each message to a file of its own in ``FLAKY_MAIL_DIR``."""

    def send_messages(self, email_messages):
        folder = Path(os.environ["FLAKY_MAIL_DIR"])
        counter = folder / "failures"
        failed = int(counter.read_text()) if counter.exists() else 0
        if failed < int(os.environ.get("FLAKY_MAIL_FAILURES", "0")):
            counter.write_text(str(failed + 1))
            raise smtplib.SMTPServerDisconnected(f"mail server down (failure {failed + 1})")
        for message in email_messages:
            (folder / f"sent-{uuid.uuid4().hex}.eml").write_bytes(message.message().as_bytes())
        return len(email_messages)


def sent_mail(folder: Path) -> list[str]:
    return [path.read_text() for path in sorted(folder.glob("sent-*.eml"))]


@task()
def hang_once(*, marker: str) -> int:
    """Appends a line to ``marker`` on each run; the first run then hangs (to be killed)."""
    path = Path(marker)
    with path.open("a") as file:
        file.write(f"{os.getpid()}\n")
    runs = len(path.read_text().splitlines())
    if runs == 1:
        time.sleep(120)
    return runs


def database_url_of_test_run() -> str:
    """The URL of the database this test run uses (pytest-django's test database)."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + settings.DATABASES["default"]["NAME"]))


def start_worker(*args: str, log: Path, **env: str) -> subprocess.Popen:
    """``manage.py run_worker`` on the test database, with the flaky mail backend."""
    full_env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.worker_settings",
        "DATABASE_URL": database_url_of_test_run(),
        "TASKS_HEARTBEAT_SECONDS": "1",
        "TASKS_WORKER_TIMEOUT": "3",
        "TASKS_RETRY_DELAY": "1",
        "TASKS_RETRY_MAX_DELAY": "2",
        "LOG_LEVEL": "INFO",
        **env,
    }
    return subprocess.Popen(
        [sys.executable, "manage.py", "run_worker", "--interval", "0.2", *args],
        cwd=ROOT,
        env=full_env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_for(condition, *, timeout: float = 60, what: str = "the condition", log: Path = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    detail = log.read_text()[-3000:] if log and log.exists() else ""
    raise AssertionError(f"timed out waiting for {what}\n{detail}")


@task()
def always_fails() -> None:
    raise ConnectionRefusedError("mail server down")
