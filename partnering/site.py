"""Partner requests where other apps show things: site search, and an organisation's page.

Both are registered in ``PartneringConfig.ready`` (search and members sit below this app
and do not import it).
"""

from django.db.models import Q
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from partnering.models import Interest, PartnerRequest
from search.highlight import highlight
from search.results import absolute_url
from search.site import Group
from search.text import words


def site_search_requests(text, user, request, offset, limit) -> Group:
    """Published requests ``user`` may see whose words match ``text``, open first."""
    from partnering.selectors import RequestParams, filter_requests, listed_requests

    found = filter_requests(listed_requests(user), RequestParams(text=text))
    results = [
        {
            "title": item.title,
            "url": absolute_url(item.get_absolute_url(), request),
            "title_highlight": highlight(item.title, text),
            "highlight": highlight(item.description, text),
            "status": item.status,
            "deadline": item.deadline.isoformat(),
        }
        for item in found[offset : offset + limit]
    ]
    return Group("requests", _("Partner requests"), found.count() if words(text) else 0, results)


def organisation_panel(request, organisation) -> str:
    """The organisation's published requests, and the partnerships found through requests
    that both sides agreed to show."""
    from partnering.selectors import listed_requests

    requests = list(listed_requests(request.user).filter(organisation=organisation)[:10])
    partnerships = list(
        Interest.objects.filter(
            Q(request__organisation=organisation) | Q(organisation=organisation),
            status=Interest.Status.PARTNER,
            shown_by_author=True,
            shown_by_partner=True,
            request__hidden=False,
        ).select_related("organisation", "request__organisation")
    )
    if not requests and not partnerships:
        return ""
    shown = []
    for interest in partnerships:
        other = (
            interest.organisation
            if interest.request.organisation_id == organisation.pk
            else interest.request.organisation
        )
        shown.append({"request": interest.request, "partner": other})
    return render_to_string(
        "partnering/_organisation_panel.html",
        {
            "organisation": organisation,
            "partner_requests": requests,
            "partnerships": shown,
            "open_status": PartnerRequest.Status.OPEN,
        },
        request=request,
    )


REQUESTS_ON_HOME = 4


def home_section(request, home_page) -> str:
    """The newest open partner requests, for the home page: those everyone sees, so that
    the page is the same for every member (``HomePage.member_neutral``)."""
    requests = list(
        PartnerRequest.objects.public()
        .filter(status=PartnerRequest.Status.OPEN)
        .select_related("organisation__logo")
        .prefetch_related("organisation__logo__renditions")
        .order_by("-created", "-pk")[:REQUESTS_ON_HOME]
    )
    return render_to_string(
        "partnering/_home_requests.html", {"partner_requests": requests}, request=request
    )
