"""Panels that apps above this one add to an organisation's page, without this app
importing them (partner requests add the organisation's open requests and partnerships).

Each panel is ``panel(request, organisation) -> str``: safe HTML, or "" to show nothing.
Apps append theirs in ``AppConfig.ready``.
"""

organisation_panels: list = []


def render_organisation_panels(request, organisation) -> list[str]:
    """The panels' HTML for ``organisation`` as ``request``'s user sees it, empty ones left
    out."""
    return [html for panel in organisation_panels if (html := panel(request, organisation))]
