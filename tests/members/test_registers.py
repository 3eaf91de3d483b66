"""Registers: an expired certification never reads as certified (shown as expired, or
hidden as editors choose); reminders before expiry; the registers in the API."""

import datetime

import pytest
from django.utils import timezone
from wagtail.models import Site

from members import services
from members.models import RegisterEntry, RegisterReminder, RegisterSettings
from taskqueue import periodic
from tests.factories import make_member, make_user

pytestmark = pytest.mark.django_db


def entry_for(member, *, valid_until, register="tutors", status="certified"):
    return RegisterEntry.objects.create(
        member=member,
        register=register,
        status=status,
        modules="Cluster strategy",
        certified_on=datetime.date(2020, 1, 1),
        valid_until=valid_until,
    )


@pytest.fixture
def entries(db):
    today = timezone.localdate()
    return {
        "expired": entry_for(
            make_member(username="old", display_name="Olga Expired"),
            valid_until=today - datetime.timedelta(days=1),
        ),
        "expiring": entry_for(
            make_member(username="soon", display_name="Sven Soon"),
            valid_until=today + datetime.timedelta(days=10),
        ),
        "current": entry_for(
            make_member(username="fine", display_name="Fiona Fine"),
            valid_until=today + datetime.timedelta(days=400),
            register="instructors",
        ),
    }


def hide_expired():
    site = Site.objects.get(is_default_site=True)
    settings = RegisterSettings.for_site(site)
    settings.expired_entries = RegisterSettings.ExpiredEntries.HIDE
    settings.save()


def test_an_expired_certification_is_shown_as_expired_never_as_certified(client, entries):
    html = client.get("/registers/foundation-tutors/").content.decode()
    row = html[html.index("Olga Expired") :].split("</tr>")[0]
    assert "Expired" in row and "Certified" not in row
    soon = html[html.index("Sven Soon") :].split("</tr>")[0]
    assert "Certified" in soon
    profile = client.get(entries["expired"].member.get_absolute_url()).content.decode()
    assert "Expired" in profile and ">Certified<" not in profile


def test_editors_can_hide_expired_certifications(client, entries):
    hide_expired()
    html = client.get("/registers/foundation-tutors/").content.decode()
    assert "Olga Expired" not in html and "Sven Soon" in html
    body = client.get("/api/registers/").json()
    assert "Olga Expired" not in str(body)


def test_the_api_lists_the_registers_with_their_expiry_status(client, entries):
    body = client.get("/api/registers/").json()
    by_name = {item["member"]["name"]: item for item in body["results"]}
    assert by_name["Olga Expired"]["status"] == "expired"
    assert by_name["Olga Expired"]["expiry_status"] == "expired"
    assert by_name["Sven Soon"]["status"] == "certified"
    assert by_name["Sven Soon"]["expiry_status"] == "expiring"
    assert by_name["Fiona Fine"]["expiry_status"] == "current"
    assert by_name["Fiona Fine"]["member"]["url"].endswith(
        entries["current"].member.get_absolute_url()
    )


@pytest.mark.parametrize(
    "query, names",
    [
        ("register=instructors", ["Fiona Fine"]),
        ("expiry=expired", ["Olga Expired"]),
        ("expiry=expiring", ["Sven Soon"]),
        ("expiry=current", ["Fiona Fine"]),
        ("q=sven", ["Sven Soon"]),
    ],
)
def test_the_registers_api_filters(client, entries, query, names):
    body = client.get(f"/api/registers/?{query}").json()
    assert [item["member"]["name"] for item in body["results"]] == names


@pytest.mark.parametrize(
    "query", ["register=cooks", "expiry=soonish", "bogus=1", "expiry=EXPIRED", "page=abc"]
)
def test_bad_register_filters_are_a_400(client, entries, query):
    response = client.get(f"/api/registers/?{query}")
    assert response.status_code in (400, 404), query
    assert response["Content-Type"].startswith("application/json")


def test_a_member_profile_in_the_api_never_says_certified_when_expired(entries):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(make_user(username="reader"))
    body = client.get(f"/api/members/{entries['expired'].member.pk}/").json()
    assert body["registers"][0]["status"] == "expired"


def test_hidden_profiles_stay_out_of_the_registers_api(client, entries):
    profile = entries["current"].member
    profile.visibility = "hidden"
    profile.save()
    assert "Fiona Fine" not in str(client.get("/api/registers/").json())


# --- Reminders ----------------------------------------------------------------------------------


def run(today):
    return services.send_register_reminders(today=today)


def test_holder_and_staff_are_reminded_in_their_own_language(mailoutbox):
    today = timezone.localdate()
    holder = make_member(username="ana", display_name="Ana Tutor", language="de")
    staff = make_user(username="staffer", is_staff=True)
    entry = entry_for(holder, valid_until=today + datetime.timedelta(days=60))

    assert run(today).sent == 1

    to = {tuple(message.to): message for message in mailoutbox}
    german = to[(holder.user.email,)]
    assert "läuft" in german.body or "Zertifizierung" in german.body
    english = to[(staff.email,)]
    assert "Ana Tutor" in english.body and "60 days" in english.body
    assert RegisterReminder.objects.get().entry == entry


def test_a_reminder_is_never_sent_twice_and_the_14_day_one_follows(mailoutbox):
    today = timezone.localdate()
    holder = make_member(username="ana")
    entry_for(holder, valid_until=today + datetime.timedelta(days=60))
    run(today)
    run(today)
    run(today + datetime.timedelta(days=1))
    assert len(mailoutbox) == 1
    run(today + datetime.timedelta(days=46))
    assert len(mailoutbox) == 2
    assert "14 days" in mailoutbox[1].body


def test_a_renewed_certification_is_reminded_again_before_its_new_date(mailoutbox):
    today = timezone.localdate()
    entry = entry_for(make_member(username="ana"), valid_until=today + datetime.timedelta(days=10))
    run(today)
    entry.valid_until = today + datetime.timedelta(days=375)
    entry.save()
    run(today + datetime.timedelta(days=365))
    assert len(mailoutbox) == 2


def test_expired_withdrawn_or_far_certifications_get_no_reminder(mailoutbox):
    today = timezone.localdate()
    entry_for(make_member(username="a"), valid_until=today - datetime.timedelta(days=1))
    entry_for(make_member(username="b"), valid_until=today + datetime.timedelta(days=200))
    entry_for(
        make_member(username="c"),
        valid_until=today + datetime.timedelta(days=5),
        status="withdrawn",
    )
    assert run(today).due == 0
    assert mailoutbox == []


def test_the_reminders_run_daily_on_the_task_queue(mailoutbox):
    job = periodic.JOBS["members.send_register_reminders"]
    assert job.every == datetime.timedelta(days=1)
    entry_for(make_member(username="ana"), valid_until=timezone.localdate())
    assert job.task.call() == 1
    assert len(mailoutbox) == 1
