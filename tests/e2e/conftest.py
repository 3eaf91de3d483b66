"""Browser journeys: the site served for real (daphne: HTTP and WebSockets) and driven by
Debian's Chromium through Playwright.

The server is a separate process, so it must share the test database: these tests need
PostgreSQL (mark them ``postgres`` and ``browser``) and ``django_db(transaction=True)`` so
that what a test writes is committed and visible to the server.

Fixtures for any journey:

- ``live_server_url``: "http://127.0.0.1:<port>" of a daphne serving ``config.asgi``
  (and /static/, see tests/e2e/asgi.py)
  against the test database (one per test session; its log is test-results/live-server.log);
- ``sent_mail_dir``: the folder where the live server writes every e-mail it sends
  (``EMAIL_URL=file://...``), one ``.log`` file per connection;
- ``wagtail_site``: the default Wagtail site with a home page (a transactional test starts
  from an empty database, and the site frame needs a site);
- ``browser``: a headless Chromium;
- ``open_page(user=None, path=None)``: a page in a fresh browser context (its own cookies),
  signed in as ``user`` when given, opened at ``path`` when given. When the test fails,
  every page it opened is saved as a screenshot under test-results/.
"""

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings

from tests.live import free_port

RESULTS_DIR = Path(settings.BASE_DIR) / "test-results"
SERVER_START_TIMEOUT = 90
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, for the screenshot-on-failure fixture."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def _database_url(db: dict) -> str:
    user = quote(db.get("USER") or "")
    password = f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    credentials = f"{user}{password}@" if user else ""
    host = db.get("HOST") or "127.0.0.1"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{credentials}{host}{port}/{db['NAME']}"


def _wait_until_up(url: str, process: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the live server exited; see {log_path}:\n{log_path.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as answer:  # noqa: S310
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"the live server did not answer within {SERVER_START_TIMEOUT}s")


@pytest.fixture(scope="session")
def sent_mail_dir(tmp_path_factory) -> Path:
    """Where the live server's file e-mail backend writes (the server is another process)."""
    return tmp_path_factory.mktemp("sent-mail")


@pytest.fixture(scope="session")
def live_server_url(django_db_setup, sent_mail_dir):
    """A daphne process serving the whole site against the test database."""
    from django.db import connection

    db = connection.settings_dict
    if db["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("needs service: PostgreSQL (the live server shares the test database)")
    RESULTS_DIR.mkdir(exist_ok=True)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(db),
        # Development settings (static files from the finders, plain-HTTP cookies); the
        # server listens on the loopback interface only.
        "DEBUG": "true",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "PYTHONUNBUFFERED": "1",
        "EMAIL_URL": f"file://{sent_mail_dir}",
    }
    log_path = RESULTS_DIR / "live-server.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            [
                sys.executable,
                "-m",
                "daphne",
                "-b",
                "127.0.0.1",
                "-p",
                str(port),
                "tests.e2e.asgi:application",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_up(url, process, log_path)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def browser(monkeypatch):
    """Headless Debian Chromium (Playwright cannot download browsers on these machines)."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the test's own ORM calls
    # are still synchronous, so Django's async-safety check would refuse them.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()
            # While Playwright's loop runs, Django keeps this test's connections apart from
            # the test's own (per context); pytest-django closes only the latter.
            from django.db import connections

            connections.close_all()


@pytest.fixture
def wagtail_site(transactional_db):
    """The default Wagtail site, made when the database has none."""
    from wagtail.models import Locale, Page, Site

    site = Site.objects.filter(is_default_site=True).first()
    if site is not None:
        return site
    locale, _ = Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    root = Page.get_first_root_node() or Page.add_root(
        instance=Page(title="Root", slug="root", locale=locale)
    )
    home = root.add_child(instance=Page(title="Cluster Club", slug="home", locale=locale))
    return Site.objects.create(
        hostname="localhost",
        port=80,
        root_page=home,
        is_default_site=True,
        site_name="Cluster Club",
    )


def outside_the_browser_loop(function, /, *args, **kwargs):
    """``function(*args, **kwargs)`` run in a thread of its own, its result returned.

    Playwright's sync API keeps an asyncio loop in the test's thread, so a service that
    broadcasts (``async_to_sync``) must not run there: its broadcast would fail and the
    open pages would only catch up on their next reconnect.
    """
    from django.db import connection

    def call():
        try:
            return function(*args, **kwargs)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=1) as executor:
        return executor.submit(call).result()


def session_cookie_for(user) -> str:
    """The session key of a fresh sign-in of ``user``, stored in the shared database."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


@pytest.fixture
def open_page(request, browser, live_server_url, wagtail_site):
    """open_page(user=None, path=None) -> a Playwright page in its own browser context."""
    pages = []

    def open_(user=None, path=None):
        context = browser.new_context(base_url=live_server_url)
        context.set_default_timeout(10_000)
        if user is not None:
            context.add_cookies(
                [
                    {
                        "name": settings.SESSION_COOKIE_NAME,
                        "value": session_cookie_for(user),
                        "url": live_server_url,
                    }
                ]
            )
        page = context.new_page()
        pages.append(page)
        if path is not None:
            page.goto(path)
        return page

    yield open_

    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        RESULTS_DIR.mkdir(exist_ok=True)
        for number, page in enumerate(pages, start=1):
            target = RESULTS_DIR / f"{request.node.name}-page{number}.png"
            try:
                page.screenshot(path=str(target), full_page=True)
            except Exception as error:  # the page may already be gone
                print(f"no screenshot of page {number}: {error}")
    for page in pages:
        page.context.close()
