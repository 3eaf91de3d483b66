"""Every page type and list costs the same number of queries for one row as for fifty.

Each case grows what its page lists (organisations, members, threads, posts, events...)
from one row to fifty and asks the page twice, each time as a signed-in member (a session:
no anonymous page cache) and with an empty cache, so both answers are computed. A query
per row shows as a count that grows with the rows.
"""

import datetime
from itertools import count

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events import services as event_services
from forum import services as forum_services
from forum.models import Category, Notification
from members.models import Activity, Follow, Membership, RegisterEntry
from search.engines.base import database_engine
from tests.factories import make_event, make_index, make_member, make_organisation

pytestmark = pytest.mark.django_db

SMALL, LARGE = 1, 50
_numbers = count(1)


@pytest.fixture(autouse=True)
def _no_forum_pace(settings):
    settings.FORUM_POST_INTERVAL = 0
    settings.FORUM_DUPLICATE_WINDOW = 0
    settings.FORUM_NEW_ACCOUNT_DAILY_POSTS = 0


class World:
    """The signed-in member, and what each case grows."""

    def __init__(self):
        self.member = make_member(username="reader", display_name="Rhea Reader")
        self.organisation = make_organisation(name="Anchor Cluster")
        self.category = Category.objects.create(name="Cluster management", slug="management")
        self.thread = forum_services.start_thread(
            category=self.category, author=self.member.user, title="Anchor", body="First post."
        )
        self.event = make_event(
            title="Anchor conference",
            sessions=[{"title": "Opening", "start": timezone.now()}],
        )

    # --- what each case grows -------------------------------------------------------------

    def organisations(self, n):
        for _ in range(n):
            number = next(_numbers)
            organisation = make_organisation(
                name=f"Cluster {number}", sectors=["Energy"], technologies=["hydrogen"]
            )
            member = make_member()
            Membership.objects.create(
                member=member, organisation=organisation, status=Membership.Status.APPROVED
            )
        database_engine().rebuild()

    def members(self, n):
        for _ in range(n):
            member = make_member()
            Membership.objects.create(
                member=member, organisation=self.organisation, status=Membership.Status.APPROVED
            )

    def memberships_of_member(self, n):
        for _ in range(n):
            Membership.objects.create(
                member=self.member,
                organisation=make_organisation(),
                status=Membership.Status.APPROVED,
            )

    def categories(self, n):
        for _ in range(n):
            number = next(_numbers)
            category = Category.objects.create(name=f"Topic {number}", slug=f"topic-{number}")
            forum_services.start_thread(
                category=category,
                author=make_member().user,
                title=f"Topic thread {number}",
                body="Hi.",
            )

    def threads(self, n):
        for _ in range(n):
            forum_services.start_thread(
                category=self.category,
                author=make_member().user,
                title=f"Thread {next(_numbers)}",
                body="Body.",
            )

    def posts(self, n):
        for _ in range(n):
            author = make_member().user
            post = forum_services.post_reply(thread=self.thread, author=author, body="A reply.")
            forum_services.react(post=post, user=self.member.user, kind="like")

    def notifications(self, n):
        for _ in range(n):
            author = make_member().user
            post = forum_services.post_reply(thread=self.thread, author=author, body="Reply.")
            Notification.objects.create(
                recipient=self.member.user,
                kind=Notification.Kind.REPLY,
                thread=self.thread,
                post=post,
                actor=author,
                message=self.thread.title,
            )

    def events(self, n):
        for _ in range(n):
            make_event(sessions=[{"title": "Session", "start": timezone.now()}])

    def sessions(self, n):
        from events.models import EventSession

        for _ in range(n):
            EventSession.objects.create(
                page=self.event, title=f"Session {next(_numbers)}", start=timezone.now()
            )

    def registrations(self, n):
        for _ in range(n):
            event_services.register_for_event(event=make_event(), member=self.member)

    def follows_and_activity(self, n):
        for _ in range(n):
            organisation = make_organisation()
            Follow.objects.create(follower=self.member, organisation=organisation)
            Activity.objects.create(
                verb=Activity.Verb.ORGANISATION_UPDATED, organisation=organisation
            )

    def register_entries(self, n):
        for _ in range(n):
            RegisterEntry.objects.create(
                member=make_member(),
                register=RegisterEntry.Register.TUTORS,
                status=RegisterEntry.Status.CERTIFIED,
                certified_on=datetime.date(2025, 1, 1),
                valid_until=datetime.date(2030, 1, 1),
            )


CASES = {
    # HTML pages
    "/partners/": ("organisations", lambda w: "/partners/"),
    "/partners/?q=cluster": ("organisations", lambda w: "/partners/?q=cluster"),
    "/organisations/": ("organisations", lambda w: "/organisations/"),
    "/organisations/<slug>/": ("members", lambda w: f"/organisations/{w.organisation.slug}/"),
    "/members/": ("members", lambda w: "/members/"),
    "/members/<pk>/": ("memberships_of_member", lambda w: f"/members/{w.member.pk}/"),
    "/dashboard/": ("follows_and_activity", lambda w: "/dashboard/"),
    "/registers/<register>/": (
        "register_entries",
        lambda w: "/registers/foundation-tutors/",
    ),
    "/forum/": ("categories", lambda w: "/forum/"),
    "/forum/c/<slug>/": ("threads", lambda w: f"/forum/c/{w.category.slug}/"),
    "/forum/threads/<pk>/": ("posts", lambda w: f"/forum/threads/{w.thread.pk}/"),
    "/forum/notifications/": ("notifications", lambda w: "/forum/notifications/"),
    "events index": ("events", lambda w: make_index().url),
    "event page": ("sessions", lambda w: w.event.url),
    "/events/my-registrations/": ("registrations", lambda w: "/events/my-registrations/"),
    "/search/?q=cluster": ("organisations", lambda w: "/search/?q=cluster"),
    # JSON lists
    "/api/organisations/": ("organisations", lambda w: "/api/organisations/?page_size=60"),
    "/api/members/": ("members", lambda w: "/api/members/?page_size=60"),
    "/api/events/": ("events", lambda w: "/api/events/?page_size=60"),
    "/api/events/<id>/": ("sessions", lambda w: f"/api/events/{w.event.pk}/"),
    "/api/forum/threads/": ("threads", lambda w: "/api/forum/threads/?page_size=60"),
    "/api/forum/threads/<pk>/posts/": (
        "posts",
        lambda w: f"/api/forum/threads/{w.thread.pk}/posts/?page_size=60",
    ),
    "/api/forum/notifications/": ("notifications", lambda w: "/api/forum/notifications/"),
    "/api/search/partners/": ("organisations", lambda w: "/api/search/partners/?q=cluster"),
    "/api/search/": ("organisations", lambda w: "/api/search/?q=cluster"),
}


def queries_of(client, path) -> tuple[list[str], int]:
    """The queries of a fresh GET of ``path`` and the length of its answer."""
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return [query["sql"][:200] for query in captured.captured_queries], len(response.content)


@pytest.mark.parametrize("case", CASES)
def test_a_page_costs_the_same_queries_for_one_row_as_for_fifty(client, case):
    world = World()
    grow_name, path_of = CASES[case]
    grow = getattr(world, grow_name)
    client.force_login(world.member.user)

    grow(SMALL)
    path = path_of(world)
    client.get(path)  # the first request of a process fills per-process caches
    small, small_length = queries_of(client, path)
    grow(LARGE - SMALL)
    large, large_length = queries_of(client, path)

    assert large_length > small_length, f"{case} does not show the rows it lists"
    assert len(large) <= len(small), "\n".join(
        [f"{case}: {len(small)} queries for {SMALL} row(s), {len(large)} for {LARGE}:"]
        + [sql for sql in large if sql not in small][:10]
    )
