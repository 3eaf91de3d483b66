"""Sections that apps above this one add to the home page, without this app importing
them (partner requests add the newest requests).

Each section is ``section(request, home_page) -> str``: safe HTML, or "" to show nothing.
Apps append theirs in ``AppConfig.ready``. The home page is cached for anonymous visitors
like every page (``pages.page_cache``), so a section costs its queries once per period.
"""

home_sections: list = []


def render_home_sections(request, home_page) -> list[str]:
    """The sections' HTML as ``request``'s user sees it, empty ones left out."""
    return [html for section in home_sections if (html := section(request, home_page))]
