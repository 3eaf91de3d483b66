"""Bookkeeping of the task queue: the workers that are alive, the periodic runs made.

The queued tasks themselves are django-tasks-db's ``DBTaskResult`` rows.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TaskWorker(models.Model):
    """A running ``manage.py run_worker`` process; ``last_seen`` is its heartbeat.

    A task whose worker stopped beating for ``TASKS_WORKER_TIMEOUT`` seconds was abandoned
    (the process was killed or its machine lost): another worker puts it back in the queue.
    """

    worker_id = models.CharField(_("worker id"), max_length=64, unique=True)
    hostname = models.CharField(_("host"), max_length=255, blank=True)
    pid = models.PositiveIntegerField(_("process id"), null=True)
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    last_seen = models.DateTimeField(_("last seen"), db_index=True)
    tasks_run = models.PositiveIntegerField(_("tasks run"), default=0)

    class Meta:
        ordering = ["-last_seen"]
        verbose_name = _("task worker")
        verbose_name_plural = _("task workers")

    def __str__(self):
        return f"{self.hostname}:{self.pid} ({self.worker_id[:8]})"


class PeriodicRun(models.Model):
    """One run of a periodic job for one period, enqueued by whichever scheduler got here
    first: the unique (job, period_start) key makes every other scheduler skip it."""

    job = models.CharField(_("job"), max_length=100)
    period_start = models.DateTimeField(_("period start"))
    enqueued_at = models.DateTimeField(_("enqueued at"), auto_now_add=True)
    task_id = models.CharField(_("task id"), max_length=64, blank=True)

    class Meta:
        ordering = ["-period_start", "job"]
        constraints = [
            models.UniqueConstraint(fields=["job", "period_start"], name="periodic_run_once")
        ]
        verbose_name = _("periodic run")
        verbose_name_plural = _("periodic runs")

    def __str__(self):
        return f"{self.job} @ {self.period_start:%Y-%m-%d %H:%M}"
