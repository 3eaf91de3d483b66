"""The main menu: what editors set in the admin (Settings > Main menu), in the visitor's
language, or the club's default menu while they have set none."""

from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.models import Site

from pages.models import NavigationSettings

#: The menu of a site whose editors have not set one: label and English path.
DEFAULT_MENU = (
    (_("News"), "/news/"),
    # "About" alone is the "About me" of a profile in the catalogues.
    (pgettext_lazy("main menu", "About"), "/about/"),
    (_("Events"), "/events/"),
    (_("Forum"), "/forum/"),
    (_("Organisations"), "/organisations/"),
    (_("Members"), "/members/"),
    (_("Partner search"), "/partners/"),
)


def localized_path(path: str, language: str) -> str:
    """``path`` (an English address of the site, e.g. "/forum/?x=1") in ``language``:
    "/de/forum/?x=1". Addresses the site does not route stay as they are."""
    with translation.override(settings.LANGUAGE_CODE):
        return translate_url(path, language)


def _resolved(links, request, language) -> list[dict]:
    """``{"label", "url"}`` for each link whose target the visitor can reach."""
    items = []
    for item in links:
        if item.link_page is not None:
            page = item.link_page.localized.specific_deferred
            url = page.get_url(request=request) if page.live else None
        else:
            url = localized_path(item.link_path, language)
        if url:
            items.append({"label": item.label, "url": url})
    return items


def _settings_for(request) -> NavigationSettings | None:
    site = Site.find_for_request(request) if request is not None else None
    return NavigationSettings.for_site(site) if site is not None else None


def menu_items(request) -> list[dict]:
    """``{"label", "url"}`` for each item of the menu, in the active language."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    menu = _settings_for(request)
    items = []
    if menu is not None:
        links = menu.menu_items.select_related("link_page").order_by("sort_order")
        items = _resolved(links, request, language)
    if not items and (menu is None or not menu.menu_items.exists()):
        items = [
            {"label": str(label), "url": localized_path(path, language)}
            for label, path in DEFAULT_MENU
        ]
    return items


def footer_links(request) -> list[dict]:
    """``{"label", "url"}`` for each of the footer's links, in the active language."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    menu = _settings_for(request)
    if menu is None:
        return []
    links = menu.footer_links.select_related("link_page").order_by("sort_order")
    return _resolved(links, request, language)
