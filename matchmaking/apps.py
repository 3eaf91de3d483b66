import datetime

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchmakingConfig(AppConfig):
    name = "matchmaking"
    verbose_name = _("Matchmaking")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The receivers, and the section of the events' check-in desk.
        from matchmaking import desk, receivers, tasks  # noqa: F401
        from taskqueue import periodic

        periodic.register(
            name="matchmaking.send_meeting_reminders",
            task=tasks.send_meeting_reminders,
            every=datetime.timedelta(minutes=5),
        )
