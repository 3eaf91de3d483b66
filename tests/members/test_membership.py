"""Joining an organisation: a request that a co-admin or an editor approves or rejects."""

import pytest
from django.core.exceptions import PermissionDenied

from domain.exceptions import Conflict
from members import services
from members.models import Membership, Organisation
from tests.factories import make_member, make_organisation

pytestmark = pytest.mark.django_db


def join(client, organisation, *, follow=False, **data):
    return client.post(f"/organisations/{organisation.slug}/join/", data, follow=follow)


def decide(client, membership, decision):
    return client.post(
        f"/organisations/{membership.organisation.slug}/requests/{membership.pk}/{decision}/"
    )


def test_a_member_asks_to_join_and_the_request_waits(client, organisation, member):
    client.force_login(member.user)

    response = join(client, organisation, role="Analyst", message="Hello")

    assert response.status_code == 302
    membership = Membership.objects.get(member=member, organisation=organisation)
    assert membership.status == "requested"
    assert membership.role == "Analyst"


def test_asking_twice_keeps_one_request(client, organisation, member):
    client.force_login(member.user)
    join(client, organisation)
    response = join(client, organisation, follow=True)

    assert Membership.objects.filter(member=member).count() == 1
    assert "already waiting" in response.content.decode()


def test_anonymous_visitors_cannot_ask_to_join(client, organisation):
    response = join(client, organisation)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not Membership.objects.exists()


def test_joining_an_unpublished_organisation_is_a_404(client, member):
    draft = make_organisation(name="Draft", is_published=False)
    client.force_login(member.user)
    assert join(client, draft).status_code == 404


@pytest.mark.parametrize("who", ["coadmin", "editor"])
def test_a_coadmin_or_an_editor_approves(client, organisation, coadmin, editor, member, who):
    membership = services.request_membership(member=member, organisation=organisation)
    client.force_login(coadmin.user if who == "coadmin" else editor)

    assert decide(client, membership, "approve").status_code == 302

    membership.refresh_from_db()
    assert membership.status == "approved"
    assert membership.is_primary
    assert membership.decided is not None


@pytest.mark.parametrize("who", ["member", "other_member", "other_coadmin"])
def test_others_cannot_decide(client, organisation, member, other_member, who):
    membership = services.request_membership(member=member, organisation=organisation)
    if who == "other_coadmin":
        elsewhere = make_organisation(name="Elsewhere")
        user = make_member(username="elsewhere").user
        elsewhere.co_admins.add(user)
    else:
        user = member.user if who == "member" else other_member.user
    client.force_login(user)

    assert decide(client, membership, "approve").status_code == 403
    membership.refresh_from_db()
    assert membership.status == "requested"


def test_a_coadmin_rejects_and_the_member_may_ask_again(client, organisation, coadmin, member):
    membership = services.request_membership(member=member, organisation=organisation)
    client.force_login(coadmin.user)
    decide(client, membership, "reject")
    membership.refresh_from_db()
    assert membership.status == "rejected"

    again = services.request_membership(member=member, organisation=organisation, role="Lead")

    assert again.pk == membership.pk
    assert again.status == "requested"
    assert again.role == "Lead"


def test_a_request_is_decided_only_once(organisation, coadmin, editor, member):
    membership = services.request_membership(member=member, organisation=organisation)
    services.approve_membership(membership=membership, actor=coadmin.user)

    with pytest.raises(Conflict):
        services.reject_membership(membership=membership, actor=editor)
    membership.refresh_from_db()
    assert membership.status == "approved"


def test_asking_to_join_as_a_member_already_is_a_conflict(organisation, coadmin, member):
    membership = services.request_membership(member=member, organisation=organisation)
    services.approve_membership(membership=membership, actor=coadmin.user)

    with pytest.raises(Conflict):
        services.request_membership(member=member, organisation=organisation)


def test_the_service_refuses_unpublished_organisations(member):
    draft = make_organisation(name="Draft", is_published=False)
    with pytest.raises(PermissionDenied):
        services.request_membership(member=member, organisation=draft)


def test_a_member_leaves_and_changes_their_primary_organisation(
    client, organisation, coadmin, member, editor
):
    second = make_organisation(name="Second")
    first_membership = services.request_membership(member=member, organisation=organisation)
    services.approve_membership(membership=first_membership, actor=coadmin.user)
    second_membership = services.request_membership(member=member, organisation=second)
    services.approve_membership(membership=second_membership, actor=editor)
    second_membership.refresh_from_db()
    assert not second_membership.is_primary

    client.force_login(member.user)
    client.post(f"/members/me/organisations/{second_membership.pk}/primary/")
    first_membership.refresh_from_db()
    second_membership.refresh_from_db()
    assert second_membership.is_primary and not first_membership.is_primary

    client.post(f"/members/me/organisations/{first_membership.pk}/leave/")
    assert not Membership.objects.filter(pk=first_membership.pk).exists()


def test_a_member_cannot_leave_someone_elses_membership(client, organisation, member, other_member):
    membership = services.request_membership(member=other_member, organisation=organisation)
    client.force_login(member.user)
    assert client.post(f"/members/me/organisations/{membership.pk}/leave/").status_code == 404
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_approved_memberships_appear_in_the_member_api(api_client, organisation, coadmin, member):
    membership = services.request_membership(member=member, organisation=organisation, role="CEO")
    api_client.force_authenticate(member.user)
    assert api_client.get("/api/members/me/").json()["organisations"] == []

    services.approve_membership(membership=membership, actor=coadmin.user)

    organisations = api_client.get("/api/members/me/").json()["organisations"]
    assert organisations == [
        {"name": organisation.name, "slug": organisation.slug, "role": "CEO", "is_primary": True}
    ]
    assert Organisation.objects.get(pk=organisation.pk).memberships.count() == 1


@pytest.mark.postgres
# serialized_rollback restores the groups and permissions that migrations made.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_deciders_at_once_decide_exactly_once(organisation, coadmin, editor, member):
    import threading

    from django.db import connection

    membership = services.request_membership(member=member, organisation=organisation)
    barrier = threading.Barrier(2)
    results = []

    def decide_as(action, actor):
        try:
            barrier.wait(timeout=10)
            action(membership=membership, actor=actor)
            results.append(action.__name__)
        except Conflict:
            results.append("conflict")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=decide_as, args=(services.approve_membership, coadmin.user)),
        threading.Thread(target=decide_as, args=(services.reject_membership, editor)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert results.count("conflict") == 1
    membership.refresh_from_db()
    winner = next(r for r in results if r != "conflict")
    assert (
        membership.status
        == {"approve_membership": "approved", "reject_membership": "rejected"}[winner]
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_same_request_sent_twice_at_once_makes_one_membership_and_one_conflict(
    organisation, member
):
    import threading

    from django.db import connection

    barrier = threading.Barrier(2)
    results = []

    def ask():
        try:
            barrier.wait(timeout=10)
            services.request_membership(member=member, organisation=organisation)
            results.append("requested")
        except Conflict as conflict:
            results.append(conflict.code)
        except Exception as error:  # what must not reach a member: an IntegrityError
            results.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=ask) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(results) == ["pending", "requested"]
    assert Membership.objects.filter(member=member, organisation=organisation).count() == 1
