import datetime

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Core"

    def ready(self):
        from core import periodic, tasks

        periodic.register(
            name="core.prune_finished_tasks",
            task=tasks.prune_finished_tasks,
            every=datetime.timedelta(days=1),
        )
