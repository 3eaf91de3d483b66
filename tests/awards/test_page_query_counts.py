"""The awards' pages cost the same number of queries with one item listed as with fifty:
the award index (cycles and past laureates), the laureates' archive and a cycle."""

import datetime

import pytest

from awards.models import Laureate
from pages.models import NewsPage
from tests.awards.factories import make_cycle, make_news_index
from tests.factories import make_member, make_organisation
from tests.query_counts import assert_flat

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]


def laureates(numbers, *, cycle=None):
    """Laureates with all that the lists show: a member's profile, an organisation and the
    announcement's news page."""
    index = make_news_index()
    rows = []
    for n in numbers:
        news = NewsPage(title=f"Announcing laureate {n:02}", slug=f"laureate-{n}")
        index.add_child(instance=news)
        rows.append(
            Laureate(
                cycle=cycle,
                category=cycle.categories.first() if cycle else None,
                title="European Cluster Manager of the Year",
                year=2000 + n,
                name=f"Laureate {n:02}",
                member=make_member(display_name=f"Laureate {n:02}"),
                organisation=make_organisation(name=f"Winning cluster {n:02}"),
                organisation_name=f"Winning cluster {n:02}",
                news_page=news,
                announced_on=datetime.date(2000 + n, 4, 19),
            )
        )
    Laureate.objects.bulk_create(rows)


def test_the_award_index_costs_the_same_for_many_cycles_and_laureates(
    clients, django_assert_max_num_queries
):
    make_cycle(title="Cycle 00")
    laureates([0])

    def grow():
        for n in range(1, 20):
            make_cycle(title=f"Cycle {n:02}", description=f"Edition {n}")
        laureates(range(1, 50))

    assert_flat(
        django_assert_max_num_queries,
        path="/awards/",
        clients=clients,
        grow=grow,
        shows=[f"Cycle {n:02}" for n in range(20)] + [f"Laureate {n:02}" for n in range(50)],
    )


def test_the_laureate_archive_costs_the_same_for_fifty_laureates(
    clients, django_assert_max_num_queries
):
    laureates([0])
    assert_flat(
        django_assert_max_num_queries,
        path="/awards/laureates/",
        clients=clients,
        grow=lambda: laureates(range(1, 50)),
        shows=[f"Laureate {n:02}" for n in range(50)],
    )


def test_a_cycle_costs_the_same_for_fifty_laureates(clients, django_assert_max_num_queries):
    cycle = make_cycle(
        phase="applications",
        categories=[f"Category {n}" for n in range(5)],
        criteria=[(f"Criterion {n}", 1) for n in range(5)],
    )
    laureates([0], cycle=cycle)
    assert_flat(
        django_assert_max_num_queries,
        path=f"/awards/{cycle.slug}/",
        clients=clients,
        grow=lambda: laureates(range(1, 50), cycle=cycle),
        shows=[f"Laureate {n:02}" for n in range(50)],
    )


def test_the_laureate_api_list_costs_the_same_for_fifty_laureates(
    clients, django_assert_max_num_queries
):
    laureates([0])
    assert_flat(
        django_assert_max_num_queries,
        path="/api/awards/laureates/?page_size=50",
        clients=clients,
        grow=lambda: laureates(range(1, 50)),
        shows=[f"Laureate {n:02}" for n in range(50)],
    )
