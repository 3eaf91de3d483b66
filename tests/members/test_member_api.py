"""/api/members/: signed-in only, privacy of each profile, PATCH of one's own profile."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from members.models import MemberProfile, Membership
from tests.factories import make_member, make_organisation

from .conftest import image_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db):
    return {
        "public": make_member(username="pub", display_name="Pia Public", visibility="public"),
        "members": make_member(username="mem", display_name="Max Members", visibility="members"),
        "hidden": make_member(username="hid", display_name="Hugo Hidden", visibility="hidden"),
    }


def names(response):
    return sorted(item["display_name"] for item in response.json()["results"])


# --- who may read ------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/members/", "/api/members/me/", "/api/members/1/"])
def test_anonymous_visitors_are_refused(api_client, path):
    response = api_client.get(path)
    assert response.status_code in (401, 403)


def test_token_clients_without_a_token_get_401(api_client):
    response = api_client.get("/api/members/")
    assert response.status_code == 401


def test_a_member_lists_public_and_members_profiles_but_not_hidden_ones(api_client, people, member):
    api_client.force_authenticate(member.user)

    response = api_client.get("/api/members/")

    assert response.status_code == 200
    assert names(response) == ["Max Members", "Member", "Pia Public"]


def test_a_hidden_member_sees_their_own_profile_in_the_list(api_client, people):
    api_client.force_authenticate(people["hidden"].user)
    assert "Hugo Hidden" in names(api_client.get("/api/members/"))


def test_staff_see_hidden_profiles(api_client, people, editor):
    api_client.force_authenticate(editor)
    assert "Hugo Hidden" in names(api_client.get("/api/members/"))


def test_a_hidden_profile_is_a_404_for_another_member(api_client, people, member):
    api_client.force_authenticate(member.user)
    assert api_client.get(f"/api/members/{people['hidden'].pk}/").status_code == 404
    assert api_client.get(f"/api/members/{people['members'].pk}/").status_code == 200


def test_member_json_has_the_contract_fields(api_client, member, other_member, settings):
    settings.SITE_URL = "https://club.example.eu"
    organisation = make_organisation(name="Wood Cluster")
    Membership.objects.create(
        member=other_member, organisation=organisation, status="approved", role="Manager"
    )
    Membership.objects.create(
        member=other_member, organisation=make_organisation(name="Pending"), status="requested"
    )
    other_member.expertise.add("Internationalisation")
    other_member.save()
    api_client.force_authenticate(member.user)

    data = api_client.get(f"/api/members/{other_member.pk}/").json()

    assert data["id"] == other_member.pk
    assert data["display_name"] == "Other"
    assert data["visibility"] == "public"
    assert data["expertise"] == ["Internationalisation"]
    assert data["organisations"] == [
        {"name": "Wood Cluster", "slug": organisation.slug, "role": "Manager", "is_primary": False}
    ]
    assert data["url"] == f"https://club.example.eu/members/{other_member.pk}/"
    assert data["email"] is None
    assert data["phone"] is None


def test_email_and_phone_appear_only_when_the_member_shows_them(api_client, member, other_member):
    MemberProfile.objects.filter(pk=other_member.pk).update(
        phone="+45 1234", email_visibility="members", phone_visibility="hidden"
    )
    api_client.force_authenticate(member.user)

    data = api_client.get(f"/api/members/{other_member.pk}/").json()

    assert data["email"] == "other@example.org"
    assert data["phone"] is None


def test_a_member_sees_their_own_email_and_phone_on_me(api_client, member):
    MemberProfile.objects.filter(pk=member.pk).update(phone="+45 1234")
    api_client.force_authenticate(member.user)

    data = api_client.get("/api/members/me/").json()

    assert data["id"] == member.pk
    assert data["email"] == "member@example.org"
    assert data["phone"] == "+45 1234"


def test_member_filters_and_unknown_parameters(api_client, member, people):
    MemberProfile.objects.filter(pk=people["public"].pk).update(country="EE")
    api_client.force_authenticate(member.user)

    assert names(api_client.get("/api/members/?country=ee")) == ["Pia Public"]
    assert names(api_client.get("/api/members/?q=max")) == ["Max Members"]
    assert api_client.get("/api/members/?sort=name").status_code == 400
    assert api_client.get("/api/members/?country=QQ").status_code == 400


def test_the_member_list_costs_the_same_queries_for_many_members(
    api_client, member, django_assert_max_num_queries
):
    organisation = make_organisation()

    def add(n):
        for _ in range(n):
            profile = make_member()
            profile.expertise.add("Energy", "Health")
            profile.save()
            Membership.objects.create(member=profile, organisation=organisation, status="approved")

    api_client.force_authenticate(member.user)
    add(3)
    with django_assert_max_num_queries(10) as small:
        assert api_client.get("/api/members/?page_size=3").status_code == 200
    add(30)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = api_client.get("/api/members/?page_size=30")
    assert len(response.json()["results"]) == 30


# --- PATCH /api/members/me/ ------------------------------------------------------------------


def test_a_member_patches_their_own_profile(api_client, member):
    api_client.force_authenticate(member.user)

    response = api_client.patch(
        "/api/members/me/",
        {
            "display_name": "Mette",
            "expertise": ["Cluster strategy", "cluster strategy", "Smart specialisation"],
            "links": ["https://www.linkedin.com/in/mette"],
            "visibility": "hidden",
            "email_visibility": "members",
        },
    )

    assert response.status_code == 200, response.content
    data = response.json()
    assert data["display_name"] == "Mette"
    assert data["expertise"] == ["Cluster strategy", "Smart specialisation"]
    assert data["visibility"] == "hidden"
    member.refresh_from_db()
    assert member.links == ["https://www.linkedin.com/in/mette"]


@pytest.mark.parametrize(
    "payload",
    [
        {"user": 1},
        {"is_staff": True},
        {"organisations": [{"slug": "x", "status": "approved"}]},
        {"memberships": []},
        {"id": 99},
        {"visibility": "everyone"},
        {"links": ["javascript:alert(1)"]},
        {"expertise": ["x" * 101]},
        {"country": "XX"},
        {"phone": "<script>"},
    ],
)
def test_patch_refuses_staff_only_unknown_and_bad_fields_and_stores_nothing(
    api_client, member, payload
):
    api_client.force_authenticate(member.user)
    before = api_client.get("/api/members/me/").json()

    response = api_client.patch("/api/members/me/", payload)

    assert response.status_code == 400
    assert set(payload) & set(response.json())
    assert api_client.get("/api/members/me/").json() == before
    member.user.refresh_from_db()
    assert not member.user.is_staff


def test_patch_of_another_members_detail_is_not_allowed(api_client, member, other_member):
    api_client.force_authenticate(member.user)
    response = api_client.patch(f"/api/members/{other_member.pk}/", {"display_name": "Hacked"})
    assert response.status_code == 405
    other_member.refresh_from_db()
    assert other_member.display_name == "Other"


def test_anonymous_cannot_patch_me(api_client):
    assert api_client.patch("/api/members/me/", {"display_name": "x"}).status_code == 401


def test_a_valid_avatar_is_stored(api_client, member):
    api_client.force_authenticate(member.user)
    upload = SimpleUploadedFile("me.png", image_bytes(), content_type="image/png")

    response = api_client.patch("/api/members/me/", {"avatar": upload}, format="multipart")

    assert response.status_code == 200, response.content
    assert response.json()["avatar"].endswith(".png")


def test_a_non_image_avatar_is_a_clear_400(api_client, member):
    api_client.force_authenticate(member.user)
    upload = SimpleUploadedFile("me.png", b"%PDF-1.4 not an image", content_type="image/png")

    response = api_client.patch("/api/members/me/", {"avatar": upload}, format="multipart")

    assert response.status_code == 400
    assert "valid image" in response.json()["avatar"][0]
    member.refresh_from_db()
    assert not member.avatar


def test_an_oversized_avatar_is_a_clear_400(api_client, member, settings):
    settings.MEMBERS_AVATAR_MAX_BYTES = 1000
    api_client.force_authenticate(member.user)
    upload = SimpleUploadedFile(
        "big.bmp", image_bytes(size=(200, 200), image_format="BMP"), content_type="image/bmp"
    )

    response = api_client.patch("/api/members/me/", {"avatar": upload}, format="multipart")

    assert response.status_code == 400
    assert "limit" in response.json()["avatar"][0]
    member.refresh_from_db()
    assert not member.avatar


def test_an_image_in_an_unsupported_format_is_refused(api_client, member):
    api_client.force_authenticate(member.user)
    upload = SimpleUploadedFile("me.bmp", image_bytes(image_format="BMP"), content_type="image/bmp")

    response = api_client.patch("/api/members/me/", {"avatar": upload}, format="multipart")

    assert response.status_code == 400


def test_an_image_with_too_many_pixels_is_refused(api_client, member, settings):
    settings.MEMBERS_AVATAR_MAX_PIXELS = 100
    api_client.force_authenticate(member.user)
    upload = SimpleUploadedFile("me.png", image_bytes(size=(20, 20)), content_type="image/png")

    response = api_client.patch("/api/members/me/", {"avatar": upload}, format="multipart")

    assert response.status_code == 400
    assert "pixels" in response.json()["avatar"][0]


@pytest.mark.parametrize("value", ["0", "yes", "everyone", 0, None, True])
def test_field_visibilities_take_public_members_or_hidden_only(api_client, member, value):
    api_client.force_authenticate(member.user)
    response = api_client.patch("/api/members/me/", {"phone_visibility": value}, format="json")
    assert response.status_code == 400
    assert "phone_visibility" in response.json()


def test_a_new_account_gets_a_profile():
    from tests.factories import make_user

    make_user(username="newcomer")
    assert MemberProfile.objects.filter(user__username="newcomer").exists()
