"""Template tags of the site frame: the footer and the language switcher."""

from django import template
from django.conf import settings
from django.utils import translation
from wagtail.models import Page, Site

from pages.models import ClubSettings, Partner, PartnerRole, SuccessorEntity

register = template.Library()


@register.inclusion_tag("club/includes/footer.html", takes_context=True)
def club_footer(context):
    request = context.get("request")
    # A request for a host no Wagtail site answers (or a database without sites) still
    # gets the page, with an empty contact block rather than a 500.
    site = Site.find_for_request(request) if request is not None else None
    club_settings = ClubSettings.for_site(site) if site is not None else None
    partners = list(Partner.objects.all())
    return {
        "club_settings": club_settings,
        "successors": SuccessorEntity.objects.all(),
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
