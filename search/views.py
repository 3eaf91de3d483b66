"""HTML pages of search: partner search (/partners/) and site search (/search/)."""

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.translation import gettext as _

from members.europe_map import europe_map
from search.engines.base import FACETS, search_engine
from search.params import parse_paging, parse_partner_params
from search.results import facets_payload, organisation_path, organisation_results
from search.site import KINDS, promotions
from search.text import clean_query, first_words, words

FACET_TITLES = {
    "country": _("Country"),
    "sector": _("Sector"),
    "technology": _("Technology"),
    "label": _("Quality label"),
}


def page_url(request, page: int) -> str:
    """This page's address with ``page`` replaced (page 1 drops the parameter)."""
    params = request.GET.copy()
    params.pop("page", None)
    if page > 1:
        params["page"] = str(page)
    return f"?{params.urlencode()}" if params else request.path


def paging(request, *, page: int, page_size: int, count: int) -> dict:
    pages = max(1, -(-count // page_size))
    return {
        "number": page,
        "pages": pages,
        "previous_url": page_url(request, page - 1) if page > 1 else None,
        "next_url": page_url(request, page + 1) if page < pages else None,
    }


#: Values of a facet listed before its "More" fold.
FACET_VALUES_SHOWN = 10


def _with_country(query, code: str) -> str:
    """``query`` (a QueryDict) with its countries replaced by ``code``, from page one."""
    params = query.copy()
    params.pop("page", None)
    params.setlist("country", [code])
    return params.urlencode()


def partner_search(request):
    """Facet checkboxes with counts, paged results linking to the organisations' profiles."""
    try:
        params = parse_partner_params(request.GET)
    except ValidationError as error:
        return render(
            request,
            "search/partners.html",
            {"errors": error.message_dict, "q": request.GET.get("q", "")[:200]},
            status=400,
        )
    found = search_engine().partner_search(
        text=params.text,
        filters=params.filters,
        page=params.page,
        page_size=params.page_size,
        like=params.like,
    )
    results = organisation_results(found.hits, request=request, like=params.like)
    for result in results:
        result["path"] = organisation_path(result["slug"])
    facets = facets_payload(found.facets)
    # The map shows the country facet's own counts; each country narrows this search to it.
    country_map = europe_map(
        {value["value"]: value["count"] for value in facets["country"]},
        link=lambda code: f"{request.path}?{_with_country(request.GET, code)}",
    )
    facet_groups = []
    for facet in FACETS:
        values = [
            {**value, "checked": value["value"] in params.filters.get(facet, ())}
            for value in facets[facet]
        ]
        # The most frequent values first, the rest (up to the engine's top values) folded
        # under "More", checked ones always in view.
        shown = [v for i, v in enumerate(values) if i < FACET_VALUES_SHOWN or v["checked"]]
        more = [v for i, v in enumerate(values) if i >= FACET_VALUES_SHOWN and not v["checked"]]
        facet_groups.append(
            {"name": facet, "title": FACET_TITLES[facet], "values": shown, "more": more}
        )
    return render(
        request,
        "search/partners.html",
        {
            "q": params.text,
            "like": params.like,
            "like_slug": params.like_slug,
            "count": found.count,
            "results": results,
            "facets": facet_groups,
            "map": country_map,
            "paging": paging(
                request, page=params.page, page_size=params.page_size, count=found.count
            ),
        },
    )


def site_search(request):
    """Results grouped by kind; ``?kind=`` lists one kind page by page."""
    try:
        text = first_words(clean_query(request.GET.get("q")))
        page, page_size = parse_paging(request.GET)
    except ValidationError as error:
        return render(request, "search/search.html", {"errors": error.message_dict}, status=400)
    kind = request.GET.get("kind")
    if kind not in KINDS:
        kind = None
    context = {"q": text, "kind": kind, "kinds": KINDS}
    if words(text):
        if kind:
            (group,) = search_engine().site_search(
                text=text,
                user=request.user,
                request=request,
                kinds=[kind],
                offset=(page - 1) * page_size,
                limit=page_size,
            )
            context["groups"] = [group]
            context["paging"] = paging(request, page=page, page_size=page_size, count=group.count)
        else:
            context["groups"] = search_engine().site_search(
                text=text, user=request.user, request=request
            )
            context["promotions"] = promotions(text, request)
    return render(request, "search/search.html", context)
