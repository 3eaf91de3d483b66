"""Realistic generated data of a stated size for the benchmarks.

    python -m bench.datagen --organisations 10000

Organisations get a country, a kind, one to three sectors from the controlled list, two to
five technologies and sometimes a quality label, drawn from a fixed seed so that two runs
build the same data. Idempotent: nothing is added once the count is reached.
"""

import argparse
import os
import random
import sys

SECTORS = [
    "Aerospace vehicles and defence",
    "Agricultural inputs and services",
    "Automotive",
    "Biopharmaceuticals",
    "Blue growth industries",
    "Chemical products",
    "Construction products and services",
    "Digital industries",
    "Distribution and electronic commerce",
    "Education and knowledge creation",
    "Energy",
    "Environmental industries",
    "Experience industries",
    "Financial services",
    "Food processing and manufacturing",
    "Information technology and analytical instruments",
    "Logistical services",
    "Medical devices",
    "Metalworking technology",
    "Mobility technologies",
    "Plastics",
    "Production technology and heavy machinery",
    "Textile manufacturing",
    "Tourism",
    "Water technologies",
]
TECHNOLOGIES = [
    "additive manufacturing",
    "artificial intelligence",
    "batteries",
    "big data",
    "biotech",
    "blockchain",
    "circular economy",
    "cybersecurity",
    "digital twins",
    "drones",
    "e-health",
    "fuel cells",
    "hydrogen",
    "internet of things",
    "lightweight materials",
    "machine vision",
    "nanotechnology",
    "photonics",
    "precision farming",
    "quantum",
    "recycling",
    "robotics",
    "satellite navigation",
    "semiconductors",
    "smart grids",
    "solar",
    "wind energy",
]
COUNTRIES = [
    "AT",
    "BE",
    "BG",
    "HR",
    "CY",
    "CZ",
    "DK",
    "EE",
    "FI",
    "FR",
    "DE",
    "GR",
    "HU",
    "IE",
    "IT",
    "LV",
    "LT",
    "LU",
    "MT",
    "NL",
    "PL",
    "PT",
    "RO",
    "SK",
    "SI",
    "ES",
    "SE",
    "NO",
    "IS",
    "CH",
    "RS",
    "TR",
    "UA",
]
WORDS = ["Cluster", "Innovation", "Network", "Alliance", "Valley", "Hub", "Platform", "Initiative"]
PLACES = [
    "Nordic",
    "Baltic",
    "Alpine",
    "Danube",
    "Atlantic",
    "Iberian",
    "Carpathian",
    "Rhine",
    "Adriatic",
    "Bavarian",
    "Flemish",
    "Silesian",
    "Tuscan",
    "Basque",
    "Lapland",
]


def generate(organisations: int, *, seed: int = 2012) -> int:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from datetime import date, timedelta

    from django.db import transaction
    from django.utils.text import slugify
    from taggit.models import Tag
    from tqdm import tqdm

    from members.models import (
        Organisation,
        QualityLabel,
        Sector,
        TaggedOrganisationTechnology,
    )

    existing = Organisation.objects.filter(slug__startswith="bench-").count()
    if existing >= organisations:
        print(f"{existing} generated organisations already present")
        return existing
    rng = random.Random(seed)
    sectors = [
        Sector.objects.get_or_create(slug=slugify(name), defaults={"name": name})[0]
        for name in SECTORS
    ]
    tags = [
        Tag.objects.get_or_create(slug=slugify(name), defaults={"name": name})[0]
        for name in TECHNOLOGIES
    ]
    batch = 1000
    with tqdm(total=organisations, initial=existing, unit="org", desc="organisations") as bar:
        for start in range(existing, organisations, batch):
            stop = min(organisations, start + batch)
            with transaction.atomic():
                rows = []
                for n in range(start, stop):
                    place, word = rng.choice(PLACES), rng.choice(WORDS)
                    name = f"{place} {rng.choice(TECHNOLOGIES).title()} {word} {n}"
                    rows.append(
                        Organisation(
                            name=name,
                            slug=f"bench-{n}",
                            country=rng.choice(COUNTRIES),
                            city=f"{place} City",
                            description=(
                                f"The {name} brings together SMEs, research and large companies "
                                f"working on {rng.choice(TECHNOLOGIES)} "
                                f"and {rng.choice(TECHNOLOGIES)}."
                            ),
                            members_sme=rng.randint(5, 400),
                            members_large=rng.randint(0, 40),
                            members_research=rng.randint(0, 30),
                            year_founded=rng.randint(1990, 2024),
                            eccp_id=f"bench-{n}",
                        )
                    )
                created = Organisation.objects.bulk_create(rows)
                through = Organisation.sectors.through
                through.objects.bulk_create(
                    through(organisation_id=org.pk, sector_id=sector.pk)
                    for org in created
                    for sector in rng.sample(sectors, rng.randint(1, 3))
                )
                TaggedOrganisationTechnology.objects.bulk_create(
                    TaggedOrganisationTechnology(content_object_id=org.pk, tag_id=tag.pk)
                    for org in created
                    for tag in rng.sample(tags, rng.randint(2, 5))
                )
                today = date.today()
                QualityLabel.objects.bulk_create(
                    QualityLabel(
                        organisation_id=org.pk,
                        level=level,
                        level_rank=QualityLabel.LEVEL_RANKS[level],
                        awarded_on=(awarded := today - timedelta(days=rng.randint(200, 700))),
                        valid_until=awarded + timedelta(days=rng.randint(100, 1100)),
                    )
                    for org in created
                    if (level := rng.choice(["bronze", "silver", "gold", None, None])) is not None
                )
            bar.update(stop - start)
    return organisations


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--organisations", type=int, default=10_000)
    args = parser.parse_args(argv)
    if args.organisations < 0:
        parser.error("--organisations must be zero or more")
    generate(args.organisations)
    return 0


if __name__ == "__main__":
    sys.exit(main())
