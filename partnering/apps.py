from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

GENERATION_KEY = "pagecache:generation:partnering"


class PartneringConfig(AppConfig):
    name = "partnering"
    verbose_name = _("Partner requests")

    def ready(self):
        from caching import generations
        from members.panels import organisation_panels
        from pages import page_cache
        from pages.home_sections import home_sections
        from partnering import feed, models, selectors, site, tasks  # noqa: F401 - feed registers its source
        from search.site import register_kind
        from taskqueue import periodic

        register_kind("requests", _("Partner requests"), site.site_search_requests)
        # Anonymous answers of the request pages, and of the pages that list requests,
        # are kept until a request, its countries, matches or interests change.
        page_cache.cache_anonymous_view(
            "partnering:requests", GENERATION_KEY, page_cache.ORGANISATIONS_GENERATION_KEY
        )
        page_cache.cache_anonymous_view(
            "partnering:request", GENERATION_KEY, page_cache.ORGANISATIONS_GENERATION_KEY
        )
        # The listing is the same for every member but moderators and the administrators
        # of a hidden request; its form to save the search gets each member's own token.
        page_cache.share_view_between_members(
            "partnering:requests",
            lambda request: selectors.sees_requests_as_every_member(request.user),
        )
        # An organisation's page shows its requests (``site.organisation_panel``).
        page_cache.share_view_between_members(
            "members:organisation_detail",
            lambda request, slug: selectors.sees_requests_as_every_member(request.user),
        )
        page_cache.cache_anonymous_view("members:organisation_detail", GENERATION_KEY)
        page_cache.cache_anonymous_view("search:site_search", GENERATION_KEY)
        generations.advance_on_change(
            GENERATION_KEY,
            [models.PartnerRequest, models.RequestCountry, models.PartnerMatch, models.Interest],
        )
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
