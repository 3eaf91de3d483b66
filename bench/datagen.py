"""Realistic generated data of a stated size for the benchmarks.

    python -m bench.datagen --organisations 100000 --members 10000 \
        --threads 5000 --posts 100000 --events 500

Organisations get a country, a kind, one to three sectors from the controlled list, two to
five technologies and sometimes a quality label; members a profile (a third of them public);
threads spread over the forum's categories with posts by the generated members (one thread
of 1,000 posts, the rest shared out); events under the event index, half of them upcoming.
Everything is drawn from a fixed seed so that two runs build the same data, and each kind is
idempotent: nothing is added once its count is reached.
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


def generate_members(members: int, *, seed: int = 2012) -> int:
    """``members`` generated accounts (``bench-member-N``), each with a profile."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from tqdm import tqdm

    from members.models import MemberProfile

    User = get_user_model()
    existing = User.objects.filter(username__startswith="bench-member-").count()
    if existing >= members:
        return existing
    rng = random.Random(seed + 1)
    # One hash for every account: hashing 10,000 passwords would take minutes and measure
    # nothing; the benchmarks sign members in with sessions, not passwords.
    password = make_password("bench-password")
    visibilities = ["public", "members", "members"]
    with tqdm(total=members, initial=existing, unit="member", desc="members") as bar:
        for start in range(existing, members, 1000):
            stop = min(members, start + 1000)
            with transaction.atomic():
                users = User.objects.bulk_create(
                    User(
                        username=f"bench-member-{n}",
                        email=f"bench-member-{n}@example.org",
                        password=password,
                        first_name=rng.choice(PLACES),
                        last_name=f"Member {n}",
                    )
                    for n in range(start, stop)
                )
                MemberProfile.objects.bulk_create(
                    MemberProfile(
                        user=user,
                        display_name=f"{user.first_name} {user.last_name}",
                        job_title="Cluster manager",
                        bio=f"Works on {rng.choice(TECHNOLOGIES)} and {rng.choice(TECHNOLOGIES)}.",
                        country=rng.choice(COUNTRIES),
                        visibility=rng.choice(visibilities),
                    )
                    for user in users
                )
            bar.update(stop - start)
    return members


def generate_forum(threads: int, posts: int, *, seed: int = 2012) -> int:
    """``threads`` generated threads (titled ``Bench thread N``) holding ``posts`` posts:
    the first thread 1,000 of them (a long thread to page through), the rest shared out."""
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone
    from tqdm import tqdm

    from forum.models import Category, Post, Thread

    existing = Thread.objects.filter(title__startswith="Bench thread ").count()
    if existing >= threads or threads == 0:
        return existing
    categories = list(Category.objects.filter(visibility="public").order_by("pk"))
    authors = list(
        get_user_model()
        .objects.filter(username__startswith="bench-member-")
        .values_list("pk", flat=True)[:2000]
    )
    if not categories or not authors:
        raise SystemExit("datagen: threads need the demo's categories and generated members")
    rng = random.Random(seed + 2)
    long_thread = min(1000, posts)
    per_thread = max(1, (posts - long_thread) // max(1, threads - 1))
    now = timezone.now()
    with tqdm(total=threads, initial=existing, unit="thread", desc="threads") as bar:
        for start in range(existing, threads, 200):
            stop = min(threads, start + 200)
            with transaction.atomic():
                made = Thread.objects.bulk_create(
                    Thread(
                        category=rng.choice(categories),
                        title=f"Bench thread {n}: {rng.choice(TECHNOLOGIES)} partners",
                        author_id=rng.choice(authors),
                        last_activity=now - timedelta(minutes=n),
                        reply_count=(long_thread if n == 0 else per_thread) - 1,
                    )
                    for n in range(start, stop)
                )
                rows = []
                for thread, n in zip(made, range(start, stop), strict=True):
                    for k in range(long_thread if n == 0 else per_thread):
                        body = f"Reply {k} about {rng.choice(TECHNOLOGIES)}."
                        rows.append(
                            Post(
                                thread=thread,
                                author_id=rng.choice(authors),
                                body=body,
                                body_html=f"<p>{body}</p>",
                            )
                        )
                Post.objects.bulk_create(rows, batch_size=2000)
            bar.update(stop - start)
    return threads


def generate_events(events: int, *, seed: int = 2012) -> int:
    """``events`` generated events (slug ``bench-event-N``) under the demo's event index,
    half of them upcoming, as published pages."""
    from datetime import timedelta

    from django.utils import timezone
    from tqdm import tqdm

    from events.models import EventIndexPage, EventPage

    index = EventIndexPage.objects.live().order_by("path").first()
    if index is None:
        raise SystemExit("datagen: events need the demo's event index (seed_demo)")
    existing = EventPage.objects.filter(slug__startswith="bench-event-").count()
    if existing >= events:
        return existing
    rng = random.Random(seed + 3)
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    with tqdm(total=events, initial=existing, unit="event", desc="events") as bar:
        for n in range(existing, events):
            start = now + timedelta(days=(n - events // 2) * 2 + 1, hours=9)
            technology = rng.choice(TECHNOLOGIES)
            event = EventPage(
                title=f"{rng.choice(PLACES)} {technology.title()} Day {n}",
                slug=f"bench-event-{n}",
                kind=rng.choice(["conference", "training", "webinar"]),
                intro=f"A day on {technology} for cluster managers.",
                start=start,
                end=start + timedelta(hours=8),
                timezone="Europe/Brussels",
                city=f"{rng.choice(PLACES)} City",
                country=rng.choice(COUNTRIES),
                capacity=rng.choice([30, 60, 120]),
            )
            index.add_child(instance=event)
            bar.update(1)
    return events


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--organisations", type=int, default=10_000)
    parser.add_argument("--members", type=int, default=0)
    parser.add_argument("--threads", type=int, default=0)
    parser.add_argument("--posts", type=int, default=0)
    parser.add_argument("--events", type=int, default=0)
    args = parser.parse_args(argv)
    for name in ("organisations", "members", "threads", "posts", "events"):
        if getattr(args, name) < 0:
            parser.error(f"--{name} must be zero or more")
    if args.threads and args.posts < args.threads:
        parser.error("--posts must be at least --threads (every thread has its first post)")
    generate(args.organisations)
    generate_members(args.members)
    generate_forum(args.threads, args.posts)
    generate_events(args.events)
    return 0


if __name__ == "__main__":
    sys.exit(main())
