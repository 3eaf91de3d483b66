"""The Wagtail admin (wagtail-modeladmin): editors manage, export, approve and reject."""

import datetime

import pytest

from members.models import Activity, Membership, QualityLabel
from tests.factories import make_member

pytestmark = pytest.mark.django_db

INDEXES = [
    "/admin/members/organisation/",
    "/admin/members/qualitylabel/",
    "/admin/members/memberprofile/",
    "/admin/members/membership/",
    "/admin/members/registerentry/",
    "/admin/members/sector/",
]


def label_form(organisation, *, awarded_on, valid_until):
    return {
        "organisation": organisation.pk,
        "level": "gold",
        "awarded_by": "ESCA",
        "awarded_on": awarded_on.isoformat(),
        "valid_until": valid_until.isoformat(),
    }


@pytest.fixture
def request_to_join(organisation, member):
    return Membership.objects.create(member=member, organisation=organisation, role="Analyst")


@pytest.mark.parametrize("url", INDEXES)
def test_editors_open_every_admin_list(client, editor, organisation, url):
    client.force_login(editor)
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", INDEXES)
def test_members_without_admin_access_are_kept_out(client, member, url):
    client.force_login(member.user)
    response = client.get(url)
    assert response.status_code in (302, 403)


def test_organisations_export_as_csv(client, editor, organisation, gold_label):
    client.force_login(editor)

    response = client.get("/admin/members/organisation/?export=csv")

    assert response.status_code == 200
    body = (
        b"".join(response.streaming_content).decode()
        if response.streaming
        else (response.content.decode())
    )
    assert "Robotics Cluster" in body
    assert "DK-0001" in body
    assert "gold" in body


def test_memberships_list_offers_approve_and_reject_for_pending_requests(
    client, editor, request_to_join
):
    client.force_login(editor)
    content = client.get("/admin/members/membership/").content.decode()
    assert f"/admin/members/membership/approve/{request_to_join.pk}/" in content
    assert f"/admin/members/membership/reject/{request_to_join.pk}/" in content


def test_an_editor_approves_a_request_in_the_admin(client, editor, request_to_join):
    client.force_login(editor)
    url = f"/admin/members/membership/approve/{request_to_join.pk}/"

    assert client.get(url).status_code == 200
    response = client.post(url)

    assert response.status_code == 302
    request_to_join.refresh_from_db()
    assert request_to_join.status == "approved"
    assert request_to_join.decided_by == editor
    assert request_to_join.is_primary


def test_an_editor_rejects_a_request_and_a_second_decision_is_refused(
    client, editor, request_to_join
):
    client.force_login(editor)
    client.post(f"/admin/members/membership/reject/{request_to_join.pk}/")
    client.post(f"/admin/members/membership/approve/{request_to_join.pk}/", follow=True)

    request_to_join.refresh_from_db()
    assert request_to_join.status == "rejected"


def test_a_member_cannot_use_the_admin_approve_url(client, coadmin, request_to_join):
    client.force_login(coadmin.user)
    response = client.post(f"/admin/members/membership/approve/{request_to_join.pk}/")
    assert response.status_code in (302, 403)
    request_to_join.refresh_from_db()
    assert request_to_join.status == "requested"


def test_a_label_created_in_the_admin_reaches_followers(
    client, editor, organisation, today, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/members/qualitylabel/create/",
            label_form(
                organisation, awarded_on=today, valid_until=today + datetime.timedelta(days=730)
            ),
        )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert QualityLabel.objects.filter(organisation=organisation, level="gold").exists()
    assert Activity.objects.filter(organisation=organisation, verb="label_awarded").exists()


def test_a_label_ending_before_it_starts_is_refused(client, editor, organisation, today):
    client.force_login(editor)
    response = client.post(
        "/admin/members/qualitylabel/create/",
        label_form(organisation, awarded_on=today, valid_until=today - datetime.timedelta(days=1)),
    )
    assert response.status_code == 200
    assert not QualityLabel.objects.exists()


def test_editors_cannot_create_profiles_without_an_account(client, editor):
    client.force_login(editor)
    response = client.get("/admin/members/memberprofile/create/")
    assert response.status_code in (302, 403)


def test_an_editor_edits_a_member_profile(client, editor):
    profile = make_member(username="edited")
    client.force_login(editor)
    response = client.get(f"/admin/members/memberprofile/edit/{profile.pk}/")
    assert response.status_code == 200


def test_the_editors_group_gets_the_members_permissions():
    from django.contrib.auth.models import Group

    from .conftest import grant_editor_permissions

    group, _ = Group.objects.get_or_create(name="Editors")
    group.permissions.clear()

    grant_editor_permissions()

    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"change_membership", "add_organisation", "change_memberprofile"} <= codenames
    assert "add_memberprofile" not in codenames
