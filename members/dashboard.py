"""The member dashboard's extension point: other apps add sections without members importing them.

The members app knows only what it stores (followed members' and organisations'
activity). Apps above it (events, forum, the editorial pages) register a section builder
in their ``AppConfig.ready()``::

    from members.dashboard import DashboardSection, register_section

    @register_section("forum.threads", order=30)
    def threads_from_followed(*, profile, following):
        threads = Thread.objects.filter(author__in=following.member_user_ids)[:5]
        if not threads:
            return None
        return DashboardSection(
            title=_("Threads by people you follow"),
            items=[{"title": t.title, "url": t.get_absolute_url(), "when": t.created}
                   for t in threads],
        )

A builder gets the member's profile and a :class:`Following` and returns a
:class:`DashboardSection` or ``None`` (nothing to show). A builder that raises is logged and
skipped, so one app's failure never takes the dashboard down.

The personal feed (the dashboard's "What's new" and ``/api/members/me/feed/``) is built the
same way: each app registers a feed source that returns its :class:`FeedItem` s about what
the member follows, newest first and older than a cursor::

    @register_feed_source("forum.threads")
    def threads_of_followed_members(*, profile, following, before, limit):
        threads = Thread.objects.visible_to(profile.user).filter(
            author__in=following.member_user_ids
        )
        ...
        return [FeedItem(kind="forum.thread", title=..., url=..., when=...), ...]

A source checks what the member may see itself (its app knows its rules) and returns at
most ``limit`` items with ``when`` before ``before`` (``None``: from now).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from members.models import MemberProfile

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Following:
    """Whom a member follows, as ids that other apps can filter their models by.

    Only members and organisations the member may still see are included.
    """

    member_ids: frozenset[int]
    member_user_ids: frozenset[int]
    organisation_ids: frozenset[int]


@dataclass
class DashboardSection:
    """One block of the dashboard.

    ``items`` are dicts with at least ``title`` and ``url``; ``when`` (a datetime) and
    ``summary`` are shown when present. ``template`` replaces the default rendering.
    """

    title: str
    items: list[dict[str, Any]] = field(default_factory=list)
    template: str = "members/dashboard_section.html"
    key: str = ""
    order: int = 100


SectionBuilder = Callable[..., DashboardSection | None]

_sections: dict[str, tuple[int, SectionBuilder]] = {}


def register_section(key: str, *, order: int = 100) -> Callable[[SectionBuilder], SectionBuilder]:
    """Register ``builder(*, profile, following)`` under ``key`` (re-registering replaces it)."""

    def decorator(builder: SectionBuilder) -> SectionBuilder:
        _sections[key] = (order, builder)
        return builder

    return decorator


def unregister_section(key: str) -> None:
    _sections.pop(key, None)


def following_for(profile: MemberProfile) -> Following:
    from members.selectors import followed_members, followed_organisations

    members = list(followed_members(profile=profile).values_list("pk", "user_id"))
    return Following(
        member_ids=frozenset(pk for pk, _ in members),
        member_user_ids=frozenset(user_id for _, user_id in members),
        organisation_ids=frozenset(
            followed_organisations(profile=profile).values_list("pk", flat=True)
        ),
    )


def build_sections(*, profile: MemberProfile, following: Following) -> list[DashboardSection]:
    """Every registered section with something to show, in ``order``."""
    sections = []
    for key, (order, builder) in sorted(_sections.items(), key=lambda kv: (kv[1][0], kv[0])):
        try:
            section = builder(profile=profile, following=following)
        except Exception:
            logger.exception("dashboard section %s failed", key)
            continue
        if section is not None:
            section.key = section.key or key
            section.order = order
            sections.append(section)
    return sections


def item(*, title: str, url: str, when: datetime | None = None, summary: str = "") -> dict:
    """A dashboard item in the shape the default template renders."""
    return {"title": title, "url": url, "when": when, "summary": summary}


# --- The personal feed -----------------------------------------------------------------------


@dataclass(frozen=True)
class FeedItem:
    """One entry of the feed: ``kind`` names its source's kind ("events.event"), ``when``
    (aware) orders the feed, ``url`` is absolute or site-relative."""

    kind: str
    title: str
    url: str
    when: datetime
    summary: str = ""


FeedSource = Callable[..., list[FeedItem]]

_feed_sources: dict[str, FeedSource] = {}


def register_feed_source(key: str) -> Callable[[FeedSource], FeedSource]:
    """Register ``source(*, profile, following, before, limit)`` under ``key``."""

    def decorator(source: FeedSource) -> FeedSource:
        _feed_sources[key] = source
        return source

    return decorator


def unregister_feed_source(key: str) -> None:
    _feed_sources.pop(key, None)


def build_feed(
    *, profile: MemberProfile, following: Following, before: datetime | None = None, limit: int = 20
) -> list[FeedItem]:
    """The newest ``limit`` items of every source, older than ``before``, newest first.

    Each source gives at most ``limit`` items, so the merge is exact: the next page starts
    before the last item's ``when``. A source that raises is logged and left out.
    """
    items: list[FeedItem] = []
    for key, source in sorted(_feed_sources.items()):
        try:
            items.extend(source(profile=profile, following=following, before=before, limit=limit))
        except Exception:
            logger.exception("feed source %s failed", key)
    items.sort(key=lambda item: (item.when, item.kind, item.url), reverse=True)
    return items[:limit]


@register_feed_source("members.activity")
def followed_activity(*, profile, following, before, limit) -> list[FeedItem]:
    """What followed members and organisations did (profile updates, labels, joining)."""
    from members.selectors import dashboard_activities

    return [
        FeedItem(
            kind="members.activity",
            title=f"{activity.member or activity.organisation} {activity.get_verb_display()}",
            url=(activity.organisation or activity.member).get_absolute_url(),
            when=activity.created,
            summary=activity.summary,
        )
        for activity in dashboard_activities(profile=profile, limit=limit, before=before)
    ]
