from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartneringConfig(AppConfig):
    name = "partnering"
    verbose_name = _("Partner requests")

    def ready(self):
        from members.panels import organisation_panels
        from pages.home_sections import home_sections
        from partnering import feed, site, tasks  # noqa: F401 - feed registers its source
        from search.site import register_kind
        from taskqueue import periodic

        register_kind("requests", _("Partner requests"), site.site_search_requests)
        organisation_panels.append(site.organisation_panel)
        home_sections.append(site.home_section)
        periodic.register(
            name="partnering.close_expired",
            task=tasks.close_expired_requests,
            every=timedelta(hours=1),
        )
        periodic.register(
            name="partnering.daily_digests", task=tasks.send_daily_digests, every=timedelta(days=1)
        )
        periodic.register(
            name="partnering.weekly_digests",
            task=tasks.send_weekly_digests,
            every=timedelta(days=7),
        )
