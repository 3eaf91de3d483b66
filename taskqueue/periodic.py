"""Periodic jobs, scheduled by the task workers themselves (no cron).

Apps register their jobs in ``AppConfig.ready()``::

    periodic.register(name="events.reminders", task=tasks.send_event_reminders,
                      every=timedelta(hours=1))

Time is cut into periods of ``every`` (counted from the Unix epoch, so a day starts at
midnight UTC). Every worker's scheduler calls :func:`schedule_due` now and then; the first
one to insert the (job, period) row of :class:`taskqueue.models.PeriodicRun` enqueues the job
in the same transaction, every other one hits the unique key and skips. A job therefore
runs once per period however many workers run, and each job is itself idempotent (it
records what it sent), so a run that is retried or caught up sends nothing twice.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from taskqueue.tasks import enqueue


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    task: object
    every: datetime.timedelta

    def period_start(self, now: datetime.datetime) -> datetime.datetime:
        seconds = int(self.every.total_seconds())
        stamp = int(now.timestamp()) // seconds * seconds
        return datetime.datetime.fromtimestamp(stamp, tz=datetime.UTC)


JOBS: dict[str, PeriodicJob] = {}


def register(*, name: str, task, every: datetime.timedelta) -> None:
    """Run ``task`` (a django-tasks task without arguments) once every ``every``."""
    if every < datetime.timedelta(minutes=1):
        raise ValueError("a periodic job runs at most once a minute")
    JOBS[name] = PeriodicJob(name=name, task=task, every=every)


def schedule_due(*, now: datetime.datetime | None = None) -> list[str]:
    """Enqueue every job whose current period has no run yet; return their names."""
    now = now or timezone.now()
    from taskqueue.models import PeriodicRun

    started = []
    for job in list(JOBS.values()):
        start = job.period_start(now)
        if PeriodicRun.objects.filter(job=job.name, period_start=start).exists():
            continue
        try:
            with transaction.atomic():
                run = PeriodicRun.objects.create(job=job.name, period_start=start)
                result = enqueue(job.task)
                if result is not None:
                    run.task_id = str(result.id)
                    run.save(update_fields=["task_id"])
        except IntegrityError:
            # Another scheduler claimed this period between our check and our insert.
            continue
        started.append(job.name)
    return started
