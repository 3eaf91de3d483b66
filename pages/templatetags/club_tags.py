"""Template tags of the site frame: the footer and the language switcher."""

from django import template
from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe
from wagtail.models import Page, Site

from caching import generations
from pages.models import ClubSettings, Partner, PartnerRole, SuccessorEntity
from pages.page_cache import GENERATION_KEY

register = template.Library()


#: Seconds a rendered footer is kept; any change to the site's pages, snippets or settings
#: starts a new generation of the page cache, and with it a new footer, at once.
FOOTER_SECONDS = 3600


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
        "club_settings": club_settings,
        "successors": list(SuccessorEntity.objects.all()),
        "funders": [p for p in partners if p.role == PartnerRole.FUNDER],
        "consortium": [p for p in partners if p.role == PartnerRole.CONSORTIUM],
    }


@register.inclusion_tag("club/includes/language_switcher.html", takes_context=True)
def language_switcher(context):
    """Links to this page in the other languages it is published in."""
    page = context.get("page")
    current = translation.get_language()
    names = dict(settings.LANGUAGES)
    links = []
    if isinstance(page, Page) and page.pk:
        translations = page.get_translations(inclusive=True).live().select_related("locale")
        for translated in translations:
            code = translated.locale.language_code
            url = translated.get_url(request=context.get("request"))
            if url and code in names:
                name = translation.get_language_info(code)["name_local"]
                links.append({"code": code, "name": name, "url": url})
    links.sort(key=lambda link: list(names).index(link["code"]))
    return {"links": links if len(links) > 1 else [], "current": current}
