"""Site-wide search: pages, events, organisations, members and threads, grouped by kind.

Pages and events are Wagtail pages, searched through Wagtail's search backend (database
or Elasticsearch, following ``WAGTAILSEARCH_BACKENDS``), live and public ones only;
organisations through the configured partner-search engine; members with
``MemberProfile.objects.visible_to(user)``, so a hidden profile is never found by
anyone but its owner and staff, and members-only profiles never by anonymous visitors;
forum threads with ``Thread.objects.visible_to(user)`` (members-only categories need an
active account) and only shown posts (neither hidden nor deleted).
Editors' promotions (wagtail.contrib.search_promotions) for the query come first.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.search_promotions.models import Query as PromotedQuery
from wagtail.models import Locale, Page
from wagtail.search.utils import normalise_query_string

from events.models import EventPage
from forum.models import Post, Thread
from members.models import MemberProfile
from members.profile_privacy import field_visible, visible_fields
from search.engines.base import search_engine
from search.highlight import highlight
from search.languages import (
    language_backend,
    search_pages_in_language,
    searches_in_own_language,
)
from search.results import absolute_url, organisation_results
from search.text import words


@dataclass
class Group:
    """One kind of result: how many were found and the requested slice of them."""

    kind: str
    label: str
    count: int = 0
    results: list[dict] = field(default_factory=list)


KINDS = {
    "pages": _("Pages"),
    "events": _("Events"),
    "organisations": _("Organisations"),
    "members": _("Members"),
    "threads": _("Forum threads"),
}


def _specific(pages) -> list:
    """``pages`` as their own page types, read in one query per type rather than one per
    page: Wagtail's search backends answer base pages, the search in a language's own
    terms specific ones already."""
    pages = list(pages)
    ids_by_type = defaultdict(list)
    for page in pages:
        if type(page) is Page:
            ids_by_type[page.content_type_id].append(page.pk)
    specific = {}
    for content_type_id, ids in ids_by_type.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is not None:
            specific.update(model.objects.filter(pk__in=ids).in_bulk())
    return [specific.get(page.pk, page) for page in pages]


def _page_results(pages, text, request) -> list[dict]:
    results = []
    for page in _specific(pages):
        page = page.specific
        summary = getattr(page, "search_description", "") or getattr(page, "intro", "")
        result = {
            "title": page.title,
            "url": page.get_full_url(request=request),
            "title_highlight": highlight(page.title, text),
            "highlight": highlight(str(summary), text),
        }
        if isinstance(page, EventPage):
            result["start"] = page.start.isoformat()
            result["city"] = page.city
        results.append(result)
    return results


def _pages_in_active_language(pages, text):
    """``pages`` of the visitor's language that match ``text``: in that language's own
    terms where the database can (search/languages.py), else through Wagtail's backend.
    Each page once: its aliases in the other languages are not searched with it."""
    locale = Locale.get_active()
    if searches_in_own_language(locale):
        return search_pages_in_language(pages, text, locale)
    return pages.filter(locale=locale).search(text, backend=language_backend(locale))


def _pages(text, user, request, offset, limit) -> Group:
    pages = _pages_in_active_language(
        Page.objects.live().public().filter(depth__gt=1).not_type(EventPage), text
    )
    return Group(
        "pages",
        KINDS["pages"],
        len(pages) if isinstance(pages, list) else pages.count(),
        _page_results(pages[offset : offset + limit], text, request),
    )


def _events(text, user, request, offset, limit) -> Group:
    events = _pages_in_active_language(Page.objects.live().public().type(EventPage), text)
    return Group(
        "events",
        KINDS["events"],
        len(events) if isinstance(events, list) else events.count(),
        _page_results(events[offset : offset + limit], text, request),
    )


def _organisations(text, user, request, offset, limit) -> Group:
    found = search_engine().partner_search(
        text=text, filters={}, page=offset // limit + 1, page_size=limit
    )
    results = organisation_results(found.hits, request=request)
    for result in results:
        result["title"] = result["name"]
        result["title_highlight"] = highlight(result["name"], text)
        result["highlight"] = highlight(result["description"], text)
    return Group("organisations", KINDS["organisations"], found.count, results)


def _members(text, user, request, offset, limit) -> Group:
    # A biography its owner hides from this reader is neither matched nor quoted.
    bio_shown = field_visible("bio", user)
    condition = Q()
    for term in words(text):
        condition &= (
            Q(display_name__icontains=term)
            | Q(job_title__icontains=term)
            | (Q(bio__icontains=term) & bio_shown)
            | Q(tagged_expertise__tag__name__icontains=term)
        )
    profiles = (
        MemberProfile.objects.visible_to(user)
        .filter(pk__in=MemberProfile.objects.filter(condition).values("pk"))
        .select_related("user")
        .order_by("display_name", "pk")
    )
    results = [
        {
            "title": profile.name,
            "url": absolute_url(f"/members/{profile.pk}/", request),
            "title_highlight": highlight(profile.name, text),
            "highlight": highlight(
                " · ".join(
                    filter(
                        None,
                        [
                            profile.job_title,
                            # Only the biography is quoted: its visibility, not the whole
                            # shown profile (whose organisations cost a query per member).
                            profile.bio
                            if "bio" in visible_fields(profile=profile, viewer=user)
                            else "",
                        ],
                    )
                ),
                text,
            ),
        }
        for profile in profiles[offset : offset + limit]
    ]
    return Group("members", KINDS["members"], profiles.count(), results)


def _threads(text, user, request, offset, limit) -> Group:
    terms = words(text)
    shown_posts = Post.objects.shown().filter(thread=OuterRef("pk"))
    condition = Q()
    for term in terms:
        condition &= Q(title__icontains=term) | Q(Exists(shown_posts.filter(body__icontains=term)))
    threads = (
        Thread.objects.visible_to(user)
        .filter(condition)
        .annotate(
            # The first shown post that mentions the first word: the snippet to show.
            snippet=Subquery(
                shown_posts.filter(body__icontains=terms[0]).order_by("pk").values("body")[:1]
            )
        )
        .order_by("-last_activity", "-pk")
    )
    results = [
        {
            "title": thread.title,
            "url": absolute_url(thread.get_absolute_url(), request),
            "title_highlight": highlight(thread.title, text),
            "highlight": highlight(thread.snippet or "", text),
            "reply_count": thread.reply_count,
            "last_activity": thread.last_activity.isoformat(),
        }
        for thread in threads[offset : offset + limit]
    ]
    return Group("threads", KINDS["threads"], threads.count(), results)


PROVIDERS = {
    "pages": _pages,
    "events": _events,
    "organisations": _organisations,
    "members": _members,
    "threads": _threads,
}


def register_kind(kind: str, label, provider) -> None:
    """Add a kind of result to site search, for an app above this one (partner requests):
    ``provider(text, user, request, offset, limit)`` returns a ``Group`` of what ``user``
    may see. Called from the app's ``AppConfig.ready``."""
    KINDS[kind] = label
    PROVIDERS[kind] = provider


def promotions(text: str, request=None) -> list[dict]:
    """Editors' picks for ``text`` (read only: a search never writes)."""
    query = PromotedQuery.objects.filter(query_string=normalise_query_string(text)).first()
    if query is None:
        return []
    picks = []
    for pick in query.editors_picks.select_related("page").order_by("sort_order"):
        if pick.page is not None:
            if not pick.page.live or pick.page.get_view_restrictions().exists():
                continue
            url = absolute_url(pick.page.url or "", request)
        else:
            url = pick.external_link_url
        picks.append({"title": pick.title, "url": url, "description": pick.description})
    return picks


def site_search(*, text: str, user, request=None, kinds=None, offset=0, limit=5) -> list[Group]:
    """Each kind's count and its results ``offset`` to ``offset + limit``; no words, no
    results."""
    if not words(text):
        return []
    return [PROVIDERS[kind](text, user, request, offset, limit) for kind in kinds or PROVIDERS]
