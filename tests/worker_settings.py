"""Settings of a task worker that the tests start: the site's own, on the database queue,
with a mail backend that fails as often as the test says (tests/queue_support.py)."""

from config.settings import *  # noqa: F403

TASKS_BACKEND = "database"
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
EMAIL_BACKEND = "tests.queue_support.FlakyEmailBackend"
