"""A cache of Wagtail pages as anonymous visitors see them, emptied when editors publish.

Rendering a page costs tens of queries; most readers are anonymous and see the same HTML.
``AnonymousPageCacheMiddleware`` keeps the rendered answer of a Wagtail page for
``PAGE_CACHE_SECONDS`` (0 turns it off; off by default while DEBUG is on) and serves it to
the next anonymous visitor without touching the database.

What is never stored or served from the cache:

- requests other than GET/HEAD, requests with an ``Authorization`` header or with any
  cookie besides the CSRF and language cookies (a session means a signed-in member or
  messages to show), previews;
- answers that are not a 200 from Wagtail's page view, that set a cookie or use the CSRF
  token (a form), vary on ``Authorization`` or are marked private / no-store.

The per-response CSP nonce is never shared: it is cut out of the stored HTML and the
current request's nonce is put back in when a copy is served.

Publishing, unpublishing, moving or deleting a page, changing who may read a page, and
changing a snippet or a setting of the site (they appear on every page), move the cache
to a new generation, so every stored page is stale at once. What pages show that editors
do not publish (seats left on an event, the latest forum threads) is at most
``PAGE_CACHE_SECONDS`` old; a registration also starts a new generation, so seats left
are current.

The site's own views that anonymous visitors read most (the directories, partner search,
site search, the forum, partner requests, the awards) are kept the same way once their app
registers them (``cache_anonymous_view``), each under the generations of the data it lists:
a new post makes the forum's copies stale, a saved organisation the directory's.

The same cache serves the public read APIs that headless clients poll most
(``CACHED_API_PREFIXES``): anonymous JSON answers of the pages API and the events API share
the pages' generation; the organisations API has a generation of its own that any change to
the members app's data moves on. Signed-in or token clients always reach the view, since
what they may see differs from one to another.

Signed-in members get the pages whose type is the same for every member
(``member_neutral``), and the site views registered with ``share_view_between_members``
(the directories, partner search, the awards, the forum) when the member passes the
view's test,
from ``MemberPageCacheMiddleware``: one shared copy per page, in a key
space of its own under the same generation, holding in place of the account links (the
member's name and sign-out form) a placeholder that each member's own links fill. That
copy is made from a rendering where the account links were left out, so it never held
anything of the member whose visit made it, and the CSRF token of their sign-out form
does not count as a form of the page. What such a page shows of the member alone (unread
counts, a registration) is a part that ``caching.member_parts`` fills in as it is served,
and what a view's tests answered for a member is kept until the view's generations change
(``_member_test_answers``). Members with access to the admin (they get the
editing bar), members with messages to read and requests with an ``Authorization``
header always reach the view; so do members who must first accept new terms, since the
middleware that sends them to do so comes first.
"""

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import cc_delim_re

from accounts.services import ADMIN_ACCESS_GENERATION_KEY, may_access_admin
from caching import generations
from caching.member_parts import CSRF_PLACEHOLDER, secret_mark, with_own_csrf_token

GENERATION_KEY = "pagecache:generation"
ORGANISATIONS_GENERATION_KEY = "pagecache:generation:organisations"
FORUM_GENERATION_KEY = "pagecache:generation:forum"
# Anonymous read APIs served from the cache, with the generation that makes them stale.
CACHED_API_PREFIXES = {
    "/api/v2/pages/": GENERATION_KEY,
    "/api/events/": GENERATION_KEY,
    "/api/organisations/": ORGANISATIONS_GENERATION_KEY,
}
# The placeholders hold a word derived from the secret key, so that nothing a visitor writes
# (a post, a website address) can stand for one and get another's nonce or token put in.
NONCE_PLACEHOLDER = secret_mark("nonce")
# Stands for the account links in members' shared copies; a comment, should it ever show.
ACCOUNT_PLACEHOLDER = f"<!--{secret_mark('account')}-->"
ACCOUNT_TEMPLATE = "club/includes/account.html"
ACCOUNT_LINKS_SECONDS = 3600
# Key space of the copies that signed-in members share.
MEMBER_VARIANT = "member"
# Set on a request whose page is rendered with the placeholder for the account links.
ACCOUNT_DEFERRED = "page_cache_account_deferred"
# Not page URLs: skip even the cache lookup there, so API and admin requests pay nothing.
SKIPPED_PREFIXES = (
    "/api/",
    "/admin/",
    "/django-admin/",
    "/static/",
    "/media/",
    "/documents/",
    "/accounts/",
    "/bench/",
    "/healthz",
)
HEADER_HOP = {"set-cookie", "content-security-policy"}


# Views of the site (not Wagtail pages) whose anonymous answers are kept, by URL name, with
# the generations that make them stale: those of the data the view lists. What a view shows
# of other apps' data (a thread's author, an organisation's open requests) is at most
# PAGE_CACHE_SECONDS old, like the seats left on a cached event page.
ANONYMOUS_VIEWS: dict[str, tuple[str, ...]] = {}


def cache_anonymous_view(view_name: str, *generation_keys: str) -> None:
    """Keep anonymous answers of the view named ``view_name`` ("forum:thread") until one of
    ``generation_keys`` moves on; called again, it adds generations to the view's."""
    known = ANONYMOUS_VIEWS.get(view_name, ())
    ANONYMOUS_VIEWS[view_name] = known + tuple(k for k in generation_keys if k not in known)


# Views of the site whose answers signed-in members share like the member-neutral page
# types, by URL name, each with the tests of whether the requesting member sees what every
# member sees (a member's own hidden profile or unpublished organisation shows only to
# them). A test is called with the request and the view's URL arguments and answers False
# (draw the page for this member), True (the one shared copy) or a string naming the copy
# among a few (an organisation's page for its followers and for the others). A registered
# view must also keep anonymous answers (ANONYMOUS_VIEWS): its copies go stale with the
# same generations. Forms carry each member's own CSRF token (``deferred_csrf_token``).
MEMBER_NEUTRAL_VIEWS: dict[str, list[Callable[..., bool | str]]] = {}


def share_view_between_members(
    view_name: str, sees_what_every_member_sees: Callable[..., bool | str] | None = None
) -> None:
    """Serve signed-in members the view named ``view_name`` from the members' shared copies
    whenever every test registered for it lets them; read its template and view first:
    nothing else in them may depend on who the member is. Apps that add to a view's page
    (a panel) add their test to it."""
    tests = MEMBER_NEUTRAL_VIEWS.setdefault(view_name, [])
    if sees_what_every_member_sees is not None:
        tests.append(sees_what_every_member_sees)


def cache_seconds() -> int:
    return int(getattr(settings, "PAGE_CACHE_SECONDS", 0) or 0)


def invalidate(**kwargs) -> None:
    """Make every stored page stale (a signal receiver: accepts any arguments)."""
    generations.advance(GENERATION_KEY)


def invalidate_organisations(sender=None, created=False, **kwargs) -> None:
    """Make every stored answer of the organisations API stale (a signal receiver), but for
    the registers' settings row made with its defaults (``_is_default_settings_row``)."""
    if _is_default_settings_row(sender, created):
        return
    generations.advance(ORGANISATIONS_GENERATION_KEY)


def _is_default_settings_row(sender, created: bool) -> bool:
    """Whether a save is a site's settings row created with its defaults, which the first
    page that reads the settings makes: that changes nothing shown."""
    from wagtail.contrib.settings.models import BaseSiteSetting

    return bool(created) and isinstance(sender, type) and issubclass(sender, BaseSiteSetting)


def generation_keys_for(request) -> tuple[str, ...] | None:
    """The generations of what ``request`` asks for, or None when its answer is never kept:
    a cached read API's, a Wagtail page's, or a registered view's (ANONYMOUS_VIEWS)."""
    api_key = api_generation_key(request.path)
    if api_key is not None:
        return (api_key,)
    match = _route(request)
    if match is None:
        return None
    if match.url_name == "wagtail_serve":
        return (GENERATION_KEY,)
    return ANONYMOUS_VIEWS.get(match.view_name)


def _route(request):
    """The URL pattern ``request`` goes to, or None (the view answers its 404)."""
    try:
        return resolve(request.path_info)
    except Resolver404:
        return None


def api_generation_key(path: str) -> str | None:
    """The generation of a cached read API under ``path``, or None if it is not cached."""
    for prefix, generation_key in CACHED_API_PREFIXES.items():
        if path.startswith(prefix):
            return generation_key
    return None


def _allowed_cookies() -> set[str]:
    return {settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME}


def request_is_cacheable(request) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if request.path.startswith(SKIPPED_PREFIXES) and api_generation_key(request.path) is None:
        return False
    if "HTTP_AUTHORIZATION" in request.META:
        return False
    return set(request.COOKIES) <= _allowed_cookies()


def member_request_is_cacheable(request) -> bool:
    """Whether a signed-in member may get a page from the copies that members share."""
    if request.method not in ("GET", "HEAD") or request.path.startswith(SKIPPED_PREFIXES):
        return False
    if "HTTP_AUTHORIZATION" in request.META:
        return False
    if not set(request.COOKIES) <= _allowed_cookies() | {settings.SESSION_COOKIE_NAME}:
        return False
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    # Counting the messages reads them without marking them shown.
    if len(messages.get_messages(request)):
        return False
    # Staff may see what members do not (hidden profiles, unpublished organisations), and
    # editors get Wagtail's editing bar on every page: neither gets nor makes a shared copy.
    return not user.is_staff and not may_access_admin(user)


def served_page(request):
    """The Wagtail page that the page view served to ``request``, or None."""
    from wagtail.models import Page

    match = getattr(request, "resolver_match", None)
    if match is None or match.url_name != "wagtail_serve":
        return None
    # The view routed this request already; Wagtail keeps the answer on the request.
    path = match.args[0] if match.args else match.kwargs.get("path", "")
    route = Page.route_for_request(request, path)
    return route[0] if route else None


def account_links(request) -> str:
    """The account links of the site frame for ``request``'s visitor, rendered alone."""
    return render_to_string(ACCOUNT_TEMPLATE, request=request)


def _account_links_key(user_id, language: str) -> str:
    return f"pagecache:account:{user_id}:{language}"


def member_account_links(request) -> str:
    """The account links of ``request``'s member for the members' shared copies, with the
    CSRF placeholder in their sign-out form: kept per member and language until the member's
    name changes (``forget_account_links``), since drawing them (their profile read, the
    template) cost a shared page as much as everything else together (bench/README.md)."""
    key = _account_links_key(request.user.pk, translation.get_language() or "")
    links = cache.get(key)
    if links is None:
        setattr(request, ACCOUNT_DEFERRED, True)
        links = account_links(request)
        cache.set(key, links, ACCOUNT_LINKS_SECONDS)
    return links


def forget_account_links(sender, instance, update_fields=None, **kwargs) -> None:
    """A signal receiver: the kept account links of a member whose account or profile
    changed (their name is in them); a sign-in, which writes only last_login, keeps them."""
    if generations.saves_only(update_fields, frozenset({"last_login"})):
        return
    user_id = instance.pk if isinstance(instance, _user_model()) else instance.user_id
    cache.delete_many([_account_links_key(user_id, code) for code, _name in settings.LANGUAGES])


def _user_model():
    from django.contrib.auth import get_user_model

    return get_user_model()


def response_is_cacheable(request, response) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if api_generation_key(request.path) is not None:
        # JSON only: the browsable API's HTML holds a CSRF token and the visitor's name.
        if not response.get("Content-Type", "").startswith("application/json"):
            return False
    else:
        match = getattr(request, "resolver_match", None)
        if match is None:
            return False
        if match.url_name != "wagtail_serve" and match.view_name not in ANONYMOUS_VIEWS:
            return False
    if getattr(request, "is_preview", False):
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):  # a form with a CSRF token
        return False
    # Vary: Cookie alone is fine (every page reads the session to learn that the visitor
    # is anonymous, and only visitors without a session cookie get the copy).
    vary = {v.strip().lower() for v in cc_delim_re.split(response.get("Vary", "")) if v}
    if "*" in vary or "authorization" in vary:
        return False
    control = response.get("Cache-Control", "").lower()
    return not any(word in control for word in ("private", "no-store", "no-cache"))


def _key(
    request,
    generation_keys: tuple[str, ...],
    generations_now: tuple[int, ...],
    variant: str = "",
) -> str:
    # Accept is part of the key: the APIs answer JSON or the browsable HTML by it.
    where = "|".join(
        [
            request.get_host(),
            translation.get_language() or "",
            request.get_full_path(),
            request.META.get("HTTP_ACCEPT", ""),
        ]
    )
    digest = hashlib.sha256(where.encode()).hexdigest()
    space = "+".join(key.rsplit(":", 1)[-1] for key in generation_keys)
    if variant:
        space = f"{space}:{variant}"
    return f"pagecache:{space}:{':'.join(map(str, generations_now))}:{digest}"


def _stored(request, response) -> tuple:
    """What the cache keeps of ``response``: no cookie, no CSP header, no nonce."""
    body = response.content
    nonce = getattr(request, "csp_nonce", None)
    if nonce:
        body = body.replace(nonce.encode(), NONCE_PLACEHOLDER.encode())
    headers = [(k, v) for k, v in response.items() if k.lower() not in HEADER_HOP]
    return response.status_code, headers, body


def _rebuild(request, stored: tuple, *, account: str | None = None) -> HttpResponse:
    """The answer to ``request`` from a stored copy, with its nonce and, for a member's
    copy, their ``account`` links."""
    status, headers, body = stored
    nonce = getattr(request, "csp_nonce", None)
    if nonce:
        body = body.replace(NONCE_PLACEHOLDER.encode(), nonce.encode())
    if account is not None:
        body = body.replace(ACCOUNT_PLACEHOLDER.encode(), account.encode(), 1)
    response = HttpResponse(body if request.method == "GET" else b"", status=status)
    for name, value in headers:
        response[name] = value
    response["Content-Length"] = str(len(body))
    response["X-Page-Cache"] = "hit"
    return response


def deferred_csrf_token(request) -> dict:
    """A context processor: the pages drawn for the members' shared copy hold a placeholder
    where their forms' CSRF token goes, so a copy never holds the token of the member whose
    visit made it and the page stays shareable (``with_own_csrf_token`` fills it in)."""
    if getattr(request, ACCOUNT_DEFERRED, False):
        return {"csrf_token": CSRF_PLACEHOLDER}
    return {}


class AnonymousPageCacheMiddleware:
    """Serves anonymous visitors' Wagtail pages from the cache (module docstring).

    Sits after LocaleMiddleware (the key holds the active language) and before the
    middleware that reads the session or the user, which a cached answer skips.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = cache_seconds()
        if not seconds or not request_is_cacheable(request):
            return self.get_response(request)
        generation_keys = generation_keys_for(request)
        if generation_keys is None:
            return self.get_response(request)
        key = _key(request, generation_keys, generations.current_many(generation_keys))
        stored = cache.get(key)
        if stored is not None:
            return _rebuild(request, stored)
        response = self.get_response(request)
        if request.method == "GET" and response_is_cacheable(request, response):
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            cache.set(key, _stored(request, response), seconds)
        return response


def _member_test_answers(request, match, tests, generations_now) -> list[str] | None:
    """The copies a member gets of a shared view by its tests (a test may name one), or
    None when they must get the view itself. Kept per member and view until the view's
    generations or anyone's admin access change: what the tests ask (the member's own
    organisations, profile, requests, groups; a thread's privacy) is the data of those
    generations, and asking it cost a shared hit more than everything else."""
    arguments = sorted((name, str(value)) for name, value in match.kwargs.items())
    about = repr((match.view_name, arguments, request.user.pk, generations_now))
    key = "pagecache:member-tests:" + hashlib.sha256(about.encode()).hexdigest()
    kept = cache.get(key)
    if kept is not None:
        return None if kept is False else kept
    copies = []
    for test in tests:
        answer = test(request, **match.kwargs)
        if not answer:
            copies = None
            break
        if isinstance(answer, str):
            copies.append(answer)
    # False stands for "drawn for them": None is the cache's miss.
    cache.set(key, copies if copies is not None else False, cache_seconds())
    return copies


class MemberPageCacheMiddleware:
    """Serves signed-in members the pages that are the same for every member from one
    shared copy, with their own account links (module docstring).

    Sits after the middleware that signs members in, reads their messages and asks them to
    accept new terms: a copy is served only to a member who would get the page itself.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = cache_seconds()
        if not seconds or not member_request_is_cacheable(request):
            return self.get_response(request)
        shared = self._shared_copy(request)
        if shared is None:
            return self.get_response(request)
        generation_keys, generations_now, variant = shared
        key = _key(request, generation_keys, generations_now, variant)
        stored = cache.get(key)
        if stored is not None:
            return with_own_csrf_token(
                request, _rebuild(request, stored, account=member_account_links(request))
            )
        request._member_page_cache = True
        response = self.get_response(request)
        if not getattr(request, ACCOUNT_DEFERRED, False) or response.streaming:
            return response
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
        if request.method == "GET" and self._shareable(request, response):
            cache.set(key, _stored(request, response), seconds)
        # Only now does the member's own part join the page, with its CSRF token.
        response.content = response.content.replace(
            ACCOUNT_PLACEHOLDER.encode(), member_account_links(request).encode(), 1
        )
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))
        return with_own_csrf_token(request, response)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # Only Wagtail's pages and the views members share leave the account links out:
        # no other view's rendering of the frame (an e-mail, a fragment) can keep the
        # placeholder.
        if not getattr(request, "_member_page_cache", False):
            return None
        match = request.resolver_match
        if match.url_name == "wagtail_serve" or match.view_name in MEMBER_NEUTRAL_VIEWS:
            setattr(request, ACCOUNT_DEFERRED, True)
        return None

    @staticmethod
    def _shared_copy(request) -> tuple[tuple[str, ...], tuple[int, ...], str] | None:
        """The generations (their keys and values) and the key space of the members' copy
        of what ``request`` asks for, or None when this member must get the view itself: a
        Wagtail page (whose type decides after routing, in ``_shareable``) or a registered
        view whose tests this member passes."""
        match = _route(request)
        if match is None:
            return None
        if match.url_name == "wagtail_serve":
            return (GENERATION_KEY,), generations.current_many((GENERATION_KEY,)), MEMBER_VARIANT
        tests = MEMBER_NEUTRAL_VIEWS.get(match.view_name)
        generation_keys = ANONYMOUS_VIEWS.get(match.view_name)
        if tests is None or generation_keys is None:
            return None
        now = generations.current_many((*generation_keys, ADMIN_ACCESS_GENERATION_KEY))
        copies = _member_test_answers(request, match, tests, now)
        if copies is None:
            return None
        return generation_keys, now[: len(generation_keys)], ":".join([MEMBER_VARIANT, *copies])

    @staticmethod
    def _shareable(request, response) -> bool:
        if not response_is_cacheable(request, response):
            return False
        # A message added while the page was drawn is in it.
        if len(messages.get_messages(request)):
            return False
        if response.content.count(ACCOUNT_PLACEHOLDER.encode()) != 1:
            return False
        if request.resolver_match.view_name in MEMBER_NEUTRAL_VIEWS:
            return True
        page = served_page(request)
        return page is not None and getattr(page, "member_neutral", False) is True


def _invalidate_for_site_data(sender, created=False, **kwargs) -> None:
    # Snippets and settings of the site (menus, footer) appear on every page; pages
    # themselves count only when published, which page_published covers.
    from wagtail.models import Page

    if issubclass(sender, Page) or _is_default_settings_row(sender, created):
        return
    invalidate()


def _invalidate_for_deleted_page(sender, instance, **kwargs) -> None:
    from wagtail.models import Page

    if isinstance(instance, Page) and instance.live:
        invalidate()


def connect_receivers() -> None:
    """Wire what makes stored pages stale; called once from PagesConfig.ready()."""
    from django.apps import apps
    from django.db.models.signals import m2m_changed, post_delete, post_save
    from wagtail.models import PageViewRestriction, Site
    from wagtail.signals import page_published, page_unpublished, post_page_move

    from events.signals import event_changed, registration_changed, seats_changed

    uid = "pages.page_cache"
    page_published.connect(invalidate, dispatch_uid=f"{uid}.published")
    page_unpublished.connect(invalidate, dispatch_uid=f"{uid}.unpublished")
    post_page_move.connect(invalidate, dispatch_uid=f"{uid}.moved")
    post_delete.connect(_invalidate_for_deleted_page, dispatch_uid=f"{uid}.deleted")
    event_changed.connect(invalidate, dispatch_uid=f"{uid}.event")
    registration_changed.connect(invalidate, dispatch_uid=f"{uid}.registration")
    seats_changed.connect(invalidate, dispatch_uid=f"{uid}.seats")
    # Making a page private, or changing who may read it, is not publishing: the copies of
    # it (and of its subpages) must go at once, not when they expire.
    post_save.connect(invalidate, sender=PageViewRestriction, dispatch_uid=f"{uid}.vr.s")
    post_delete.connect(invalidate, sender=PageViewRestriction, dispatch_uid=f"{uid}.vr.d")
    m2m_changed.connect(
        invalidate, sender=PageViewRestriction.groups.through, dispatch_uid=f"{uid}.vr.m"
    )
    for model in [Site, *apps.get_app_config("club").get_models()]:
        post_save.connect(_invalidate_for_site_data, sender=model, dispatch_uid=f"{uid}.{model}")
        post_delete.connect(
            _invalidate_for_site_data, sender=model, dispatch_uid=f"{uid}.d.{model}"
        )
    for model in (_user_model(), apps.get_model("members", "MemberProfile")):
        for signal, name in ((post_save, "s"), (post_delete, "d")):
            signal.connect(
                forget_account_links, sender=model, dispatch_uid=f"{uid}.account{name}.{model}"
            )
    # The organisations API shows organisations with their sectors, tags and labels, all
    # rows of the members app (sectors and tags through its many-to-many tables).
    register_site_views()
    for model in apps.get_app_config("members").get_models(include_auto_created=True):
        for signal, name in ((post_save, "s"), (post_delete, "d"), (m2m_changed, "m")):
            signal.connect(
                invalidate_organisations, sender=model, dispatch_uid=f"{uid}.o{name}.{model}"
            )


def register_site_views() -> None:
    """The directory, partner search, site search and forum views whose anonymous answers
    are kept and which members share; partner requests and the awards register their own
    (they sit above pages)."""
    from forum import models as forum_models
    from forum.site import forum_page_copy
    from members.selectors import (
        member_page_copy,
        organisation_page_copy,
        sees_members_as_every_member,
        sees_organisations_as_every_member,
    )
    from search.engines.database import INDEX_GENERATION_KEY

    members = ORGANISATIONS_GENERATION_KEY
    for name in (
        "members:organisation_list",
        "members:organisation_detail",
        "members:member_list",
        "members:member_detail",
        "members:register_index",
        "members:register",
    ):
        cache_anonymous_view(name, members)
    cache_anonymous_view("search:partners", members, INDEX_GENERATION_KEY)
    # What of these a member sees is what every member sees, but for their own unpublished
    # organisations and hidden profile fields: the members whose own are in the list get it
    # drawn for them. Partner search finds published organisations only.
    share_view_between_members(
        "members:organisation_list",
        lambda request: sees_organisations_as_every_member(request.user),
    )
    for name in ("members:member_list", "members:register"):
        share_view_between_members(
            name, lambda request, **kwargs: sees_members_as_every_member(request.user)
        )
    share_view_between_members("members:register_index")
    share_view_between_members("search:partners")
    # A profile's or an organisation's page: one copy for its followers and one for the
    # others, unless it shows the member something of their own (members.selectors).
    share_view_between_members(
        "members:member_detail",
        lambda request, pk: member_page_copy(user=request.user, profile_id=pk),
    )
    share_view_between_members(
        "members:organisation_detail",
        lambda request, slug: organisation_page_copy(user=request.user, slug=slug),
    )
    cache_anonymous_view(
        "search:site_search", GENERATION_KEY, members, INDEX_GENERATION_KEY, FORUM_GENERATION_KEY
    )
    for name in ("forum:index", "forum:category", "forum:thread"):
        cache_anonymous_view(name, FORUM_GENERATION_KEY, members)
    # Members share the forum's pages but for moderators, hidden profiles and private
    # conversations; each member's own parts are filled in as a page is served
    # (forum.site).
    share_view_between_members("forum:index", lambda request: forum_page_copy(request.user))
    share_view_between_members(
        "forum:category", lambda request, slug: forum_page_copy(request.user)
    )
    share_view_between_members(
        "forum:thread", lambda request, pk: forum_page_copy(request.user, thread_id=pk)
    )
    # What readers see of the forum; read marks, subscriptions and notifications are each
    # member's own (filled in per visit), so they leave the generation alone.
    generations.advance_on_change(
        FORUM_GENERATION_KEY,
        [
            forum_models.Category,
            forum_models.Thread,
            forum_models.ThreadParticipant,
            forum_models.Post,
            forum_models.PostRevision,
            forum_models.Reaction,
            forum_models.Flag,
        ],
    )
