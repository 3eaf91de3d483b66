"""An event translated in the admin is a page of its language, with its own title,
description and programme; its registrations and seats stay with the English event,
whichever language a visitor registers in."""

import datetime

import pytest
from django.utils import timezone, translation
from wagtail.models import Locale

from events.models import EventPage, Registration
from tests.factories import make_event, make_index

pytestmark = pytest.mark.django_db


@pytest.fixture
def english_and_german(approved_member):
    make_index()
    with translation.override("en"):
        english = make_event(
            title="Cluster benchmarking training",
            slug="benchmarking",
            capacity=1,
            city="Vienna",
            country="AT",
            sessions=[
                {"start": timezone.now() + datetime.timedelta(days=10), "title": "Welcome"},
            ],
        )
    german_locale, _ = Locale.objects.get_or_create(language_code="de")
    german = english.copy_for_translation(german_locale, copy_parents=True)
    german.title = "Cluster-Benchmarking-Schulung"
    german.intro = "Ein Tag Benchmarking."
    sessions = list(german.sessions.all())
    sessions[0].title = "Begrüßung"
    german.sessions = sessions
    german.save_revision().publish()
    return english, EventPage.objects.get(pk=german.pk)


def test_the_german_event_page_has_its_own_title_and_programme(client, english_and_german):
    english, german = english_and_german
    page = client.get(german.url).content.decode()
    assert german.url.startswith("/de/")
    assert "Cluster-Benchmarking-Schulung" in page and "Begrüßung" in page
    assert "Welcome" not in page
    assert "Welcome" in client.get(english.url).content.decode()


def test_the_api_lists_each_event_once_in_the_language_asked_for(client, english_and_german):
    english, german = english_and_german
    german_list = client.get("/api/events/", {"locale": "de"}).json()["results"]
    assert [event["title"] for event in german_list] == ["Cluster-Benchmarking-Schulung"]
    english_list = client.get("/api/events/").json()["results"]
    assert [event["title"] for event in english_list] == ["Cluster benchmarking training"]


def test_registering_on_the_german_page_takes_the_english_events_seat(
    client, english_and_german, approved_member, other_member
):
    from members.models import Membership

    english, german = english_and_german
    client.force_login(approved_member.user)
    answer = client.post(f"/de/events/{german.pk}/register/")
    assert answer.status_code == 302
    registration = Registration.objects.get(member=approved_member)
    assert registration.event_id == english.pk and registration.status == "confirmed"

    # The one seat is taken in every language: the next member waits, in English too.
    Membership.objects.create(
        member=other_member,
        organisation=approved_member.memberships.first().organisation,
        status=Membership.Status.APPROVED,
    )
    client.force_login(other_member.user)
    client.post(f"/events/{english.pk}/register/")
    assert Registration.objects.get(member=other_member).status == "waitlisted"
    assert EventPage.objects.get(pk=german.pk).seats_left == 0
    assert client.get("/api/events/", {"locale": "de"}).json()["results"][0]["seats_left"] == 0
