"""The site's settings for the test run (pytest's DJANGO_SETTINGS_MODULE).

Two things are chosen before the site's settings read the environment: each pytest-xdist
worker's Redis database (tests/workers.py), and API throttle rates high enough that a test
sending many requests from one address is not slowed (tests/api/test_defaults.py
runs the site's defaults). The live sites that tests start inherit both. Everything else is
the site's own settings.
"""

import os

import tests.workers  # noqa: F401 - first: it sets REDIS_URL for this worker

os.environ.setdefault("API_THROTTLE_ANON", "100000/min")
os.environ.setdefault("API_THROTTLE_USER", "100000/min")

from config.settings import *  # noqa: E402, F403

# Tasks run in the test process once the test's transaction commits (or when a test runs
# the on-commit callbacks): the e-mail tests read them from mail.outbox. The tests of the
# real worker (tests/taskqueue/test_task_worker.py) switch to the database queue themselves.
TASKS_BACKEND = "immediate"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
