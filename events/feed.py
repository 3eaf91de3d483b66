"""The events app's part of members' personal feed: new events of followed organisations."""

from django.utils.translation import gettext as _

from events.models import EventPage
from members.dashboard import FeedItem, register_feed_source


@register_feed_source("events.organised")
def events_of_followed_organisations(*, profile, following, before, limit) -> list[FeedItem]:
    """Live, public events that a followed organisation organises, newest published first."""
    if not following.organisation_ids:
        return []
    events = (
        EventPage.objects.live()
        .public()
        .filter(organiser_id__in=following.organisation_ids, first_published_at__isnull=False)
        .select_related("organiser")
    )
    if before is not None:
        events = events.filter(first_published_at__lt=before)
    return [
        FeedItem(
            kind="events.event",
            title=_("%(organisation)s organises %(event)s")
            % {"organisation": event.organiser.name, "event": event.title},
            url=event.url or "",
            when=event.first_published_at,
            summary=event.start.date().isoformat(),
        )
        for event in events.order_by("-first_published_at", "-pk")[:limit]
    ]
