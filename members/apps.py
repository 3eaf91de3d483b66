import datetime

from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "members"

    def ready(self):
        from members import receivers, tasks  # noqa: F401 - connects the receivers
        from taskqueue import periodic

        periodic.register(
            name="members.send_label_reminders",
            task=tasks.send_label_reminders,
            every=datetime.timedelta(days=1),
        )
        periodic.register(
            name="members.send_register_reminders",
            task=tasks.send_register_reminders,
            every=datetime.timedelta(days=1),
        )
