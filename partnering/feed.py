"""The partner requests' part of members' personal feed: requests that followed
organisations published."""

from django.utils.translation import gettext as _

from members.dashboard import FeedItem, register_feed_source
from partnering.models import PartnerRequest


@register_feed_source("partnering.requests")
def requests_of_followed_organisations(*, profile, following, before, limit) -> list[FeedItem]:
    """Published requests of followed organisations that the member may read."""
    if not following.organisation_ids:
        return []
    requests = (
        PartnerRequest.objects.visible_to(profile.user)
        .filter(organisation_id__in=following.organisation_ids, published__isnull=False)
        .select_related("organisation")
    )
    if before is not None:
        requests = requests.filter(published__lt=before)
    return [
        FeedItem(
            kind="partnering.request",
            title=_("%(organisation)s seeks partners: %(title)s")
            % {"organisation": item.organisation.name, "title": item.title},
            url=item.get_absolute_url(),
            when=item.published,
        )
        for item in requests.order_by("-published", "-pk")[:limit]
    ]
