"""Which organisations fit a partner request, and why.

A request is ranked as partner search ranks "partners like this one" (``search.ranking``):
the request stands in for the organisation whose partners are sought, with the sectors and
technologies it seeks and the country of the organisation it is made for. Organisations
sharing a sought sector or technology are listed, those in other countries first, and the
countries sought (if any) filter them. The configured search engine answers, so the
Elasticsearch engine and the database engines rank a request the same way.
"""

from dataclasses import dataclass

from django.conf import settings

from members.models import Organisation
from search.engines.base import search_engine
from search.indexing import OrganisationData
from search.results import organisation_results


@dataclass(frozen=True)
class RankedOrganisation:
    organisation_id: int
    score: float
    reasons: dict
    result: dict


def request_like(partner_request) -> OrganisationData:
    """The request as the "like" organisation of a partner search."""
    organisation = partner_request.organisation
    return OrganisationData(
        pk=organisation.pk if organisation else 0,
        slug=organisation.slug if organisation else "",
        name=partner_request.title,
        country=str(organisation.country) if organisation else "",
        country_name="",
        city="",
        region="",
        description="",
        sector_slugs=sorted(partner_request.sectors.values_list("slug", flat=True)),
        technology_slugs=sorted(partner_request.technologies.values_list("slug", flat=True)),
    )


def excluded_organisations(partner_request) -> set[int]:
    """The organisations of the request's own side: never matched to it."""
    excluded = set()
    if partner_request.organisation_id:
        excluded.add(partner_request.organisation_id)
    if partner_request.author_id:
        excluded |= set(
            Organisation.objects.filter(co_admins=partner_request.author_id).values_list(
                "pk", flat=True
            )
        )
    return excluded


def rank_organisations(partner_request, *, limit: int | None = None) -> list[RankedOrganisation]:
    """The best ``limit`` (PARTNER_REQUEST_MATCHES) published organisations for
    ``partner_request``, best first, each with its reasons: ``sectors``, ``technologies``
    and ``countries`` that matched what is sought, the ``complementary_sectors`` and
    ``complementary_technologies`` it would bring, and ``other_country``."""
    limit = limit or settings.PARTNER_REQUEST_MATCHES
    like = request_like(partner_request)
    if not (like.sector_slugs or like.technology_slugs):
        return []
    countries = tuple(partner_request.country_codes())
    excluded = excluded_organisations(partner_request)
    found = search_engine().partner_search(
        text="",
        filters={"country": countries} if countries else {},
        page=1,
        page_size=min(100, limit + len(excluded)),
        like=like,
    )
    hits = [hit for hit in found.hits if hit.pk not in excluded][:limit]
    ranked = []
    by_slug = {hit.pk: hit for hit in hits}
    results = organisation_results(hits, like=like)
    slugs = dict(Organisation.objects.filter(pk__in=by_slug).values_list("slug", "pk"))
    for result in results:
        match = result.pop("match")
        reasons = {
            "sectors": match["shared_sectors"],
            "technologies": match["shared_technologies"],
            "countries": [result["country_name"]] if result["country"] in countries else [],
            "complementary_sectors": match["complementary_sectors"],
            "complementary_technologies": match["complementary_technologies"],
            "other_country": bool(like.country) and match["other_country"],
        }
        ranked.append(
            RankedOrganisation(
                organisation_id=slugs[result["slug"]],
                score=result["score"],
                reasons=reasons,
                result=result,
            )
        )
    return ranked
