"""Members have a preferred language: chosen at sign-up, changed in the profile, and every
e-mail to them is written in it, not in the sender's or the server's."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from events import services as event_services
from members import services
from members.models import MemberProfile
from tests.factories import DEFAULT_PASSWORD, make_event, make_organisation

pytestmark = pytest.mark.django_db


def test_a_member_reads_and_changes_their_language_through_the_api(api_client, member):
    api_client.force_authenticate(member.user)
    assert api_client.get("/api/members/me/").json()["language"] == "en"

    response = api_client.patch("/api/members/me/", {"language": "de"}, format="json")

    assert response.status_code == 200 and response.json()["language"] == "de"
    member.refresh_from_db()
    assert member.language == "de"


@pytest.mark.parametrize("value", ["xx", "", "german", 7, None])
def test_an_unknown_language_is_refused_and_nothing_changes(api_client, member, value):
    api_client.force_authenticate(member.user)
    response = api_client.patch("/api/members/me/", {"language": value}, format="json")
    assert response.status_code == 400 and "language" in response.json()
    member.refresh_from_db()
    assert member.language == "en"


def test_others_do_not_see_a_members_language(api_client, member, other_member):
    api_client.force_authenticate(other_member.user)
    member.visibility = MemberProfile.Visibility.PUBLIC
    member.save()
    assert "language" not in api_client.get(f"/api/members/{member.pk}/").json()


def test_the_profile_form_changes_the_language(client, member):
    client.force_login(member.user)
    page = client.get("/members/me/edit/").content.decode()
    assert 'name="language"' in page
    response = client.post(
        "/members/me/edit/",
        {"display_name": "Léa Lyon", "visibility": "members", "language": "fr"},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.language == "fr"


@pytest.mark.parametrize(
    ("path", "accept", "language"),
    [
        ("/de/accounts/signup/", "en", "de"),
        ("/accounts/signup/", "es-ES,es;q=0.9", "es"),
        ("/accounts/signup/", "ja", "en"),
    ],
)
def test_sign_up_sets_the_language_the_visitor_came_in(client, path, accept, language):
    response = client.post(
        path,
        {
            "email": "newcomer@example.org",
            "username": "newcomer",
            "password1": DEFAULT_PASSWORD,
            "password2": DEFAULT_PASSWORD,
        },
        HTTP_ACCEPT_LANGUAGE=accept,
    )
    assert response.status_code == 302
    assert MemberProfile.objects.get(user__username="newcomer").language == language


def test_a_registration_e_mail_is_written_in_the_members_language(
    member, django_capture_on_commit_callbacks
):
    member.language = "de"
    member.save()
    event = make_event(title="Europe INNOVA")
    with django_capture_on_commit_callbacks(execute=True):
        event_services.register_for_event(event=event, member=member)
    (message,) = mail.outbox
    assert message.subject == "Ihr Platz bei Europe INNOVA ist bestätigt"


def test_a_label_reminder_goes_to_each_co_admin_in_their_language(member, other_member):
    from members.models import QualityLabel

    organisation = make_organisation(name="Lyon Mobility Cluster")
    member.language = "fr"
    member.save()
    organisation.co_admins.add(member.user, other_member.user)
    today = timezone.localdate()
    label = QualityLabel.objects.create(
        organisation=organisation,
        level="gold",
        awarded_on=today - datetime.timedelta(days=700),
        valid_until=today + datetime.timedelta(days=30),
    )

    assert services.send_label_reminder(label=label, days_before=30, today=today)

    subjects = {tuple(message.to): message.subject for message in mail.outbox}
    assert subjects == {
        (other_member.user.email,): f"Your Gold quality label expires on {label.valid_until}",
        (member.user.email,): f"Votre label de qualité Or expire le {label.valid_until}",
    }
