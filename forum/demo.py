"""Demo content of the forum, loaded by `manage.py seed_demo` (idempotent)."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from forum.models import Category, Post, Thread
from forum.rendering import render_markdown

CATEGORIES = [
    {
        "slug": "cluster-management",
        "name": "Cluster management",
        "description": "Running a cluster organisation: strategy, services, financing.",
        "visibility": Category.Visibility.PUBLIC,
    },
    {
        "slug": "partner-search",
        "name": "Partner search",
        "description": "Looking for partner clusters for projects and calls.",
        "visibility": Category.Visibility.MEMBERS,
    },
    {
        "slug": "events",
        "name": "Events",
        "description": "Conferences, trainings and matchmaking days.",
        "visibility": Category.Visibility.PUBLIC,
    },
]

THREADS = [
    {
        "category": "cluster-management",
        "title": "How do you finance your cluster after the start-up phase?",
        "tags": ["financing", "exit strategy"],
        "posts": [
            (
                "demo-anna",
                "Our public funding ends next year. Which mix of **membership fees**, "
                "services and projects works for you?",
            ),
            (
                "demo-jonas",
                "We moved to tiered fees plus paid matchmaking services; about 40% of "
                "the budget now comes from members.",
            ),
            ("demo-anna", "Thanks @demo-jonas, that matches what the ECEI exit guide suggests."),
        ],
    },
    {
        "category": "partner-search",
        "title": "Partners wanted: battery recycling value chain (Horizon Europe call)",
        "tags": ["batteries", "circular economy"],
        "posts": [
            (
                "demo-jonas",
                "We look for two clusters with recycling SMEs for a consortium. Deadline in March.",
            ),
            ("demo-anna", "Our members in Styria may fit; I will send you a contact."),
        ],
    },
]

DEMO_MEMBERS = {"demo-anna": "Anna Berger", "demo-jonas": "Jonas Lindqvist"}


def _member(username):
    user, created = get_user_model().objects.get_or_create(
        username=username, defaults={"email": f"{username}@example.org"}
    )
    if created:
        user.set_unusable_password()
        user.save()
    profile = user.profile
    if not profile.display_name:
        profile.display_name = DEMO_MEMBERS[username]
        profile.visibility = "public"
        profile.save()
    return user


def seed(*, home, log):
    """Three categories (one for members only) and two threads with replies."""
    with transaction.atomic():
        categories = {}
        for order, data in enumerate(CATEGORIES, start=1):
            category, _ = Category.objects.update_or_create(
                slug=data["slug"], defaults={**data, "order": order}
            )
            categories[category.slug] = category
        log(f"forum: {len(categories)} categories")
        for data in THREADS:
            if Thread.objects.filter(title=data["title"]).exists():
                continue
            # Rows are written directly rather than through the services: demo content
            # must not trip the rate limits or send notifications.
            first_author = _member(data["posts"][0][0])
            thread = Thread.objects.create(
                category=categories[data["category"]],
                title=data["title"],
                author=first_author,
                last_activity=timezone.now(),
                reply_count=len(data["posts"]) - 1,
            )
            thread.tags.set(data["tags"])
            for username, body in data["posts"]:
                Post.objects.create(
                    thread=thread,
                    author=_member(username),
                    body=body,
                    body_html=render_markdown(body),
                )
        titles = [thread["title"] for thread in THREADS]
        log(f"forum: {Thread.objects.filter(title__in=titles).count()} demo threads")
