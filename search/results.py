"""Turning engine hits into what the API and the HTML pages show.

Engines return primary keys and scores; the rows are read here in a constant number of
queries (whatever the page size), and only published organisations are shown, so an index
that lags behind an unpublish can never bring one back.
"""

from collections import defaultdict

from django.conf import settings

from members.models import Organisation, QualityLabel, TaggedOrganisationTechnology
from search.engines.base import PartnerHit, country_names
from search.indexing import OrganisationData, current_label_filter
from search.ranking import like_match
from translating import in_active_language


def organisation_path(slug: str) -> str:
    return f"/organisations/{slug}/"


def absolute_url(path: str, request=None) -> str:
    if request is not None:
        return request.build_absolute_uri(path)
    return f"{settings.SITE_URL}{path}"


def explain_like(like: OrganisationData, sectors: dict, technologies: dict, country: str) -> dict:
    """Which sectors and technologies (``{slug: name}``) an organisation shares with (or
    adds to) ``like``, by the rule it was ranked by (``search.ranking``)."""
    match = like_match(
        like, sectors=list(sectors), technologies=list(technologies), country=country
    )
    return {
        "shared_sectors": [sectors[slug] for slug in match.shared_sectors],
        "shared_technologies": [technologies[slug] for slug in match.shared_technologies],
        "complementary_sectors": [sectors[slug] for slug in match.complementary_sectors],
        "complementary_technologies": [
            technologies[slug] for slug in match.complementary_technologies
        ],
        "other_country": match.other_country,
    }


def organisation_results(
    hits: list[PartnerHit], *, request=None, like: OrganisationData | None = None
) -> list[dict]:
    """The organisations of ``hits`` as API dicts, in the hits' order.

    Four queries of plain values: building model instances and prefetch querysets for a
    page cost more Python time than the search itself (bench/README.md).
    """
    pks = [hit.pk for hit in hits]
    if not pks:
        return []
    rows = {
        row["pk"]: row
        for row in Organisation.objects.published().filter(pk__in=pks).values(*_RESULT_FIELDS)
    }
    sectors = _names_by_organisation(
        Organisation.sectors.through.objects.filter(organisation_id__in=rows)
        .annotate(sector_name=in_active_language("sector__name"))
        .values_list("organisation_id", "sector__slug", "sector_name")
    )
    technologies = _names_by_organisation(
        TaggedOrganisationTechnology.objects.filter(content_object_id__in=rows).values_list(
            "content_object_id", "tag__slug", "tag__name"
        )
    )
    labels = {}
    for owner, level in (
        QualityLabel.objects.filter(organisation_id__in=rows, **current_label_filter())
        .order_by("organisation_id", "-level_rank")
        .values_list("organisation_id", "level")
    ):
        labels.setdefault(owner, level)
    country_name = country_names({row["country"] for row in rows.values()})
    results = []
    for hit in hits:
        row = rows.get(hit.pk)
        if row is None:
            continue
        country = row["country"]
        result = {
            "slug": row["slug"],
            "name": row["name"],
            "url": absolute_url(organisation_path(row["slug"]), request),
            "kind": row["kind"],
            "country": country,
            "country_name": country_name[country],
            "city": row["city"],
            "region": row["region"],
            "website": row["website"],
            "description": row["description"],
            "sectors": [{"slug": slug, "name": name} for slug, name in sectors[hit.pk].items()],
            "technologies": [
                {"slug": slug, "name": name} for slug, name in technologies[hit.pk].items()
            ],
            "label": labels.get(hit.pk),
            "score": hit.score,
        }
        if like is not None:
            result["match"] = explain_like(like, sectors[hit.pk], technologies[hit.pk], country)
        results.append(result)
    return results


def _names_by_organisation(rows) -> dict[int, dict[str, str]]:
    """``{organisation: {slug: name}}`` in the order of the names (sorted here, not by the
    database's collation, so that every database lists them alike)."""
    listed = defaultdict(list)
    for owner, slug, name in rows:
        listed[owner].append((name, slug))
    named = defaultdict(dict)
    for owner, pairs in listed.items():
        named[owner] = {slug: name for name, slug in sorted(pairs)}
    return named


_RESULT_FIELDS = (
    "pk",
    "slug",
    "name",
    "kind",
    "country",
    "city",
    "region",
    "website",
    "description",
)


def facets_payload(facets) -> dict:
    return {
        facet: [{"value": v.value, "count": v.count, "name": v.name} for v in values]
        for facet, values in facets.items()
    }
