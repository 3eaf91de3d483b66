"""Template tags of the site frame: the main menu, the account links, the footer and the
language switcher."""

from django import template
from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import translate_url
from django.utils import translation
from django.utils.safestring import mark_safe
from wagtail.admin.templatetags.wagtailuserbar import wagtailuserbar
from wagtail.models import Page, Site

from accounts.services import may_access_admin
from caching import generations, member_parts
from pages.models import ClubSettings, Partner, PartnerRole, SuccessorEntity
from pages.navigation import footer_links, menu_items
from pages.page_cache import (
    ACCOUNT_DEFERRED,
    ACCOUNT_PLACEHOLDER,
    ACCOUNT_TEMPLATE,
    GENERATION_KEY,
)
from pages.page_cache import account_links as render_account_links

register = template.Library()


#: Seconds a rendered footer is kept; any change to the site's pages, snippets or settings
#: starts a new generation of the page cache, and with it a new footer, at once.
FOOTER_SECONDS = 3600


@register.simple_tag(takes_context=True)
def main_menu(context):
    """The main menu's links, cached like the footer: editors' changes to the menu start a
    new generation of the page cache."""
    request = context.get("request")
    host = request.get_host() if request is not None else ""
    key = f"menu:{generations.current(GENERATION_KEY)}:{host}:{translation.get_language()}"
    html = cache.get(key)
    if html is None:
        html = render_to_string("club/includes/main_menu.html", {"items": menu_items(request)})
        cache.set(key, html, FOOTER_SECONDS)
    return mark_safe(html)  # noqa: S308 - rendered by the template above, autoescaped


@register.simple_tag(takes_context=True)
def account_links(context):
    """The visitor's name and sign-out form, or Sign in and Join: the one part of the frame
    that differs from one member to another, kept in a template of its own so that it can
    be rendered alone. On a page that members share, a placeholder stands in for them
    until the member page cache fills in the member's own (pages/page_cache.py)."""
    request = context.get("request")
    if request is None:
        return render_to_string(ACCOUNT_TEMPLATE, {"user": context.get("user")})
    if getattr(request, ACCOUNT_DEFERRED, False):
        return mark_safe(ACCOUNT_PLACEHOLDER)  # noqa: S308 - a constant
    return render_account_links(request)


@register.simple_tag(takes_context=True)
def club_footer(context):
    """The footer (successors, funders, consortium, contact): the same for every visitor
    of a host in a language, so it is rendered once per generation of the page cache and
    served from the cache to signed-in members too, whose pages are never cached whole."""
    request = context.get("request")
    host = request.get_host() if request is not None else ""
    key = f"footer:{generations.current(GENERATION_KEY)}:{host}:{translation.get_language()}"
    html = cache.get(key)
    if html is None:
        html = render_to_string("club/includes/footer.html", footer_context(request))
        cache.set(key, html, FOOTER_SECONDS)
    return mark_safe(html)  # noqa: S308 - rendered by the template above, autoescaped


def footer_context(request) -> dict:
    # A request for a host no Wagtail site answers (or a database without sites) still
    # gets the page, with an empty contact block rather than a 500.
    site = Site.find_for_request(request) if request is not None else None
    club_settings = ClubSettings.for_site(site) if site is not None else None
    partners = list(Partner.objects.all())
    return {
        "links": footer_links(request),
        "club_settings": club_settings,
        "successors": list(SuccessorEntity.objects.all()),
        "funders": [p for p in partners if p.role == PartnerRole.FUNDER],
        "consortium": [p for p in partners if p.role == PartnerRole.CONSORTIUM],
    }


def language_links(context) -> list[dict]:
    """This page in each language it exists in: ``{"code", "name", "url"}``, in the order
    of LANGUAGES; empty when it exists in one language only.

    A Wagtail page links to its published translations; every other page of the site (the
    forum, directories, search, registration, sign-in) exists under each language prefix,
    so it links to the same path there, with the same query.
    """
    page = context.get("page")
    request = context.get("request")
    if context.get("error_page"):
        return []
    # The switcher and the <head>'s alternates both ask, and a page's translations cost a
    # query and a URL each: worked out once per request and page, handed out as copies
    # (the alternates make their URLs absolute).
    memo_for = (page.pk if isinstance(page, Page) else None, id(request))
    memo = getattr(request, "_club_language_links", None)
    if memo is None or memo[0] != memo_for:
        memo = (memo_for, _language_links(page, request))
        if request is not None:
            request._club_language_links = memo
    return [dict(link) for link in memo[1]]


def _language_links(page, request) -> list[dict]:
    names = dict(settings.LANGUAGES)
    links = {}
    if isinstance(page, Page) and page.pk:
        translations = page.get_translations(inclusive=True).live().select_related("locale")
        for translated in translations:
            code = translated.locale.language_code
            url = translated.get_url(request=request)
            if url and code in names:
                links[code] = url
    elif request is not None:
        current_path = request.get_full_path()
        for code in names:
            links[code] = translate_url(current_path, code)
    if len(set(links.values())) < 2:
        return []
    return [
        {"code": code, "name": translation.get_language_info(code)["name_local"], "url": url}
        for code, url in sorted(links.items(), key=lambda item: list(names).index(item[0]))
    ]


@register.inclusion_tag("club/includes/language_switcher.html", takes_context=True)
def language_switcher(context):
    """Links to this page in the other languages."""
    return {"links": language_links(context), "current": translation.get_language()}


@register.inclusion_tag("club/includes/language_alternates.html", takes_context=True)
def language_alternates(context):
    """``<link rel="alternate" hreflang>`` for each language of this page, and English as
    the default for other languages, so that search engines show each reader theirs."""
    request = context.get("request")
    links = language_links(context)
    for link in links:
        link["url"] = request.build_absolute_uri(link["url"]) if request else link["url"]
    default = next((link for link in links if link["code"] == settings.LANGUAGE_CODE), None)
    return {"links": links, "default": default}


@register.simple_tag(takes_context=True)
def club_userbar(context):
    """Wagtail's userbar for those who may open the admin; for everybody else nothing, known
    without the two permission queries that Wagtail's own tag makes on every page."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not may_access_admin(user):
        return ""
    return wagtailuserbar(context)


@register.simple_tag
def member_part(name, *arguments):
    """Where a part of the page that is the visitor's own goes (``caching.member_parts``):
    filled in for each visitor as the page is served, so the rest can be shared."""
    return mark_safe(member_parts.placeholder(name, *arguments))  # noqa: S308 - ids and slugs only (checked)
