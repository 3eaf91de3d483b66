"""HTML pages: directories, profiles, editing, privacy and the permission matrix."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from members.models import Membership, Organisation, RegisterEntry
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


# --- member directory and profiles: privacy --------------------------------------------------


def test_anonymous_visitors_see_only_public_profiles_in_the_directory(client, people):
    content = client.get("/members/").content.decode()
    assert "Pia Public" in content
    assert "Max Members" not in content
    assert "Hugo Hidden" not in content


def test_members_see_members_only_profiles_but_never_hidden_ones(client, people, member):
    client.force_login(member.user)
    content = client.get("/members/").content.decode()
    assert "Pia Public" in content
    assert "Max Members" in content
    assert "Hugo Hidden" not in content


def test_the_directory_search_does_not_reveal_hidden_profiles(client, people, member):
    client.force_login(member.user)
    assert "Hugo Hidden" not in client.get("/members/?q=hugo").content.decode()


@pytest.mark.parametrize(
    ("who", "target", "status"),
    [
        ("anonymous", "public", 200),
        ("anonymous", "members", 404),
        ("anonymous", "hidden", 404),
        ("member", "members", 200),
        ("member", "hidden", 404),
        ("owner", "hidden", 200),
        ("editor", "hidden", 200),
    ],
)
def test_profile_pages_respect_visibility(client, people, member, editor, who, target, status):
    viewer = {"anonymous": None, "member": member.user, "owner": people["hidden"].user}.get(
        who, editor
    )
    if viewer is not None:
        client.force_login(viewer)
    assert client.get(f"/members/{people[target].pk}/").status_code == status


def test_a_profile_shows_email_only_when_chosen(client, member, other_member):
    client.force_login(member.user)
    assert "other@example.org" not in client.get(f"/members/{other_member.pk}/").content.decode()
    other_member.email_visibility = "members"
    other_member.save()
    assert "other@example.org" in client.get(f"/members/{other_member.pk}/").content.decode()


def test_member_html_is_escaped(client, member):
    member.bio = "<script>alert(1)</script>"
    member.save()
    content = client.get(f"/members/{member.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;" in content


def test_hidden_members_do_not_appear_on_an_organisations_page(client, people, organisation):
    for key in ("public", "hidden"):
        Membership.objects.create(member=people[key], organisation=organisation, status="approved")
    content = client.get(f"/organisations/{organisation.slug}/").content.decode()
    assert "Pia Public" in content
    assert "Hugo Hidden" not in content


# --- registers -----------------------------------------------------------------------------------


def test_the_register_pages_are_public_and_respect_visibility(client, people):
    for key in ("public", "hidden"):
        RegisterEntry.objects.create(
            member=people[key], register="tutors", modules="Benchmarking", status="certified"
        )
    RegisterEntry.objects.create(
        member=people["public"], register="instructors", modules="Strategy"
    )

    tutors = client.get("/registers/foundation-tutors/").content.decode()
    assert "Pia Public" in tutors
    assert "Hugo Hidden" not in tutors
    assert "Benchmarking" in tutors
    assert "Strategy" in client.get("/registers/foundation-instructors/").content.decode()
    assert client.get("/registers/").status_code == 200
    assert client.get("/registers/unknown/").status_code == 404


def test_register_entries_are_shown_on_the_profile(client, people):
    RegisterEntry.objects.create(
        member=people["public"], register="instructors", modules="Strategy, Services"
    )
    content = client.get(f"/members/{people['public'].pk}/").content.decode()
    assert "Foundation Instructors" in content
    assert "Strategy, Services" in content


# --- organisation directory ---------------------------------------------------------------------


def test_the_organisation_directory_filters_and_hides_unpublished(client, organisation, gold_label):
    make_organisation(name="Alpine Wood", country="AT")
    make_organisation(name="Secret Draft", is_published=False)

    everything = client.get("/organisations/").content.decode()
    assert "Robotics Cluster" in everything and "Alpine Wood" in everything
    assert "Secret Draft" not in everything
    by_country = client.get("/organisations/?country=AT").content.decode()
    assert "Alpine Wood" in by_country and "Robotics Cluster" not in by_country
    by_label = client.get("/organisations/?label=gold").content.decode()
    assert "Robotics Cluster" in by_label and "Alpine Wood" not in by_label
    assert client.get("/organisations/?country=ZZ&page=99").status_code == 200


def test_an_unpublished_organisation_page_is_a_404(client, organisation):
    Organisation.objects.filter(pk=organisation.pk).update(is_published=False)
    assert client.get(f"/organisations/{organisation.slug}/").status_code == 404


def test_an_expired_label_is_shown_as_expired(client, organisation, today):
    import datetime

    from members.models import QualityLabel

    QualityLabel.objects.create(
        organisation=organisation,
        level="bronze",
        awarded_on=today - datetime.timedelta(days=900),
        valid_until=today - datetime.timedelta(days=10),
    )
    content = client.get(f"/organisations/{organisation.slug}/").content.decode()
    assert "expired" in content


# --- edit my profile -----------------------------------------------------------------------------


def test_edit_my_profile_needs_signing_in(client):
    response = client.get("/members/me/edit/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def profile_form(**overrides):
    data = {
        "display_name": "New Name",
        "job_title": "Manager",
        "bio": "",
        "country": "DK",
        "languages": "da, en",
        "phone": "",
        "visibility": "members",
        "expertise": "Strategy, Training",
        "links": "https://example.org/me",
    }
    data.update(overrides)
    return data


def test_a_member_edits_their_profile(client, member, other_member):
    client.force_login(member.user)

    response = client.post("/members/me/edit/", profile_form())

    assert response.status_code == 302
    member.refresh_from_db()
    other_member.refresh_from_db()
    assert member.display_name == "New Name"
    assert member.expertise_names() == ["Strategy", "Training"]
    assert member.links == ["https://example.org/me"]
    assert other_member.display_name == "Other"


def test_bad_profile_input_shows_form_errors_and_stores_nothing(client, member):
    client.force_login(member.user)
    upload = SimpleUploadedFile("x.png", b"not an image", content_type="image/png")

    response = client.post(
        "/members/me/edit/",
        {**profile_form(links="notaurl"), "avatar": upload},
    )

    assert response.status_code == 200
    assert response.context["form"].errors
    member.refresh_from_db()
    assert member.display_name == "Member"
    assert not member.avatar


def test_a_valid_avatar_upload_through_the_form_is_stored(client, member):
    client.force_login(member.user)
    upload = SimpleUploadedFile("me.png", image_bytes(), content_type="image/png")

    response = client.post("/members/me/edit/", {**profile_form(), "avatar": upload})

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.avatar.name.startswith("avatars/")


# --- organisation editing: the permission matrix ------------------------------------------------


def organisation_form(**overrides):
    data = {
        "description": "Robots for everyone",
        "website": "https://robo.example.dk",
        "region": "",
        "city": "Odense",
        "contact_email": "",
        "year_founded": "2009",
        "members_sme": "10",
        "members_large": "1",
        "members_research": "2",
        "members_other": "0",
        "eccp_url": "",
        "technologies": "Robotics, Drones",
        "value_chains": "",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("who", "get_status"),
    [("member", 403), ("other_coadmin", 403), ("coadmin", 200), ("editor", 200)],
)
def test_who_may_open_the_organisation_edit_page(
    client, organisation, coadmin, member, editor, who, get_status
):
    users = {"member": member.user, "coadmin": coadmin.user, "editor": editor}
    if who == "other_coadmin":
        other = make_organisation(name="Elsewhere")
        profile = make_member(username="elsewhere")
        other.co_admins.add(profile.user)
        users[who] = profile.user
    client.force_login(users[who])

    assert client.get(f"/organisations/{organisation.slug}/edit/").status_code == get_status
    response = client.post(f"/organisations/{organisation.slug}/edit/", organisation_form())

    organisation.refresh_from_db()
    if get_status == 200:
        assert response.status_code == 302
        assert organisation.city == "Odense"
        assert sorted(organisation.technology_names()) == ["Drones", "Robotics"]
    else:
        assert response.status_code == 403
        assert organisation.city == ""


def test_anonymous_visitors_are_sent_to_sign_in_to_edit_an_organisation(client, organisation):
    response = client.post(f"/organisations/{organisation.slug}/edit/", organisation_form())
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_website_typed_without_its_scheme_is_stored_as_https(client, organisation, coadmin):
    client.force_login(coadmin.user)

    response = client.post(
        f"/organisations/{organisation.slug}/edit/", organisation_form(website="robo.example.dk")
    )

    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.website == "https://robo.example.dk"


def test_a_bad_eccp_url_is_a_form_error(client, organisation, coadmin):
    client.force_login(coadmin.user)
    response = client.post(
        f"/organisations/{organisation.slug}/edit/",
        organisation_form(eccp_url="https://evil.example.com/clustercollaboration.eu"),
    )
    assert response.status_code == 200
    assert "eccp_url" in response.context["form"].errors


def test_my_organisations_lists_memberships_and_pending_requests(
    client, organisation, coadmin, member
):
    Membership.objects.create(member=member, organisation=organisation, role="Analyst")
    client.force_login(coadmin.user)

    content = client.get("/members/me/organisations/").content.decode()

    assert "Requests to join" in content
    assert "Member" in content
    assert client.get("/members/me/").status_code == 200
