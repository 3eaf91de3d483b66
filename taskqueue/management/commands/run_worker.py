"""``manage.py run_worker``: work the task queue and schedule the periodic jobs.

Run it as a long-lived process beside the web workers (README, Deployment); SIGTERM lets
the current task finish, a second one stops at once (the task is then requeued).
"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.crypto import get_random_string

from taskqueue import periodic, tasks
from taskqueue.worker import SCHEDULER_INTERVAL, Worker


class Command(BaseCommand):
    help = "Run the tasks of the database queue and schedule the periodic jobs."

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Seconds to wait when the queue is empty (default 1).",
        )
        parser.add_argument(
            "--batch", action="store_true", help="Run what is ready now, then exit."
        )
        parser.add_argument(
            "--max-tasks", type=int, default=None, help="Exit after this many tasks."
        )
        parser.add_argument(
            "--no-scheduler",
            action="store_true",
            help="Do not enqueue periodic jobs from this worker.",
        )
        parser.add_argument(
            "--schedule-only",
            action="store_true",
            help="Enqueue the periodic jobs that are due, then exit.",
        )
        parser.add_argument(
            "--worker-id",
            default="",
            help="A name unique across the workers (default: generated).",
        )

    def handle(self, *args, interval, batch, max_tasks, no_scheduler, schedule_only, **options):
        if interval < 0:
            raise CommandError("--interval must be zero or more.")
        if max_tasks is not None and max_tasks < 1:
            raise CommandError("--max-tasks must be at least 1.")
        if schedule_only:
            started = periodic.schedule_due()
            self.stdout.write(f"{len(started)} periodic job(s) enqueued: {', '.join(started)}")
            return
        if not tasks.is_durable(tasks.prune_finished_tasks):
            self.schedule_forever(interval=SCHEDULER_INTERVAL, batch=batch)
            return
        worker_id = options["worker_id"] or get_random_string(32)
        if len(worker_id) > 64:
            raise CommandError("--worker-id must be at most 64 characters.")
        worker = Worker(
            worker_id=worker_id,
            interval=interval,
            batch=batch,
            scheduler=not no_scheduler,
            max_tasks=max_tasks,
        )
        worker.install_signal_handlers()
        worker.run()

    def schedule_forever(self, *, interval: float, batch: bool) -> None:
        """Without a queue (TASKS_BACKEND=immediate) the web processes run the tasks of
        requests themselves; this process only runs the periodic jobs, in itself."""
        self.stdout.write(
            f"TASKS_BACKEND is {settings.TASKS_BACKEND!r}: no queue to work; "
            "running the periodic jobs here."
        )
        while True:
            for name in periodic.schedule_due():
                self.stdout.write(f"periodic job {name} run")
            if batch:
                return
            time.sleep(interval)
