from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

GENERATION_KEY = "pagecache:generation:awards"


class AwardsConfig(AppConfig):
    name = "awards"
    verbose_name = _("Awards")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from awards import models, tasks  # noqa: F401 - tasks registers the e-mail tasks
        from caching import generations
        from pages import page_cache

        # Anonymous answers of the award pages are kept until something of the awards
        # changes (the reminders sent to jurors show nowhere).
        for name in ("awards:index", "awards:laureates", "awards:cycle"):
            page_cache.cache_anonymous_view(
                name, GENERATION_KEY, page_cache.ORGANISATIONS_GENERATION_KEY
            )
        # The award index and the laureates are the same for every member; a cycle's page
        # shows jurors and editors their own tasks, so it is drawn for each member.
        for name in ("awards:index", "awards:laureates"):
            page_cache.share_view_between_members(name)
        shown = [
            model
            for model in self.get_models()
            if model is not models.ReminderLog and not model._meta.auto_created
        ]
        generations.advance_on_change(GENERATION_KEY, shown)
