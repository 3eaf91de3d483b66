"""Co-admins of an organisation: asking for one's organisation (create or claim, decided by
editors), invitations, removal (never the last co-admin, even in a race) and the logo."""

import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from domain.exceptions import Conflict
from members import services
from members.models import CoAdminInvitation, Organisation, OrganisationRequest
from tests.factories import make_member, make_user
from tests.members.conftest import image_bytes

pytestmark = pytest.mark.django_db

ECCP = "https://clustercollaboration.eu/cluster-organisations/fjord-robotics"


def api_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


# --- asking to create or claim -------------------------------------------------------------


def test_a_member_asks_to_create_their_organisation_and_an_editor_approves_it(
    client, member, editor, mailoutbox, django_capture_on_commit_callbacks
):
    response = api_for(member.user).post(
        "/api/organisations/requests/",
        {"kind": "create", "name": "Fjord Robotics", "country": "NO", "eccp_url": ECCP},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "pending"
    request_id = response.json()["id"]
    assert not Organisation.objects.filter(name="Fjord Robotics").exists()

    client.force_login(editor)
    page = client.get(f"/admin/members/organisationrequest/approve/{request_id}/")
    assert ECCP in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(f"/admin/members/organisationrequest/approve/{request_id}/")
    assert answer.status_code == 302

    organisation = Organisation.objects.get(name="Fjord Robotics")
    assert list(organisation.co_admins.all()) == [member.user]
    assert organisation.eccp_validation == "validated"
    assert len(mailoutbox) == 1
    assert "co-admin" in mailoutbox[0].subject
    assert organisation.get_absolute_url() in mailoutbox[0].body
    # Decided once: a second approval is refused and makes no second organisation.
    client.post(f"/admin/members/organisationrequest/approve/{request_id}/")
    assert Organisation.objects.filter(name="Fjord Robotics").count() == 1


@pytest.mark.parametrize(
    "payload",
    [
        {"kind": "create", "name": "X", "country": "NO", "eccp_url": "https://example.org/x"},
        {"kind": "create", "name": "", "country": "NO", "eccp_url": ECCP},
        {"kind": "create", "name": "X", "country": "ZZ", "eccp_url": ECCP},
        {"kind": "claim"},
        {"kind": "adopt", "name": "X"},
    ],
)
def test_a_bad_request_is_a_400_and_stores_nothing(member, payload):
    response = api_for(member.user).post("/api/organisations/requests/", payload, format="json")
    assert response.status_code == 400
    assert not OrganisationRequest.objects.exists()


def test_a_claim_from_the_page_waits_for_an_editor_who_rejects_it_with_a_reason(
    client, member, organisation, editor, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(member.user)
    client.post(f"/organisations/{organisation.slug}/claim/", {"message": "I run it"})
    claim = OrganisationRequest.objects.get()
    assert (claim.kind, claim.organisation, claim.status) == ("claim", organisation, "pending")
    again = api_for(member.user).post(
        "/api/organisations/requests/",
        {"kind": "claim", "organisation": organisation.slug},
        format="json",
    )
    assert again.status_code == 409

    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/admin/members/organisationrequest/reject/{claim.pk}/",
            {"reason": "Not listed on the ECCP profile"},
        )
    claim.refresh_from_db()
    assert claim.status == "rejected"
    assert not organisation.co_admins.filter(pk=member.user.pk).exists()
    assert "Not listed on the ECCP profile" in mailoutbox[0].body
    listed = api_for(member.user).get("/api/organisations/requests/").json()
    assert listed[0]["status"] == "rejected"


def test_only_editors_decide_on_organisation_requests(client, member, coadmin, organisation):
    claim = services.claim_organisation(requester=member.user, organisation=organisation)
    client.force_login(coadmin.user)
    client.post(f"/admin/members/organisationrequest/approve/{claim.pk}/")
    claim.refresh_from_db()
    assert claim.status == "pending"
    assert not organisation.co_admins.filter(pk=member.user.pk).exists()


def test_the_request_e_mail_speaks_the_members_language(
    member, editor, mailoutbox, django_capture_on_commit_callbacks
):
    member.language = "de"
    member.save()
    made = services.request_organisation_creation(
        requester=member.user, name="Fjord Robotics", country="NO", eccp_url=ECCP
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_organisation_request(organisation_request=made, actor=editor)
    assert "Co-Admin" in mailoutbox[0].subject


# --- invitations -------------------------------------------------------------------------------


def test_a_coadmin_invites_by_e_mail_and_the_invitee_accepts(
    organisation, coadmin, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = api_for(coadmin.user).post(
            f"/api/organisations/{organisation.slug}/co-admins/",
            {"email": "Newcomer@Example.org"},
            format="json",
        )
    assert response.status_code == 201, response.content
    invitation = CoAdminInvitation.objects.get()
    assert invitation.get_absolute_url() in mailoutbox[0].body
    assert mailoutbox[0].to == ["newcomer@example.org"]

    # They sign up with that address later, and find the invitation waiting.
    newcomer = make_user(username="newcomer", email="newcomer@example.org")
    stranger = make_member(username="stranger")
    assert api_for(stranger.user).get("/api/members/me/invitations/").json() == []
    assert (
        api_for(stranger.user)
        .post(f"/api/members/me/invitations/{invitation.pk}/", {"accept": True}, format="json")
        .status_code
        == 404
    )
    mine = api_for(newcomer).get("/api/members/me/invitations/").json()
    assert [item["id"] for item in mine] == [invitation.pk]
    answer = api_for(newcomer).post(
        f"/api/members/me/invitations/{invitation.pk}/", {"accept": True}, format="json"
    )
    assert answer.status_code == 200
    assert organisation.co_admins.filter(pk=newcomer.pk).exists()
    again = api_for(newcomer).post(
        f"/api/members/me/invitations/{invitation.pk}/", {"accept": False}, format="json"
    )
    assert again.status_code == 404


def test_a_coadmin_invites_a_member_from_the_page_who_accepts_from_the_link(
    client, organisation, coadmin, member
):
    from members.models import Membership

    Membership.objects.create(member=member, organisation=organisation, status="approved")
    client.force_login(coadmin.user)
    page = client.get(f"/organisations/{organisation.slug}/co-admins/")
    assert member.name in page.content.decode()
    client.post(f"/organisations/{organisation.slug}/co-admins/invite/", {"member": member.pk})
    invitation = CoAdminInvitation.objects.get()
    assert invitation.invitee == member.user

    client.force_login(member.user)
    assert client.get(invitation.get_absolute_url()).status_code == 200
    client.post(invitation.get_absolute_url(), {"answer": "accept"})
    assert organisation.co_admins.filter(pk=member.user.pk).exists()


def test_inviting_twice_or_an_existing_coadmin_is_a_conflict(organisation, coadmin):
    api = api_for(coadmin.user)
    url = f"/api/organisations/{organisation.slug}/co-admins/"
    assert api.post(url, {"email": "a@example.org"}, format="json").status_code == 201
    assert api.post(url, {"email": "A@example.org"}, format="json").status_code == 409
    assert api.post(url, {"member": coadmin.pk}, format="json").status_code == 409
    assert api.post(url, {"email": "not-an-address"}, format="json").status_code == 400
    assert api.post(url, {}, format="json").status_code == 400


def test_others_cannot_see_or_manage_the_coadmins(organisation, coadmin, member, client):
    api = api_for(member.user)
    url = f"/api/organisations/{organisation.slug}/co-admins/"
    assert api.get(url).status_code == 403
    assert api.post(url, {"email": "x@example.org"}, format="json").status_code == 403
    assert api.delete(f"{url}{coadmin.pk}/").status_code == 403
    client.force_login(member.user)
    assert client.get(f"/organisations/{organisation.slug}/co-admins/").status_code == 403
    assert organisation.co_admins.count() == 1
    assert not CoAdminInvitation.objects.exists()


# --- removing ------------------------------------------------------------------------------------


def test_a_coadmin_removes_another_but_never_the_last(organisation, coadmin):
    second = make_member(username="second")
    organisation.co_admins.add(second.user)
    api = api_for(coadmin.user)
    url = f"/api/organisations/{organisation.slug}/co-admins/"
    listed = api.get(url).json()
    assert {c["id"] for c in listed["co_admins"]} == {coadmin.pk, second.pk}

    assert api.delete(f"{url}{second.pk}/").status_code == 204
    last = api.delete(f"{url}{coadmin.pk}/")
    assert last.status_code == 409
    assert "at least one co-admin" in last.json()["detail"]
    assert list(organisation.co_admins.all()) == [coadmin.user]


def test_the_page_refuses_removing_the_last_coadmin_with_a_message(client, organisation, coadmin):
    client.force_login(coadmin.user)
    response = client.post(
        f"/organisations/{organisation.slug}/co-admins/{coadmin.pk}/remove/", follow=True
    )
    assert "at least one co-admin" in response.content.decode()
    assert organisation.co_admins.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_coadmins_removing_each_other_at_once_leave_one(organisation, coadmin):
    from django.db import connection

    second = make_member(username="second")
    organisation.co_admins.add(second.user)
    barrier = threading.Barrier(2)
    outcomes = []

    def remove(actor, target):
        try:
            barrier.wait(timeout=10)
            services.remove_coadmin(organisation=organisation, actor=actor, user=target)
            outcomes.append("removed")
        except Conflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=remove, args=(coadmin.user, second.user)),
        threading.Thread(target=remove, args=(second.user, coadmin.user)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["conflict", "removed"]
    assert organisation.co_admins.count() == 1


# --- the logo ------------------------------------------------------------------------------------


def test_a_coadmin_uploads_the_logo(organisation, coadmin):
    upload = SimpleUploadedFile("logo.png", image_bytes(size=(120, 60)), content_type="image/png")
    response = api_for(coadmin.user).post(
        f"/api/organisations/{organisation.slug}/logo/", {"logo": upload}, format="multipart"
    )
    assert response.status_code == 200, response.content
    organisation.refresh_from_db()
    assert organisation.logo is not None
    assert response.json()["logo"].endswith(organisation.logo.file.url)
    detail = APIClient().get(f"/api/organisations/{organisation.slug}/").json()
    assert detail["logo"] == response.json()["logo"]


@pytest.mark.parametrize(
    "upload",
    [
        lambda: SimpleUploadedFile("logo.png", b"not an image", content_type="image/png"),
        lambda: SimpleUploadedFile(
            "logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", content_type="image/svg"
        ),
        lambda: SimpleUploadedFile(
            "logo.png", image_bytes(size=(900, 900)), content_type="image/png"
        ),
    ],
)
def test_a_logo_that_is_not_a_small_image_is_refused(organisation, coadmin, settings, upload):
    settings.MEMBERS_AVATAR_MAX_BYTES = 2000
    response = api_for(coadmin.user).post(
        f"/api/organisations/{organisation.slug}/logo/", {"logo": upload()}, format="multipart"
    )
    assert response.status_code == 400
    assert "logo" in response.json()
    organisation.refresh_from_db()
    assert organisation.logo is None


def test_only_coadmins_upload_the_logo(organisation, member, client):
    upload = SimpleUploadedFile("logo.png", image_bytes(), content_type="image/png")
    response = api_for(member.user).post(
        f"/api/organisations/{organisation.slug}/logo/", {"logo": upload}, format="multipart"
    )
    assert response.status_code == 403
    client.force_login(member.user)
    upload = SimpleUploadedFile("logo.png", image_bytes(), content_type="image/png")
    assert (
        client.post(f"/organisations/{organisation.slug}/logo/", {"logo": upload}).status_code
        == 403
    )


def test_the_logo_form_on_the_page_stores_it(client, organisation, coadmin):
    client.force_login(coadmin.user)
    upload = SimpleUploadedFile("logo.png", image_bytes(), content_type="image/png")
    client.post(f"/organisations/{organisation.slug}/logo/", {"logo": upload})
    organisation.refresh_from_db()
    assert organisation.logo is not None


def test_the_new_operations_are_in_the_openapi_schema(client):
    schema = client.get("/api/schema/?format=json").json()
    for path in (
        "/api/organisations/requests/",
        "/api/organisations/{slug}/co-admins/",
        "/api/organisations/{slug}/co-admins/{member_id}/",
        "/api/organisations/{slug}/logo/",
        "/api/members/me/invitations/",
    ):
        assert path in schema["paths"], path
