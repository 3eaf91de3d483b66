"""The task worker: takes queued tasks from the database, runs them, retries failures
with back-off, requeues the tasks of workers that died, and schedules periodic jobs.

django-tasks-db provides the queue (its ``DBTaskResult`` rows, the ``SKIP LOCKED`` claim);
its own ``db_worker`` marks a failed task failed at once and leaves the task of a killed
worker "running" for ever. This worker keeps the same rows and adds what the club needs:

- a task that raises is put back with ``run_after`` pushed by ``taskqueue.tasks.retry_delay``
  until it has had ``TASKS_MAX_ATTEMPTS`` attempts (one per entry in ``worker_ids``); then
  it is failed, for staff to see and retry in the admin;
- each worker beats in ``taskqueue.models.TaskWorker``; a running task whose worker has been
  silent for ``TASKS_WORKER_TIMEOUT`` seconds counts as a failed attempt and is requeued;
- every worker's scheduler enqueues the periodic jobs (``taskqueue.periodic``).
"""

from __future__ import annotations

import datetime
import logging
import os
import signal
import socket
import threading
import time
import traceback

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.utils import timezone
from django_tasks import TaskContext, TaskResultStatus
from django_tasks.signals import task_finished, task_started
from django_tasks_db.models import DBTaskResult, get_date_max
from django_tasks_db.utils import exclusive_transaction

from taskqueue import periodic
from taskqueue.models import TaskWorker
from taskqueue.tasks import retry_delay

logger = logging.getLogger("taskqueue.worker")

SCHEDULER_INTERVAL = 15.0  # seconds between two looks at the periodic jobs
ERROR_FIELDS = ("exception_class_path", "traceback", "return_value")


class WorkerLost(Exception):
    """The worker running a task stopped beating: killed, or its machine lost."""


def record_failure(row: DBTaskResult, *, error_path: str, error_text: str) -> bool:
    """Put ``row`` back in the queue after a failed attempt, or fail it after the last one.

    Returns True when it will be tried again.
    """
    attempts = len(row.worker_ids)
    row.exception_class_path = error_path
    row.traceback = error_text
    row.return_value = None
    now = timezone.now()
    if attempts < settings.TASKS_MAX_ATTEMPTS:
        row.status = TaskResultStatus.READY
        row.run_after = now + retry_delay(attempts)
        row.save(
            update_fields=[
                "status",
                "run_after",
                "exception_class_path",
                "traceback",
                "return_value",
            ]
        )
        return True
    row.status = TaskResultStatus.FAILED
    row.finished_at = now
    row.save(update_fields=["status", "finished_at", *ERROR_FIELDS])
    return False


def retry_failed(row: DBTaskResult) -> None:
    """Staff's retry: the failed task is queued again now, with a fresh set of attempts."""
    row.status = TaskResultStatus.READY
    row.run_after = get_date_max()
    row.worker_ids = []
    row.started_at = None
    row.finished_at = None
    row.save(update_fields=["status", "run_after", "worker_ids", "started_at", "finished_at"])


def requeue_abandoned(*, backend_name: str = "default") -> int:
    """Requeue (or fail, after the last attempt) the running tasks of silent workers."""
    now = timezone.now()
    cutoff = now - datetime.timedelta(seconds=settings.TASKS_WORKER_TIMEOUT)
    alive = set(
        TaskWorker.objects.filter(last_seen__gte=cutoff).values_list("worker_id", flat=True)
    )
    requeued = 0
    for pk, worker_ids in (
        DBTaskResult.objects.running()
        .filter(backend_name=backend_name)
        .values_list("pk", "worker_ids")
    ):
        owner = worker_ids[-1] if worker_ids else ""
        if owner in alive:
            continue
        with transaction.atomic():
            row = (
                DBTaskResult.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, status=TaskResultStatus.RUNNING)
                .first()
            )
            if row is None or (row.worker_ids[-1] if row.worker_ids else "") != owner:
                continue
            error = WorkerLost(f"worker {owner} stopped answering while running this task")
            record_failure(
                row,
                error_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
                error_text="".join(traceback.format_exception_only(error)),
            )
            logger.warning("task %s: worker %s was lost; requeued", pk, owner)
            requeued += 1
    # Workers gone for a day are of no more interest in the admin.
    TaskWorker.objects.filter(last_seen__lt=now - datetime.timedelta(days=1)).delete()
    return requeued


class Worker:
    def __init__(
        self,
        *,
        worker_id: str,
        interval: float = 1.0,
        backend_name: str = "default",
        batch: bool = False,
        scheduler: bool = True,
        max_tasks: int | None = None,
    ):
        self.worker_id = worker_id
        self.interval = interval
        self.backend_name = backend_name
        self.batch = batch
        self.scheduler = scheduler
        self.max_tasks = max_tasks
        self.running = True
        self.running_task = False
        self.tasks_run = 0
        self._stop_beating = threading.Event()
        self._next_schedule = 0.0
        self._next_reap = 0.0

    # --- life cycle ---------------------------------------------------------------------

    def handle_signal(self, signum, frame) -> None:
        if not self.running or not self.running_task:
            raise SystemExit(0 if not self.running_task else 1)
        logger.warning("%s: finishing the current task, then stopping", signal.strsignal(signum))
        self.running = False

    def install_signal_handlers(self) -> None:
        for name in ("SIGINT", "SIGTERM", "SIGQUIT"):
            if hasattr(signal, name):
                signal.signal(getattr(signal, name), self.handle_signal)

    def beat(self) -> None:
        TaskWorker.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={
                "hostname": socket.gethostname()[:255],
                "pid": os.getpid(),
                "last_seen": timezone.now(),
                "tasks_run": self.tasks_run,
            },
        )

    def _beat_forever(self) -> None:
        try:
            while not self._stop_beating.wait(settings.TASKS_HEARTBEAT_SECONDS):
                try:
                    self.beat()
                except Exception:  # noqa: BLE001 - a lost connection must not end the beat
                    logger.exception("worker %s: heartbeat failed", self.worker_id)
                    close_old_connections()
        finally:
            connection.close()

    def run(self) -> None:
        logger.info("worker %s started (pid %s)", self.worker_id, os.getpid())
        self.beat()
        beater = threading.Thread(target=self._beat_forever, name="heartbeat", daemon=True)
        beater.start()
        try:
            while self.running:
                close_old_connections()
                self.housekeeping()
                ran = self.run_next()
                close_old_connections()
                if self.max_tasks is not None and self.tasks_run >= self.max_tasks:
                    break
                if not ran:
                    if self.batch:
                        break
                    time.sleep(self.interval)
        finally:
            self._stop_beating.set()
            beater.join(timeout=5)
            TaskWorker.objects.filter(worker_id=self.worker_id).delete()
            logger.info("worker %s stopped after %s task(s)", self.worker_id, self.tasks_run)

    def housekeeping(self) -> None:
        now = time.monotonic()
        if now >= self._next_reap:
            self._next_reap = now + settings.TASKS_HEARTBEAT_SECONDS
            requeue_abandoned(backend_name=self.backend_name)
        if self.scheduler and now >= self._next_schedule:
            self._next_schedule = now + SCHEDULER_INTERVAL
            for name in periodic.schedule_due():
                logger.info("periodic job %s enqueued", name)

    # --- tasks --------------------------------------------------------------------------

    def claim_next(self) -> DBTaskResult | None:
        ready = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        with exclusive_transaction(ready.db):
            row = ready.get_locked()
            if row is not None:
                row.claim(self.worker_id)
        return row

    def run_next(self) -> bool:
        """Run one ready task; False when there was none."""
        row = self.claim_next()
        if row is None:
            return False
        self.running_task = True
        try:
            self.run_task(row)
        finally:
            self.running_task = False
            self.tasks_run += 1
        return True

    def run_task(self, row: DBTaskResult) -> None:
        try:
            task = row.task
            result = row.task_result
            backend_type = type(task.get_backend())
            task_started.send(sender=backend_type, task_result=result)
            if task.takes_context:
                value = task.call(TaskContext(task_result=result), *result.args, **result.kwargs)
            else:
                value = task.call(*result.args, **result.kwargs)
            row.set_successful(value)
            task_finished.send(sender=backend_type, task_result=row.task_result)
        except (KeyboardInterrupt, SystemExit):
            # Stopped mid-task: the row stays "running" and the next worker requeues it.
            raise
        except Exception as error:  # noqa: BLE001 - any failure is recorded on the row
            again = record_failure(
                row,
                error_path=f"{type(error).__module__}.{type(error).__qualname__}",
                error_text="".join(traceback.format_exception(error)),
            )
            if again:
                logger.warning(
                    "task %s (%s) failed, attempt %s of %s; retried at %s: %s",
                    row.pk,
                    row.task_path,
                    len(row.worker_ids),
                    settings.TASKS_MAX_ATTEMPTS,
                    row.run_after.isoformat(),
                    error,
                )
            else:
                logger.error("task %s (%s) failed for good: %s", row.pk, row.task_path, error)
                try:
                    task_finished.send(
                        sender=type(row.task.get_backend()), task_result=row.task_result
                    )
                except Exception:  # noqa: BLE001 - the task's module may be gone
                    logger.exception("task %s: could not announce its failure", row.pk)
