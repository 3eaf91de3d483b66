"""The search pages cost the same number of queries with one result as with a full page:
partner search with and without words, and site search, grouped and one kind at a time."""

import datetime
import re

import pytest
from wagtail.models import Page

from forum import services as forum
from forum.models import Category
from pages.models import StandardPage
from search.params import DEFAULT_PAGE_SIZE
from tests.factories import make_event, make_member
from tests.query_counts import assert_flat
from tests.search.conftest import give_label

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Dozens of accounts are made per test; the production hasher would dominate the run."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_partner_search_costs_the_same_for_a_full_page(
    indexed, clients, django_assert_max_num_queries
):
    def add(numbers):
        for n in numbers:
            organisation = indexed.organisation(
                name=f"Energy cluster {n:02}",
                country="DE" if n % 2 else "AT",
                sectors=["Energy", f"Sector {n}"],
                technologies=["Hydrogen", f"Tech {n}"],
            )
            give_label(organisation, "gold")
        indexed.reindex()

    add([0])
    shown = [f"Energy cluster {n:02}" for n in range(DEFAULT_PAGE_SIZE)]
    assert_flat(
        django_assert_max_num_queries,
        path={"/partners/": shown, "/partners/?q=energy": shown},
        clients=clients,
        grow=lambda: add(range(1, DEFAULT_PAGE_SIZE + 5)),
    )


def test_site_search_costs_the_same_for_full_groups_and_pages(
    indexed, clients, django_assert_max_num_queries
):
    """Pages, events, organisations, members and threads that all match "cluster"."""
    home = Page.get_first_root_node().get_children().first()
    category = Category.objects.create(name="Talk", slug="talk")

    def add(numbers):
        for n in numbers:
            home.add_child(
                instance=StandardPage(title=f"Cluster page {n:02}", slug=f"cluster-page-{n}")
            )
            make_event(title=f"Cluster event {n:02}", starts_in=datetime.timedelta(days=n + 1))
            indexed.organisation(name=f"Cluster organisation {n:02}")
            author = make_member(display_name=f"Cluster member {n:02}", job_title="Manager")
            forum.start_thread(
                category=category,
                author=author.user,
                title=f"Cluster thread {n:02}",
                body="About our cluster.",
            )
        indexed.reindex()

    add([0])
    # Titles show with the searched word marked, in the order of relevance: what is
    # counted is how many of each kind a page shows.
    kinds = ["page", "event", "organisation", "member", "thread"]
    shown = {"/search/?q=cluster": (kinds, 5)}
    for kind in kinds:
        shown[f"/search/?q=cluster&kind={kind}s"] = ([kind], DEFAULT_PAGE_SIZE)
    assert_flat(
        django_assert_max_num_queries,
        path=dict.fromkeys(shown, ()),
        clients=clients,
        grow=lambda: add(range(1, DEFAULT_PAGE_SIZE + 5)),
    )
    for path, (listed, size) in shown.items():
        html = clients["anonymous"].get(path).content.decode()
        for kind in listed:
            assert len(set(re.findall(rf"{kind} \d\d", html))) >= size, (path, kind)
