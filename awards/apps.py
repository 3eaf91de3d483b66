from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    name = "awards"
    verbose_name = _("Awards")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from awards import tasks  # noqa: F401 - registers the e-mail tasks
