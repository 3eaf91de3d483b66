import datetime

from django.apps import AppConfig


class TaskQueueConfig(AppConfig):
    """The site's background work: enqueueing, the worker, periodic jobs and their admin.

    The label stays "core", the name its tables and migrations were first stored under, so
    existing databases keep their workers and periodic runs without a data migration.
    """

    name = "taskqueue"
    label = "core"
    verbose_name = "Task queue"

    def ready(self):
        from taskqueue import periodic, tasks

        periodic.register(
            name="core.prune_finished_tasks",
            task=tasks.prune_finished_tasks,
            every=datetime.timedelta(days=1),
        )
