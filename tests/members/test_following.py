"""Following members and organisations, and the dashboard that shows their news."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from members import dashboard, services
from members.models import Follow, MemberProfile, Organisation
from tests.factories import make_member, make_organisation

pytestmark = pytest.mark.django_db


def test_a_member_follows_and_unfollows_an_organisation(client, member, organisation):
    client.force_login(member.user)

    client.post(f"/organisations/{organisation.slug}/follow/")
    client.post(f"/organisations/{organisation.slug}/follow/")
    assert Follow.objects.filter(follower=member, organisation=organisation).count() == 1

    client.post(f"/organisations/{organisation.slug}/follow/", {"action": "unfollow"})
    assert not Follow.objects.exists()


def test_a_member_follows_another_member(client, member, other_member):
    client.force_login(member.user)
    client.post(f"/members/{other_member.pk}/follow/")
    assert Follow.objects.filter(follower=member, member=other_member).exists()


def test_a_hidden_profile_cannot_be_followed(client, member):
    hidden = make_member(username="hidden", visibility="hidden")
    client.force_login(member.user)
    assert client.post(f"/members/{hidden.pk}/follow/").status_code == 404
    with pytest.raises(PermissionDenied):
        services.follow(follower=member, member=hidden)
    assert not Follow.objects.exists()


def test_nobody_follows_themselves(member):
    with pytest.raises(ValidationError):
        services.follow(follower=member, member=member)


def test_anonymous_visitors_cannot_follow(client, organisation):
    response = client.post(f"/organisations/{organisation.slug}/follow/")
    assert response.status_code == 302
    assert not Follow.objects.exists()


def test_following_needs_post(client, member, organisation):
    client.force_login(member.user)
    assert client.get(f"/organisations/{organisation.slug}/follow/").status_code == 405


def test_the_dashboard_needs_signing_in(client):
    assert client.get("/members/me/").status_code == 302
    assert client.get("/dashboard/").status_code == 302


def test_the_dashboard_shows_updates_of_followed_organisations(
    client, member, organisation, coadmin
):
    services.follow(follower=member, organisation=organisation)
    services.update_organisation(
        organisation=organisation, actor=coadmin.user, changes={"description": "New robots"}
    )
    unfollowed = make_organisation(name="Unfollowed Cluster")
    unfollowed.co_admins.add(coadmin.user)
    services.update_organisation(
        organisation=unfollowed, actor=coadmin.user, changes={"description": "Not followed"}
    )
    client.force_login(member.user)

    content = client.get("/members/me/").content.decode()

    assert "Robotics Cluster" in content
    assert "updated its profile" in content
    assert "Unfollowed Cluster" not in content


def test_the_dashboard_shows_followed_members_joining_organisations(
    client, member, other_member, organisation, coadmin
):
    services.follow(follower=member, member=other_member)
    request = services.request_membership(member=other_member, organisation=organisation)
    services.approve_membership(membership=request, actor=coadmin.user)
    client.force_login(member.user)

    content = client.get("/dashboard/").content.decode()

    assert "Other" in content
    assert "joined" in content


def test_news_of_a_member_who_hid_their_profile_disappears(client, member, other_member):
    services.follow(follower=member, member=other_member)
    services.update_profile(
        profile=other_member, actor=other_member.user, changes={"job_title": "Director"}
    )
    client.force_login(member.user)
    assert "updated their profile" in client.get("/members/me/").content.decode()

    MemberProfile.objects.filter(pk=other_member.pk).update(visibility="hidden")

    assert "updated their profile" not in client.get("/members/me/").content.decode()


def test_news_of_an_unpublished_organisation_disappears(client, member, organisation, coadmin):
    services.follow(follower=member, organisation=organisation)
    services.update_organisation(
        organisation=organisation, actor=coadmin.user, changes={"city": "Vejle"}
    )
    Organisation.objects.filter(pk=organisation.pk).update(is_published=False)
    client.force_login(member.user)

    assert "updated its profile" not in client.get("/members/me/").content.decode()


def test_other_apps_add_dashboard_sections(client, member, other_member):
    services.follow(follower=member, member=other_member)
    seen = {}

    @dashboard.register_section("tests.threads", order=5)
    def threads(*, profile, following):
        seen["users"] = following.member_user_ids
        return dashboard.DashboardSection(
            title="Threads by people you follow",
            items=[dashboard.item(title="Cluster funding in 2027", url="/forum/threads/1/")],
        )

    @dashboard.register_section("tests.broken")
    def broken(*, profile, following):
        raise RuntimeError("this section fails")

    try:
        client.force_login(member.user)
        content = client.get("/members/me/").content.decode()
    finally:
        dashboard.unregister_section("tests.threads")
        dashboard.unregister_section("tests.broken")

    assert "Threads by people you follow" in content
    assert "Cluster funding in 2027" in content
    assert seen["users"] == frozenset({other_member.user_id})
