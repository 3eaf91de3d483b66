import datetime

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """Members' data rights: the export of their data, the erasure of their account, their
    consents, and the retention rules. Sits at the top of the apps: it reads every app's
    models through one registry (privacy/registry.py)."""

    name = "privacy"
    verbose_name = _("Personal data")

    def ready(self):
        from privacy import receivers, tasks  # noqa: F401 - connects the receivers
        from taskqueue import periodic

        periodic.register(
            name="privacy.apply_retention",
            task=tasks.apply_retention,
            every=datetime.timedelta(hours=1),
        )
