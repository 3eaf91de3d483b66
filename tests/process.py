"""Running the project's own commands in a child process, as an operator would."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SERVICE_VARIABLES = {"DATABASE_URL", "REDIS_URL", "ELASTICSEARCH_URL"}


def run_manage(*args, keep_services=False, timeout=120, **env):
    """``manage.py *args`` with the environment plus ``env``; services dropped unless kept."""
    full_env = {k: v for k, v in os.environ.items() if keep_services or k not in SERVICE_VARIABLES}
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
