"""What an organisation looks like to a search engine, shared by both engines."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import NamedTuple

from django.utils import timezone
from django_countries import countries

from members.models import (
    Organisation,
    QualityLabel,
    TaggedOrganisationTechnology,
    TaggedOrganisationValueChain,
)
from search.text import index_text

#: What a complete profile has; each filled item counts equally towards completeness.
#: Each check reads an organisation's row (a dict of ``ROW_FIELDS``) and its data.
COMPLETENESS_CHECKS = (
    lambda row, data: len(row["description"]) >= 80,
    lambda row, data: bool(row["website"]),
    lambda row, data: bool(row["city"]),
    lambda row, data: bool(row["region"]),
    lambda row, data: bool(row["logo_id"]),
    lambda row, data: bool(data.sector_slugs),
    lambda row, data: bool(data.technology_slugs),
    lambda row, data: bool(row["contact_email"]),
    lambda row, data: bool(row["year_founded"]),
    lambda row, data: row["eccp_validation"] == Organisation.EccpValidation.VALIDATED,
)
ROW_FIELDS = (
    "pk",
    "slug",
    "name",
    "country",
    "city",
    "region",
    "description",
    "website",
    "logo_id",
    "contact_email",
    "year_founded",
    "eccp_validation",
)
#: Organisations read per batch when indexing many.
BATCH_SIZE = 500


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
    """The organisations that search engines hold: the published ones."""
    return Organisation.objects.published()


def _grouped(rows) -> dict[int, list[tuple]]:
    grouped: dict[int, list[tuple]] = defaultdict(list)
    for owner, *values in rows:
        grouped[owner].append(tuple(values))
    return grouped


def organisation_data_batch(organisations) -> list[OrganisationData]:
    """The searchable views of a queryset of organisations in five queries, whatever their
    number (plain rows, not model instances: a rebuild reads 100,000 of them)."""
    rows = list(organisations.order_by("pk").values(*ROW_FIELDS))
    pks = [row["pk"] for row in rows]
    sectors = _grouped(
        Organisation.sectors.through.objects.filter(organisation_id__in=pks)
        .order_by("sector__name")
        .values_list("organisation_id", "sector__slug", "sector__name")
    )
    technologies = _grouped(
        TaggedOrganisationTechnology.objects.filter(content_object_id__in=pks)
        .order_by("tag__name")
        .values_list("content_object_id", "tag__slug", "tag__name")
    )
    value_chains = _grouped(
        TaggedOrganisationValueChain.objects.filter(content_object_id__in=pks)
        .order_by("tag__name")
        .values_list("content_object_id", "tag__name")
    )
    labels = _grouped(
        QualityLabel.objects.filter(organisation_id__in=pks).values_list(
            "organisation_id", "level", "awarded_on", "valid_until"
        )
    )
    batch = []
    for row in rows:
        pk = row["pk"]
        data = OrganisationData(
            pk=pk,
            slug=row["slug"],
            name=row["name"],
            country=row["country"],
            country_name=str(countries.name(row["country"]) or ""),
            city=row["city"],
            region=row["region"],
            description=row["description"],
            sector_slugs=[slug for slug, _ in sectors[pk]],
            sector_names=[name for _, name in sectors[pk]],
            technology_slugs=[slug for slug, _ in technologies[pk]],
            technology_names=[name for _, name in technologies[pk]],
            value_chains=[name for (name,) in value_chains[pk]],
            labels=[
                {"level": level, "awarded_on": awarded_on, "valid_until": valid_until}
                for level, awarded_on, valid_until in labels[pk]
            ],
        )
        data.completeness = round(
            100 * sum(check(row, data) for check in COMPLETENESS_CHECKS) / len(COMPLETENESS_CHECKS)
        )
        batch.append(data)
    return batch


def organisation_data(organisation: Organisation) -> OrganisationData:
    """The searchable view of ``organisation`` as stored in the database."""
    return organisation_data_batch(Organisation.objects.filter(pk=organisation.pk))[0]


def searchable_batches():
    """``organisation_data_batch`` lists of every searchable organisation, ``BATCH_SIZE``
    at a time, in primary-key order."""
    pks = list(searchable_organisations().order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(pks), BATCH_SIZE):
        chunk = pks[start : start + BATCH_SIZE]
        yield organisation_data_batch(Organisation.objects.filter(pk__in=chunk))


def current_label_levels(labels: list[dict], today) -> list[str]:
    """The levels of the labels valid on ``today``, best first, each once."""
    current = {
        label["level"] for label in labels if label["awarded_on"] <= today <= label["valid_until"]
    }
    return sorted(current, key=lambda level: -QualityLabel.LEVEL_RANKS[level])


class LabelRank(NamedTuple):
    """The best label level valid on a day (3 gold ... 0 none), and the last day that stays
    true (None: until a label is added or changed)."""

    rank: int
    until: date | None


def label_rank_on(labels: list[dict], today) -> LabelRank:
    """The ``LabelRank`` of an organisation with ``labels`` on ``today``."""
    current = [label for label in labels if label["awarded_on"] <= today <= label["valid_until"]]
    rank = max((QualityLabel.LEVEL_RANKS[label["level"]] for label in current), default=0)
    changes = [label["valid_until"] for label in current] + [
        label["awarded_on"] - timedelta(days=1) for label in labels if label["awarded_on"] > today
    ]
    return LabelRank(rank, min(changes, default=None))


def current_label_filter(prefix: str = "", *, today=None) -> dict:
    """Filter kwargs selecting labels valid today (``prefix`` reaches them from another model)."""
    today = today or timezone.localdate()
    return {f"{prefix}awarded_on__lte": today, f"{prefix}valid_until__gte": today}


LABEL_LEVELS = [level for level, _ in QualityLabel.Level.choices]
