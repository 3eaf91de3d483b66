import datetime

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Events")

    def ready(self):
        from events import feed, receivers, site, tasks  # noqa: F401 - connects the receivers
        from taskqueue import periodic

        site.register_pages()

        periodic.register(
            name="events.send_event_reminders",
            task=tasks.send_event_reminders,
            every=datetime.timedelta(hours=1),
        )
        periodic.register(
            name="events.erase_expired_guests",
            task=tasks.erase_expired_guests,
            every=datetime.timedelta(days=1),
        )
