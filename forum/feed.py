"""The forum's part of members' personal feed: threads that followed members started."""

from django.utils.translation import gettext as _

from forum.models import Category, Thread
from forum.permissions import display_name
from members.dashboard import FeedItem, register_feed_source


@register_feed_source("forum.threads")
def threads_of_followed_members(*, profile, following, before, limit) -> list[FeedItem]:
    """Threads by followed members in categories the member reads (private conversations
    left out: they are not news)."""
    if not following.member_user_ids:
        return []
    threads = (
        Thread.objects.visible_to(profile.user)
        .exclude(category__visibility=Category.Visibility.PRIVATE)
        .filter(author_id__in=following.member_user_ids)
        .select_related("author__profile", "category")
    )
    if before is not None:
        threads = threads.filter(created__lt=before)
    return [
        FeedItem(
            kind="forum.thread",
            title=_("%(name)s started “%(title)s”")
            % {"name": display_name(thread.author, profile.user), "title": thread.title},
            url=thread.get_absolute_url(),
            when=thread.created,
            summary=thread.category.name,
        )
        for thread in threads.order_by("-created", "-pk")[:limit]
    ]
