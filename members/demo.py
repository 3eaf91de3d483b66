"""Demo content of the members app: the ECEI consortium partners, sectors, labels, members.

``seed(*, home, log)`` is called by ``manage.py seed_demo``; running it twice gives the
same rows (everything is keyed by slug, ECCP identifier or username).
"""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from members import services
from members.models import (
    Activity,
    Follow,
    MemberProfile,
    Membership,
    Organisation,
    QualityLabel,
    RegisterEntry,
    Sector,
)

#: Traded sectors in the spirit of the ECCP's classification.
SECTORS = [
    "Aerospace vehicles and defence",
    "Agricultural inputs and services",
    "Automotive",
    "Biopharmaceuticals",
    "Business services",
    "Construction products and services",
    "Creative industries",
    "Digital industries",
    "Education and knowledge creation",
    "Energy",
    "Environmental industries",
    "Financial services",
    "Food processing and manufacturing",
    "Information technology and analytical instruments",
    "Logistics and transportation",
    "Medical devices",
    "Metalworking technology",
    "Mobility technologies",
    "Plastics",
    "Textile manufacturing",
    "Tourism and hospitality",
    "Wood and furniture",
]

#: The ECEI consortium partners (see the project's announcements).
ORGANISATIONS = [
    {
        "name": "IESE Business School",
        "country": "ES",
        "city": "Barcelona",
        "region": "Catalonia",
        "kind": Organisation.Kind.RESEARCH,
        "sectors": ["Education and knowledge creation", "Business services"],
        "technologies": ["Competitiveness analysis", "Strategy"],
        "website": "https://www.iese.edu",
        "year_founded": 1958,
    },
    {
        "name": "Clusterland Oberösterreich",
        "country": "AT",
        "city": "Linz",
        "region": "Upper Austria",
        "kind": Organisation.Kind.CLUSTER_NETWORK,
        "sectors": ["Automotive", "Plastics", "Wood and furniture", "Mobility technologies"],
        "technologies": ["Lightweight materials", "Industry 4.0"],
        "website": "https://www.clusterland.at",
        "year_founded": 1998,
        "members": (650, 120, 40, 30),
    },
    {
        "name": "MFG Baden-Württemberg",
        "country": "DE",
        "city": "Stuttgart",
        "region": "Baden-Württemberg",
        "kind": Organisation.Kind.SUPPORT_AGENCY,
        "sectors": ["Creative industries", "Digital industries"],
        "technologies": ["Media", "Software"],
        "website": "https://www.mfg.de",
        "year_founded": 1995,
    },
    {
        "name": "CDIF - France Clusters",
        "country": "FR",
        "city": "Lyon",
        "region": "Auvergne-Rhône-Alpes",
        "kind": Organisation.Kind.CLUSTER_NETWORK,
        "sectors": ["Business services"],
        "technologies": ["Cluster management"],
        "website": "https://franceclusters.fr",
        "year_founded": 1998,
    },
    {
        "name": "University of Southern Denmark",
        "country": "DK",
        "city": "Odense",
        "region": "Southern Denmark",
        "kind": Organisation.Kind.RESEARCH,
        "sectors": ["Education and knowledge creation", "Medical devices"],
        "technologies": ["Robotics", "Health technology"],
        "website": "https://www.sdu.dk",
        "year_founded": 1966,
    },
    {
        "name": "RegX – The Danish Cluster Academy",
        "country": "DK",
        "city": "Aalborg",
        "region": "North Denmark",
        "kind": Organisation.Kind.SUPPORT_AGENCY,
        "sectors": ["Education and knowledge creation"],
        "technologies": ["Cluster management", "Training"],
        "year_founded": 2006,
    },
    {
        "name": "Baltic Innovation Agency",
        "country": "EE",
        "city": "Tallinn",
        "region": "Harju",
        "kind": Organisation.Kind.SUPPORT_AGENCY,
        "sectors": ["Information technology and analytical instruments", "Business services"],
        "technologies": ["E-government", "Innovation management"],
        "year_founded": 2002,
    },
    {
        "name": "Croatian Employers' Association",
        "country": "HR",
        "city": "Zagreb",
        "region": "City of Zagreb",
        "kind": Organisation.Kind.SUPPORT_AGENCY,
        "sectors": ["Business services", "Tourism and hospitality"],
        "technologies": ["SME development"],
        "website": "https://www.hup.hr",
        "year_founded": 1993,
    },
    {
        "name": "Generalitat de Catalunya",
        "country": "ES",
        "city": "Barcelona",
        "region": "Catalonia",
        "kind": Organisation.Kind.SUPPORT_AGENCY,
        "sectors": ["Food processing and manufacturing", "Energy", "Mobility technologies"],
        "technologies": ["Smart specialisation", "Cluster policy"],
        "year_founded": 1977,
    },
    {
        "name": "Confederation of Hungarian Employers and Industrialists",
        "country": "HU",
        "city": "Budapest",
        "region": "Central Hungary",
        "kind": Organisation.Kind.SUPPORT_AGENCY,
        "sectors": ["Metalworking technology", "Automotive"],
        "technologies": ["Manufacturing"],
        "website": "https://www.mgyosz.hu",
        "year_founded": 1990,
    },
    {
        "name": "Innovation Norway",
        "country": "NO",
        "city": "Oslo",
        "region": "Oslo",
        "kind": Organisation.Kind.SUPPORT_AGENCY,
        "sectors": ["Energy", "Environmental industries", "Food processing and manufacturing"],
        "technologies": ["Offshore wind", "Aquaculture"],
        "website": "https://www.innovasjonnorge.no",
        "year_founded": 2004,
    },
]

#: (organisation slug, level, awarded days ago, valid for days): one gold, one expired.
LABELS = [
    ("mfg-baden-wurttemberg", QualityLabel.Level.GOLD, 200, 730),
    ("clusterland-oberosterreich", QualityLabel.Level.SILVER, 400, 730),
    ("baltic-innovation-agency", QualityLabel.Level.BRONZE, 800, 730),
    ("regx-the-danish-cluster-academy", QualityLabel.Level.BRONZE, 650, 730),
]

#: Demo members: username, name, job title, visibility, organisation slug, expertise.
MEMBERS = [
    (
        "demo-anna",
        "Anna Berger",
        "Cluster manager",
        MemberProfile.Visibility.PUBLIC,
        "clusterland-oberosterreich",
        ["Cluster management", "Internationalisation"],
    ),
    (
        "demo-lars",
        "Lars Mikkelsen",
        "Head of training",
        MemberProfile.Visibility.MEMBERS,
        "regx-the-danish-cluster-academy",
        ["Training", "Benchmarking"],
    ),
    (
        "demo-katrin",
        "Katrin Tamm",
        "Innovation adviser",
        MemberProfile.Visibility.PUBLIC,
        "baltic-innovation-agency",
        ["Smart specialisation", "Digitalisation"],
    ),
    (
        "demo-hidden",
        "Private Person",
        "Policy officer",
        MemberProfile.Visibility.HIDDEN,
        "generalitat-de-catalunya",
        ["Cluster policy"],
    ),
]


def _organisation_slug(name: str) -> str:
    return slugify(name)


@transaction.atomic
def seed(*, home, log) -> None:
    """Create or refresh the members demo content (``home`` is unused: nothing is a page)."""
    today = timezone.localdate()
    sectors = {}
    for name in SECTORS:
        sectors[name], _ = Sector.objects.get_or_create(slug=slugify(name), defaults={"name": name})
    log(f"members: {len(sectors)} sectors")

    organisations = {}
    for spec in ORGANISATIONS:
        slug = _organisation_slug(spec["name"])
        sme, large, research, other = spec.get("members", (0, 0, 0, 0))
        organisation, _ = Organisation.objects.update_or_create(
            slug=slug,
            defaults={
                "name": spec["name"],
                "kind": spec["kind"],
                "country": spec["country"],
                "city": spec["city"],
                "region": spec["region"],
                "website": spec.get("website", ""),
                "year_founded": spec.get("year_founded"),
                "description": (
                    f"{spec['name']} was a partner of the European Cluster Excellence "
                    "Initiative (ECEI), which developed the methods and tools to benchmark "
                    "cluster organisations and train cluster managers across Europe."
                ),
                "eccp_id": f"DEMO-{spec['country']}-{slug[:40]}",
                "eccp_url": f"https://clustercollaboration.eu/cluster-organisations/{slug}",
                "eccp_validation": Organisation.EccpValidation.VALIDATED,
                "members_sme": sme,
                "members_large": large,
                "members_research": research,
                "members_other": other,
            },
        )
        organisation.sectors.set([sectors[name] for name in spec["sectors"]])
        organisation.technologies.set(spec["technologies"])
        organisation.save()
        services.announce_organisation_changed(organisation=organisation)
        organisations[slug] = organisation
    log(f"members: {len(organisations)} organisations (ECEI consortium partners)")

    for slug, level, awarded_days_ago, valid_days in LABELS:
        awarded_on = today - datetime.timedelta(days=awarded_days_ago)
        QualityLabel.objects.update_or_create(
            organisation=organisations[slug],
            level=level,
            defaults={
                "awarded_by": "ESCA",
                "awarded_on": awarded_on,
                "valid_until": awarded_on + datetime.timedelta(days=valid_days),
            },
        )
    log(f"members: {len(LABELS)} quality labels (one gold, one expired)")

    User = get_user_model()
    profiles = {}
    for username, name, job_title, visibility, organisation_slug, expertise in MEMBERS:
        user, created = User.objects.get_or_create(
            username=username, defaults={"email": f"{username}@example.org"}
        )
        if created:
            # Demo accounts cannot sign in: no password anyone could guess.
            user.set_unusable_password()
            user.save()
        profile = user.profile
        profile.display_name = name
        profile.job_title = job_title
        profile.visibility = visibility
        profile.country = organisations[organisation_slug].country
        profile.bio = f"{job_title} at {organisations[organisation_slug].name}."
        profile.save()
        profile.expertise.set(expertise)
        profile.save()
        Membership.objects.update_or_create(
            member=profile,
            organisation=organisations[organisation_slug],
            defaults={"status": Membership.Status.APPROVED, "is_primary": True, "role": job_title},
        )
        organisations[organisation_slug].co_admins.add(user)
        profiles[username] = profile
    log(f"members: {len(profiles)} demo members (public, members-only and hidden)")

    Membership.objects.get_or_create(
        member=profiles["demo-katrin"],
        organisation=organisations["regx-the-danish-cluster-academy"],
        defaults={"role": "Trainer", "message": "I teach the ECEI benchmarking module."},
    )
    RegisterEntry.objects.update_or_create(
        member=profiles["demo-lars"],
        register=RegisterEntry.Register.INSTRUCTORS,
        defaults={
            "modules": "Cluster strategy, Benchmarking, Services",
            "status": RegisterEntry.Status.CERTIFIED,
            "certified_on": datetime.date(2012, 9, 15),
            "valid_until": today + datetime.timedelta(days=365),
        },
    )
    RegisterEntry.objects.update_or_create(
        member=profiles["demo-anna"],
        register=RegisterEntry.Register.TUTORS,
        defaults={
            "modules": "Field project tutoring",
            "status": RegisterEntry.Status.CERTIFIED,
            "certified_on": datetime.date(2014, 3, 20),
            "valid_until": today + datetime.timedelta(days=500),
        },
    )
    for follower, target in (("demo-anna", "demo-lars"), ("demo-lars", "demo-anna")):
        Follow.objects.get_or_create(follower=profiles[follower], member=profiles[target])
    for follower, slug in (
        ("demo-anna", "mfg-baden-wurttemberg"),
        ("demo-katrin", "clusterland-oberosterreich"),
    ):
        Follow.objects.get_or_create(follower=profiles[follower], organisation=organisations[slug])
    Activity.objects.get_or_create(
        verb=Activity.Verb.LABEL_AWARDED,
        organisation=organisations["mfg-baden-wurttemberg"],
        defaults={"summary": "Gold (ESCA)"},
    )
    Activity.objects.get_or_create(
        verb=Activity.Verb.JOINED,
        member=profiles["demo-lars"],
        organisation=organisations["regx-the-danish-cluster-academy"],
        defaults={"summary": "Head of training"},
    )
    log("members: registers, follows, a pending request and dashboard news")
