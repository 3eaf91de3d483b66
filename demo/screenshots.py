"""Screenshots of the demo site for the README (``make screenshots``).

Builds the demo on a fresh SQLite database in a temporary folder (migrate, seed_demo),
serves it with Django's development server on a free local port, and drives Debian's
Chromium through Playwright over the main pages at desktop width (1280 px) and phone
width (375 px). Each picture is the top of its page (one screen high), and partner search's
map on its own, reduced to 256 colours so the PNGs stay small; they are written to
docs/screenshots/.

    python -m demo.screenshots [--out docs/screenshots]
"""

import argparse
import io
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 760}}
START_TIMEOUT = 120


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("the demo server stopped; see its output above")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as answer:  # noqa: S310
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the demo server did not answer within {START_TIMEOUT}s")


def first_link(page, selector: str) -> str:
    return page.locator(selector).first.get_attribute("href")


def shots(page) -> list[tuple[str, str]]:
    """(name, path) of each page to picture, found by following the demo's own links."""
    page.goto("/forum/")
    thread = first_link(page, "main a[href*='/forum/threads/']")
    page.goto("/events/")
    event = first_link(page, "main .event-item h2 a")
    return [
        ("home", "/"),
        ("partner-search", "/partners/?q=cluster"),
        ("organisations", "/organisations/"),
        ("thread", thread),
        ("event", event),
    ]


def save_small(png: bytes, target: Path) -> None:
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(target, optimize=True)


def take(out: Path, url: str) -> None:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=shutil.which("chromium"),
            args=["--headless", "--no-sandbox", "--disable-gpu"],
        )
        try:
            for size_name, viewport in SIZES.items():
                context = browser.new_context(base_url=url, viewport=viewport)
                page = context.new_page()
                for name, path in shots(page):
                    page.goto(path)
                    page.wait_for_load_state("networkidle")
                    target = out / f"{name}-{size_name}.png"
                    save_small(page.screenshot(), target)
                    print(f"{target} ({target.stat().st_size // 1024} KB)")
                    # The map sits below the results: pictured on its own.
                    europe_map = page.locator("section.europe-map")
                    if name == "partner-search" and europe_map.count():
                        target = out / f"{name}-map-{size_name}.png"
                        save_small(europe_map.first.screenshot(), target)
                        print(f"{target} ({target.stat().st_size // 1024} KB)")
                context.close()
        finally:
            browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(BASE_DIR / "docs" / "screenshots"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{folder}/demo.sqlite3",
            "DEBUG": "true",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "PAGE_CACHE_SECONDS": "0",
            "MEDIA_ROOT": f"{folder}/media",
        }
        env.pop("REDIS_URL", None)
        manage = [sys.executable, str(BASE_DIR / "manage.py")]
        for command in (["migrate", "--noinput"], ["seed_demo"]):
            subprocess.run([*manage, *command], cwd=BASE_DIR, env=env, check=True)  # noqa: S603
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            [*manage, "runserver", "--noreload", f"127.0.0.1:{port}"], cwd=BASE_DIR, env=env
        )
        try:
            wait_until_up(url, server)
            take(Path(args.out), url)
        finally:
            server.terminate()
            server.wait(timeout=20)


if __name__ == "__main__":
    main()
