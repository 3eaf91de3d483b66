"""The members' demo content: the consortium partners and demo members, idempotent."""

import pytest

from demo.loader import seed_members
from members.models import (
    Activity,
    CoAdminInvitation,
    Follow,
    MemberProfile,
    Membership,
    Organisation,
    OrganisationRequest,
    QualityLabel,
    RegisterEntry,
    Sector,
)

pytestmark = pytest.mark.django_db

MODELS = [
    Sector,
    Organisation,
    QualityLabel,
    MemberProfile,
    Membership,
    RegisterEntry,
    Follow,
    Activity,
    OrganisationRequest,
    CoAdminInvitation,
]


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_seeding_twice_gives_the_same_rows():
    lines = []
    seed_members(home=None, log=lines.append)
    first = counts()

    seed_members(home=None, log=lines.append)

    assert counts() == first
    assert first["Organisation"] == 11
    assert any("organisations" in line for line in lines)


def test_the_demo_has_the_consortium_a_gold_and_an_expired_label():
    seed_members(home=None, log=lambda line: None)

    names = set(Organisation.objects.values_list("name", flat=True))
    assert {"IESE Business School", "Innovation Norway", "MFG Baden-Württemberg"} <= names
    assert Organisation.objects.get(slug="mfg-baden-wurttemberg").current_label().level == "gold"
    expired = QualityLabel.objects.get(organisation__slug="baltic-innovation-agency")
    assert expired.is_expired()
    assert set(MemberProfile.objects.values_list("visibility", flat=True)) >= {
        "public",
        "members",
        "hidden",
    }


def test_demo_accounts_cannot_sign_in():
    seed_members(home=None, log=lambda line: None)
    profile = MemberProfile.objects.get(user__username="demo-anna")
    assert not profile.user.has_usable_password()


def test_the_demo_has_a_pending_organisation_request_and_an_open_invitation():
    seed_members(home=None, log=lambda line: None)
    request = OrganisationRequest.objects.get(name="Nordic Maritime Cluster")
    assert (request.kind, request.status, request.country.code) == ("create", "pending", "NO")
    assert CoAdminInvitation.objects.filter(
        status="pending", invitee__username="demo-lars"
    ).exists()
    assert CoAdminInvitation.objects.filter(email="new.coadmin@example.org").exists()
