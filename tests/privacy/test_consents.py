"""Consents: versioned terms and privacy policy accepted at sign-up and again when a new
version is published; marketing e-mail is opt-in; every answer is recorded."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from privacy import services
from privacy.models import ConsentRecord, PrivacyPolicyPage, TermsPage
from tests.factories import DEFAULT_PASSWORD, make_member
from tests.privacy.factories import make_policies, make_policy

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_without_policy_pages_nobody_is_asked_anything(client):
    member = make_member(username="mina")
    answer = api(member.user).get("/api/members/me/consents/").json()
    assert answer["terms"] == {
        "current_version": None,
        "accepted_version": None,
        "pending": False,
        "url": "",
    }
    assert answer["marketing"] is False and answer["history"] == []
    client.force_login(member.user)
    assert client.get("/members/").status_code == 200


def test_a_member_accepts_the_version_in_force_through_the_api():
    make_policies(version=1)
    member = make_member(username="mina")
    client = api(member.user)
    before = client.get("/api/members/me/consents/").json()
    assert before["terms"]["pending"] and before["privacy"]["pending"]
    assert before["terms"]["url"].endswith("/terms/")
    assert client.patch("/api/members/me/consents/", {"terms": 2}).status_code == 400
    answer = client.patch("/api/members/me/consents/", {"terms": 1, "privacy": 1})
    assert answer.status_code == 200
    assert answer.json()["terms"] == {
        **before["terms"],
        "accepted_version": 1,
        "pending": False,
    }
    again = client.patch("/api/members/me/consents/", {"terms": 1})
    assert again.status_code == 200
    assert ConsentRecord.objects.filter(user=member.user).count() == 2


@pytest.mark.parametrize(
    "body",
    [
        {"terms": "one"},
        {"terms": 0},
        {"terms": -1},
        {"terms": 10**30},
        {"marketing": "maybe"},
        {"marketing": 0},
        {"owner": 1},
        [],
        "text",
    ],
)
def test_bad_consent_input_is_a_400(body):
    make_policies(version=1)
    member = make_member(username="mina")
    answer = api(member.user).patch("/api/members/me/consents/", body, format="json")
    assert answer.status_code == 400
    assert not ConsentRecord.objects.exists()


def test_anonymous_clients_have_no_consents():
    assert APIClient().get("/api/members/me/consents/").status_code == 401
    assert APIClient().patch("/api/members/me/consents/", {"marketing": True}).status_code == 401


def test_marketing_is_opt_in_and_each_change_is_recorded():
    member = make_member(username="mina")
    assert services.wants_marketing(member.user) is False
    client = api(member.user)
    assert client.patch("/api/members/me/consents/", {"marketing": True}).json()["marketing"]
    client.patch("/api/members/me/consents/", {"marketing": True})
    answer = client.patch("/api/members/me/consents/", {"marketing": False}).json()
    assert answer["marketing"] is False
    assert [(r["document"], r["action"]) for r in answer["history"]] == [
        ("marketing", "withdrawn"),
        ("marketing", "accepted"),
    ]


def test_marketing_toggle_on_the_your_data_page(client):
    member = make_member(username="mina")
    client.force_login(member.user)
    page = client.get("/members/me/data/")
    assert page.status_code == 200
    client.post("/members/me/data/newsletters/", {"marketing": "on"})
    assert services.wants_marketing(member.user)
    client.post("/members/me/data/newsletters/", {})
    assert not services.wants_marketing(member.user)
    assert ConsentRecord.objects.filter(user=member.user).count() == 2


def test_a_new_version_asks_signed_in_members_to_accept_it_at_their_next_visit(client):
    make_policies(version=1)
    member = make_member(username="mina")
    services.accept_current_policies(user=member.user)
    client.force_login(member.user)
    assert client.get("/members/").status_code == 200

    make_policy(TermsPage, version=2)
    asked = client.get("/de/members/?page=1")
    assert asked.status_code == 302
    assert asked["Location"].startswith("/de/members/me/data/accept/")
    # The texts themselves, the API, sign-out and the data page stay open.
    assert client.get("/terms/").status_code == 200
    assert client.get("/members/me/data/").status_code == 200
    assert client.get("/api/members/me/").status_code == 200
    assert api(member.user).get("/api/members/me/consents/").json()["terms"]["pending"]

    page = client.get(asked["Location"])
    assert page.status_code == 200 and "/terms/" in page.content.decode()
    accepted = client.post(asked["Location"])
    assert accepted.status_code == 302 and accepted["Location"] == "/de/members/?page=1"
    assert client.get("/members/").status_code == 200
    assert services.accepted_versions(member.user) == {"terms": 2, "privacy": 1}


def test_the_acceptance_page_refuses_to_send_members_elsewhere(client):
    make_policies(version=1)
    member = make_member(username="mina")
    client.force_login(member.user)
    answer = client.post("/members/me/data/accept/?next=https://evil.example/")
    assert answer.status_code == 302 and answer["Location"] == "/"


def test_sign_up_records_the_accepted_versions_and_the_marketing_answer(client):
    make_policies(version=3)
    form = {
        "email": "neo@example.org",
        "username": "neo",
        "password1": DEFAULT_PASSWORD,
        "password2": DEFAULT_PASSWORD,
    }
    refused = client.post("/accounts/signup/", form)
    assert refused.status_code == 200
    assert not get_user_model().objects.filter(username="neo").exists()
    answer = client.post("/accounts/signup/", {**form, "accept_policies": "on"})
    assert answer.status_code == 302
    user = get_user_model().objects.get(username="neo")
    assert services.accepted_versions(user) == {"terms": 3, "privacy": 3}
    assert services.wants_marketing(user) is False

    client.logout()
    client.post(
        "/accounts/signup/",
        {
            **form,
            "email": "trin@example.org",
            "username": "trin",
            "accept_policies": "on",
            "marketing": "on",
        },
    )
    assert services.wants_marketing(get_user_model().objects.get(username="trin"))


def test_the_privacy_policy_lists_what_the_export_and_erasure_cover(client):
    from privacy.registry import SOURCES

    make_policy(PrivacyPolicyPage, version=1)
    html = client.get("/privacy/").content.decode()
    from html import unescape

    text = unescape(html)
    for source in SOURCES:
        assert str(source.what) in text
        assert str(source.why) in text


def test_unverified_accounts_are_removed_after_the_retention_time(settings):
    from django.utils import timezone

    settings.UNVERIFIED_ACCOUNT_DAYS = 30
    old = make_member(username="ghost").user
    EmailAddress.objects.filter(user=old).update(verified=False)
    young = make_member(username="newbie").user
    EmailAddress.objects.filter(user=young).update(verified=False)
    verified = make_member(username="kept").user
    made_by_staff = make_member(username="imported").user
    EmailAddress.objects.filter(user=made_by_staff).delete()
    long_ago = timezone.now() - timezone.timedelta(days=31)
    get_user_model().objects.filter(pk__in=[old.pk, verified.pk, made_by_staff.pk]).update(
        date_joined=long_ago
    )
    assert services.apply_retention()["unverified_removed"] == 1
    assert set(get_user_model().objects.values_list("username", flat=True)) >= {
        "newbie",
        "kept",
        "imported",
    }
    assert not get_user_model().objects.filter(username="ghost").exists()


def test_the_sign_up_form_links_the_texts_to_accept(client):
    make_policies(version=1)
    html = client.get("/accounts/signup/").content.decode()
    assert 'href="/terms/"' in html and 'href="/privacy/"' in html
    assert 'name="accept_policies"' in html and 'name="marketing"' in html


def test_editors_write_the_policy_pages_in_the_admin(client):
    from wagtail.models import Site

    from tests.factories import make_user

    admin = make_user(username="admin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    parent = Site.objects.get(is_default_site=True).root_page
    for model in ("termspage", "privacypolicypage"):
        answer = client.get(f"/admin/pages/add/privacy/{model}/{parent.pk}/")
        assert answer.status_code == 200, model
        assert 'name="version"' in answer.content.decode()
