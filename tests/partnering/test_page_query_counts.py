"""Partner requests' pages cost the same number of queries with one item listed as with a
full page: the listing, and a request with its matches and interests."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from members.models import Sector
from partnering import services
from partnering.models import PartnerMatch
from tests.factories import make_member, make_organisation
from tests.query_counts import assert_flat, member_client

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]


@pytest.fixture(autouse=True)
def _energy(db):
    Sector.objects.get_or_create(slug="energy", defaults={"name": "Energy"})


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    """An interest opens a conversation, whose first post follows the forum's limits."""
    settings.FORUM_POST_INTERVAL = 0
    settings.FORUM_DUPLICATE_WINDOW = 0
    settings.FORUM_NEW_ACCOUNT_DAILY_POSTS = 0


def publish(n, *, author=None, organisation=None):
    author = author or make_member().user
    if organisation is None:
        organisation = make_organisation(name=f"Seeker {n:02}", sectors=["Energy"])
        organisation.co_admins.add(author)
    return services.create_request(
        author=author,
        organisation=organisation,
        kind="project_partner",
        title=f"Request number {n:02}",
        description="We seek a partner for a **hydrogen** storage pilot.",
        sectors=["energy"],
        technologies=["hydrogen", f"tech-{n}"],
        countries=["DE", "AT"],
        deadline=timezone.localdate() + datetime.timedelta(days=30),
        publish=True,
    )


def test_the_request_listing_costs_the_same_for_a_full_page(django_assert_max_num_queries):
    client, _ = member_client()
    publish(0)
    assert_flat(
        django_assert_max_num_queries,
        path="/partners/requests/",
        clients={"member": client, "anonymous": Client()},
        grow=lambda: [publish(n) for n in range(1, 25)],
        shows=[f"Request number {n:02}" for n in range(5, 25)],
    )


def test_a_request_costs_the_same_for_fifty_matches_and_interests(
    django_assert_max_num_queries,
):
    """Its administrator sees the matches and the interests; others see the request."""
    client, author = member_client(username="author")
    own = make_organisation(name="Aarhus Energy")
    own.co_admins.add(author.user)
    item = publish(0, author=author.user, organisation=own)

    def answer(n):
        match = make_organisation(name=f"Match {n:02}", sectors=["Energy"])
        PartnerMatch.objects.create(
            request=item,
            organisation=match,
            rank=n + 1,
            score=1.0 / (n + 1),
            reasons={"sectors": ["Energy"], "countries": ["Germany"]},
        )
        member = make_member(display_name=f"Interested {n:02}")
        organisation = make_organisation(name=f"Interested cluster {n:02}")
        organisation.co_admins.add(member.user)
        services.express_interest(
            partner_request=item,
            member=member.user,
            message="We would like to join this pilot.",
            organisation=organisation,
        )

    answer(0)
    other, _ = member_client(username="other", policies=False)
    assert_flat(
        django_assert_max_num_queries,
        path=f"/partners/requests/{item.pk}/",
        clients={"administrator": client, "member": other, "anonymous": Client()},
        grow=lambda: [answer(n) for n in range(1, 50)],
        shows=["Request number 00"],
    )
    text = client.get(f"/partners/requests/{item.pk}/").content.decode()
    assert all(f"Interested {n:02}" in text and f"Match {n:02}" in text for n in range(50))


def test_the_request_api_list_costs_the_same_for_a_full_page(django_assert_max_num_queries):
    client, _ = member_client()
    publish(0)
    assert_flat(
        django_assert_max_num_queries,
        path="/api/partner-requests/?page_size=25",
        clients={"member": client, "anonymous": Client()},
        grow=lambda: [publish(n) for n in range(1, 25)],
        shows=[f"Request number {n:02}" for n in range(25)],
    )
