"""The members' pages cost the same number of queries with one item listed as with a full
page: directories, profiles, an organisation's members, the registers and the dashboard."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from members.models import (
    Activity,
    Follow,
    Membership,
    Organisation,
    QualityLabel,
    RegisterEntry,
)
from members.views import PAGE_SIZE
from tests.factories import make_member, make_organisation
from tests.query_counts import assert_flat, member_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def visitors():
    client, profile = member_client()
    return {"member": client, "anonymous": Client()}, profile


def full_organisation(n, **fields):
    """An organisation with all that a card shows: sectors, technologies, a label."""
    organisation = make_organisation(
        name=f"Cluster {n:02}", sectors=["Energy", f"Sector {n}"], technologies=["IoT"], **fields
    )
    today = timezone.localdate()
    QualityLabel.objects.create(
        organisation=organisation,
        level=QualityLabel.Level.GOLD,
        awarded_on=today - datetime.timedelta(days=30),
        valid_until=today + datetime.timedelta(days=300),
    )
    return organisation


def full_member(n, *, organisation=None, register=None):
    """A public member with all that a card shows: expertise, an organisation, a register
    entry."""
    profile = make_member(display_name=f"Member {n:02}", job_title="Cluster manager")
    profile.expertise.add("Hydrogen", f"Skill {n}")
    profile.save()
    organisation = organisation or make_organisation(name=f"Home of {n:02}")
    Membership.objects.create(
        member=profile, organisation=organisation, status=Membership.Status.APPROVED, role="Lead"
    )
    RegisterEntry.objects.create(
        member=profile,
        register=register or RegisterEntry.Register.TUTORS,
        modules="M1, M2",
        status=RegisterEntry.Status.CERTIFIED,
        certified_on=timezone.localdate(),
        valid_until=timezone.localdate() + datetime.timedelta(days=300),
    )
    return profile


def test_the_organisation_directory_costs_the_same_for_a_full_page(
    visitors, django_assert_max_num_queries
):
    clients, _ = visitors
    full_organisation(0)
    assert_flat(
        django_assert_max_num_queries,
        path="/organisations/",
        clients=clients,
        grow=lambda: [full_organisation(n, country="DE") for n in range(1, PAGE_SIZE + 5)],
        shows=[f"Cluster {n:02}" for n in range(PAGE_SIZE)],
    )


def test_the_member_directory_costs_the_same_for_a_full_page(
    visitors, django_assert_max_num_queries
):
    clients, _ = visitors
    full_member(0)
    assert_flat(
        django_assert_max_num_queries,
        path="/members/",
        clients=clients,
        grow=lambda: [full_member(n) for n in range(1, PAGE_SIZE + 5)],
        shows=[f"Member {n:02}" for n in range(PAGE_SIZE - 1)],
    )


def test_an_organisation_page_costs_the_same_for_fifty_members(
    visitors, django_assert_max_num_queries
):
    clients, _ = visitors
    organisation = full_organisation(0)
    full_member(0, organisation=organisation)
    assert_flat(
        django_assert_max_num_queries,
        path=f"/organisations/{organisation.slug}/",
        clients=clients,
        grow=lambda: [full_member(n, organisation=organisation) for n in range(1, 50)],
        shows=[f"Member {n:02}" for n in range(50)],
    )


def test_a_member_page_costs_the_same_for_many_organisations_and_entries(
    visitors, django_assert_max_num_queries
):
    clients, _ = visitors
    profile = full_member(0)

    def grow():
        for n in range(1, 20):
            Membership.objects.create(
                member=profile,
                organisation=full_organisation(n),
                status=Membership.Status.APPROVED,
            )
        profile.expertise.add(*(f"Topic {n}" for n in range(20)))
        profile.save()
        RegisterEntry.objects.create(
            member=profile, register=RegisterEntry.Register.INSTRUCTORS, modules="M3"
        )

    assert_flat(
        django_assert_max_num_queries,
        path=f"/members/{profile.pk}/",
        clients=clients,
        grow=grow,
        shows=[f"Cluster {n:02}" for n in range(1, 20)],
    )


def test_the_register_index_costs_a_few_queries(visitors, django_assert_max_num_queries):
    clients, _ = visitors
    assert_flat(django_assert_max_num_queries, path="/registers/", clients=clients, grow=list)


def test_a_register_costs_the_same_for_fifty_entries(visitors, django_assert_max_num_queries):
    clients, _ = visitors
    full_member(0)
    assert_flat(
        django_assert_max_num_queries,
        path="/registers/foundation-tutors/",
        clients=clients,
        grow=lambda: [full_member(n) for n in range(1, 50)],
        shows=[f"Member {n:02}" for n in range(50)],
    )


def test_the_dashboard_costs_the_same_for_many_followed_and_their_news(
    visitors, django_assert_max_num_queries
):
    """Followed members and organisations, their activity, the threads, events and partner
    requests of the feed, the membership requests to decide: a handful or fifty each."""
    clients, profile = visitors
    administered = full_organisation(0)
    administered.co_admins.add(profile.user)

    def follow(n):
        member = full_member(n)
        organisation = full_organisation(n)
        Follow.objects.create(follower=profile, member=member)
        Follow.objects.create(follower=profile, organisation=organisation)
        Activity.objects.create(
            verb=Activity.Verb.PROFILE_UPDATED, member=member, summary=f"Bio {n}"
        )
        Activity.objects.create(verb=Activity.Verb.ORGANISATION_UPDATED, organisation=organisation)
        Membership.objects.create(member=member, organisation=administered, role=f"Role {n}")
        return member, organisation

    def feed(member, organisation, n):
        from forum import services as forum
        from forum.models import Category
        from partnering import services as partnering
        from tests.factories import make_event

        category = Category.objects.get_or_create(name="Talk", slug="talk")[0]
        forum.start_thread(
            category=category, author=member.user, title=f"Thread {n:02}", body="Hello there."
        )
        make_event(title=f"Event {n:02}", organiser=organisation)
        organisation.co_admins.add(member.user)
        partnering.create_request(
            author=member.user,
            organisation=organisation,
            kind="project_partner",
            title=f"Request number {n:02}",
            description="We seek a partner for a storage pilot.",
            deadline=timezone.localdate() + datetime.timedelta(days=30),
            publish=True,
        )

    feed(*follow(0), 0)

    def grow():
        for n in range(1, 50):
            member, organisation = follow(n)
            if n < 20:
                feed(member, organisation, n)

    assert_flat(
        django_assert_max_num_queries,
        path="/dashboard/",
        clients={"member": clients["member"]},
        grow=grow,
        shows=[f"Member {n:02}" for n in range(50)] + [f"Cluster {n:02}" for n in range(50)],
    )
    assert Organisation.objects.count() >= 100
