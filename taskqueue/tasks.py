"""Enqueueing work in the transaction of the change that causes it, and the queue's own
clean-up.

Every caller goes through :func:`enqueue`. On the database backend the task's row is
written in the caller's transaction: a change that commits always has its task, one that
rolls back has none. The immediate backend (embedded defaults, tests) has no row to write,
so the task runs once the transaction has committed; a failure there is logged, never
raised into the request that caused it.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task
from django_tasks_db import DatabaseBackend


def is_durable(task_) -> bool:
    """True when ``task_`` goes to a queue that outlives the process (the database)."""
    return isinstance(task_.get_backend(), DatabaseBackend)


def enqueue(task_, /, *args, **kwargs):
    """Enqueue ``task_(*args, **kwargs)`` as part of the current transaction.

    Arguments must be JSON values: pass ids, and let the task read the rows again (they
    may have changed or gone by the time it runs). Returns the task result on the database
    backend, None when the run waits for the commit.
    """
    if is_durable(task_):
        return task_.enqueue(*args, **kwargs)

    # A named function: Django logs a failing robust hook by its __qualname__.
    def run_committed_task():
        task_.enqueue(*args, **kwargs)

    transaction.on_commit(run_committed_task, robust=True)
    return None


def retry_delay(attempts: int) -> datetime.timedelta:
    """How long to wait after the ``attempts``-th failed attempt: doubling, capped."""
    seconds = settings.TASKS_RETRY_DELAY * 2 ** max(0, attempts - 1)
    return datetime.timedelta(seconds=min(seconds, settings.TASKS_RETRY_MAX_DELAY))


@task()
def prune_finished_tasks() -> int:
    """Delete successful task rows and periodic-run records older than ``TASKS_KEEP_DAYS``.

    Failed tasks stay until staff retry them: they are the ones somebody must look at.
    """
    from django_tasks_db.models import DBTaskResult

    from taskqueue.models import PeriodicRun

    cutoff = timezone.now() - datetime.timedelta(days=settings.TASKS_KEEP_DAYS)
    deleted, _ = DBTaskResult.objects.successful().filter(finished_at__lt=cutoff).delete()
    PeriodicRun.objects.filter(enqueued_at__lt=cutoff).delete()
    return deleted
