"""What an organisation looks like to a search engine, shared by both engines."""

from dataclasses import dataclass, field

from django.utils import timezone

from members.models import Organisation, QualityLabel
from search.text import index_text

#: What a complete profile has; each filled item counts equally towards completeness.
COMPLETENESS_CHECKS = (
    lambda o, d: len(o.description) >= 80,
    lambda o, d: bool(o.website),
    lambda o, d: bool(o.city),
    lambda o, d: bool(o.region),
    lambda o, d: bool(o.logo_id),
    lambda o, d: bool(d.sector_slugs),
    lambda o, d: bool(d.technology_slugs),
    lambda o, d: bool(o.contact_email),
    lambda o, d: bool(o.year_founded),
    lambda o, d: o.eccp_validation == Organisation.EccpValidation.VALIDATED,
)


@dataclass
class OrganisationData:
    """The searchable view of one organisation (names are display names, not folded)."""

    pk: int
    slug: str
    name: str
    country: str
    country_name: str
    city: str
    region: str
    description: str
    sector_slugs: list[str] = field(default_factory=list)
    sector_names: list[str] = field(default_factory=list)
    technology_slugs: list[str] = field(default_factory=list)
    technology_names: list[str] = field(default_factory=list)
    value_chains: list[str] = field(default_factory=list)
    labels: list[dict] = field(default_factory=list)
    completeness: int = 0

    @property
    def topics(self) -> str:
        return index_text(" ".join(self.sector_names + self.technology_names + self.value_chains))

    @property
    def body(self) -> str:
        return index_text(" ".join([self.description, self.city, self.region, self.country_name]))

    @property
    def keywords(self) -> str:
        return index_text(" ".join([self.name, self.topics, self.city, self.region]))


def searchable_organisations():
    """Published organisations with what indexing reads, in a constant number of queries."""
    return Organisation.objects.published().prefetch_related(
        "sectors", "tagged_technologies__tag", "tagged_value_chains__tag", "labels"
    )


def organisation_data(organisation: Organisation) -> OrganisationData:
    """The searchable view of ``organisation`` (prefetched by ``searchable_organisations``)."""
    sectors = sorted(organisation.sectors.all(), key=lambda s: s.name)
    technologies = sorted(
        (item.tag for item in organisation.tagged_technologies.all()), key=lambda t: t.name
    )
    data = OrganisationData(
        pk=organisation.pk,
        slug=organisation.slug,
        name=organisation.name,
        country=str(organisation.country),
        country_name=str(organisation.country.name or ""),
        city=organisation.city,
        region=organisation.region,
        description=organisation.description,
        sector_slugs=[s.slug for s in sectors],
        sector_names=[s.name for s in sectors],
        technology_slugs=[t.slug for t in technologies],
        technology_names=[t.name for t in technologies],
        value_chains=[item.tag.name for item in organisation.tagged_value_chains.all()],
        labels=[
            {"level": label.level, "awarded_on": label.awarded_on, "valid_until": label.valid_until}
            for label in organisation.labels.all()
        ],
    )
    data.completeness = round(
        100
        * sum(check(organisation, data) for check in COMPLETENESS_CHECKS)
        / len(COMPLETENESS_CHECKS)
    )
    return data


def current_label_filter(prefix: str = "", *, today=None) -> dict:
    """Filter kwargs selecting labels valid today (``prefix`` reaches them from another model)."""
    today = today or timezone.localdate()
    return {f"{prefix}awarded_on__lte": today, f"{prefix}valid_until__gte": today}


LABEL_LEVELS = [level for level, _ in QualityLabel.Level.choices]
