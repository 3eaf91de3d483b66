"""Schemathesis against /api/schema/ on a live site with the demo content.

Every operation of the club's API, with positive and negative data, as an anonymous
client and as a signed-in member: no server error, every answer matches the schema, and
invalid data is refused. The number of examples is bounded so that CI stays within minutes.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.live import LiveSite

EXAMPLES_PER_OPERATION = int(os.environ.get("FUZZ_EXAMPLES", "10"))
CHECKS = "not_a_server_error,response_schema_conformance,negative_data_rejection"


@pytest.fixture(scope="module")
def live_site():
    site = LiveSite().prepare().start()
    yield site
    site.stop()


def schemathesis(site: LiveSite, *extra: str) -> subprocess.CompletedProcess:
    executable = shutil.which("schemathesis", path=str(Path(sys.executable).parent))
    return subprocess.run(
        [
            executable or "schemathesis",
            "run",
            f"{site.url}/api/schema/",
            "--checks",
            CHECKS,
            "--max-examples",
            str(EXAMPLES_PER_OPERATION),
            "--seed",
            "2012",
            "--no-color",
            "--request-timeout",
            "20",
            "--generation-database",
            "none",
            "--workers",
            "1",
            *extra,
        ],
        capture_output=True,
        text=True,
        timeout=900,
        cwd=site.workdir,  # schemathesis keeps a cache folder in its working directory
    )


def test_the_api_holds_its_schema_for_anonymous_clients(live_site):
    result = schemathesis(live_site)
    assert result.returncode == 0, result.stdout[-8000:] + live_site.server_log()[-3000:]


def test_the_api_holds_its_schema_for_a_signed_in_member(live_site):
    token = live_site.api_token()
    result = schemathesis(live_site, "--header", f"Authorization: Token {token}")
    assert result.returncode == 0, result.stdout[-8000:] + live_site.server_log()[-3000:]
