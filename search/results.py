"""Turning engine hits into what the API and the HTML pages show.

Engines return primary keys and scores; the rows are read here in a constant number of
queries (whatever the page size), and only published organisations are shown, so an index
that lags behind an unpublish can never bring one back.
"""

from django.conf import settings
from django.db.models import Prefetch

from members.models import Organisation, QualityLabel
from search.engines.base import PartnerHit
from search.indexing import OrganisationData, current_label_filter


def organisation_path(slug: str) -> str:
    return f"/organisations/{slug}/"


def absolute_url(path: str, request=None) -> str:
    if request is not None:
        return request.build_absolute_uri(path)
    return f"{settings.SITE_URL}{path}"


def explain_like(like: OrganisationData, sectors: dict, technologies: dict, country) -> dict:
    """Which sectors and technologies an organisation shares with (or adds to) ``like``."""
    shared_sectors = [name for slug, name in sectors.items() if slug in like.sector_slugs]
    shared_technologies = [
        name for slug, name in technologies.items() if slug in like.technology_slugs
    ]
    return {
        "shared_sectors": shared_sectors,
        "shared_technologies": shared_technologies,
        # The same technology applied in sectors ``like`` is not in, and other
        # technologies in a shared sector: what a partner would bring.
        "complementary_sectors": [
            name for slug, name in sectors.items() if slug not in like.sector_slugs
        ]
        if shared_technologies
        else [],
        "complementary_technologies": [
            name for slug, name in technologies.items() if slug not in like.technology_slugs
        ]
        if shared_sectors
        else [],
        "other_country": str(country) != like.country,
    }


def organisation_results(
    hits: list[PartnerHit], *, request=None, like: OrganisationData | None = None
) -> list[dict]:
    """The organisations of ``hits`` as API dicts, in the hits' order."""
    organisations = Organisation.objects.published().filter(pk__in=[hit.pk for hit in hits])
    organisations = organisations.prefetch_related(
        "sectors",
        "tagged_technologies__tag",
        Prefetch(
            "labels",
            queryset=QualityLabel.objects.filter(**current_label_filter()).order_by("-level_rank"),
            to_attr="current_labels",
        ),
    )
    by_pk = {organisation.pk: organisation for organisation in organisations}
    results = []
    for hit in hits:
        organisation = by_pk.get(hit.pk)
        if organisation is None:
            continue
        sectors = {s.slug: s.name for s in sorted(organisation.sectors.all(), key=lambda s: s.name)}
        technologies = {
            item.tag.slug: item.tag.name
            for item in sorted(organisation.tagged_technologies.all(), key=lambda i: i.tag.name)
        }
        label = organisation.current_labels[0].level if organisation.current_labels else None
        result = {
            "slug": organisation.slug,
            "name": organisation.name,
            "url": absolute_url(organisation_path(organisation.slug), request),
            "kind": organisation.kind,
            "country": str(organisation.country),
            "country_name": str(organisation.country.name or ""),
            "city": organisation.city,
            "region": organisation.region,
            "website": organisation.website,
            "description": organisation.description,
            "sectors": [{"slug": slug, "name": name} for slug, name in sectors.items()],
            "technologies": [{"slug": slug, "name": name} for slug, name in technologies.items()],
            "label": label,
            "score": hit.score,
        }
        if like is not None:
            result["match"] = explain_like(like, sectors, technologies, organisation.country)
        results.append(result)
    return results


def facets_payload(facets) -> dict:
    return {
        facet: [{"value": v.value, "count": v.count, "name": v.name} for v in values]
        for facet, values in facets.items()
    }
