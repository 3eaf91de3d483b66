"""The site's settings for the test run (pytest's DJANGO_SETTINGS_MODULE).

One thing is chosen before the site's settings read the environment: each pytest-xdist
worker's Redis database (tests/workers.py). Everything else is the site's own settings.
"""

import tests.workers  # noqa: F401 - first: it sets REDIS_URL for this worker
from club.settings import *  # noqa: F403

# Tasks run in the test process once the test's transaction commits (or when a test runs
# the on-commit callbacks): the e-mail tests read them from mail.outbox. The tests of the
# real worker (tests/core/test_task_worker.py) switch to the database queue themselves.
TASKS_BACKEND = "immediate"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
