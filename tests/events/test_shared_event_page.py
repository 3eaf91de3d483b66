"""Members share one copy of an event page; each member's own part of it (their
registration or the form to register, the online link once their seat is confirmed) is
filled in for them, and nothing of one member reaches another."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from events import services
from events.models import EventSession, EventSpeaker, Registration
from tests.factories import make_event, make_member

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache")]

HIT = "X-Page-Cache"
LINK = "https://meet.example.org/cluster-room-4711"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def webinar(ariadne, django_capture_on_commit_callbacks):
    """An online event with three seats, one of them Ariadne's."""
    event = make_event(title="Cluster webinar", capacity=3, online_link=LINK)
    with django_capture_on_commit_callbacks(execute=True):
        services.register_for_event(event=event, member=ariadne.profile)
    return event


def test_members_share_the_event_page_and_each_sees_their_own_registration(
    webinar, ariadne, bertram
):
    ticket = Registration.objects.get(event=webinar, member__user=ariadne).ticket_code

    first = signed_in(ariadne).get(webinar.url)
    assert HIT not in first
    assert ticket in first.text and LINK in first.text
    assert "2 of 3 seats left" in first.text

    second = signed_in(bertram).get(webinar.url)
    assert second[HIT] == "hit"
    assert ticket not in second.text and LINK not in second.text
    assert "Ariadne Alpha" not in second.text and "Bertram Beta" in second.text
    assert reverse("events:register", args=[webinar.pk]) in second.text
    again = signed_in(ariadne).get(webinar.url)
    assert again[HIT] == "hit"
    assert ticket in again.text and LINK in again.text


def test_a_member_registers_with_the_form_of_the_shared_copy(
    webinar, ariadne, bertram, django_capture_on_commit_callbacks
):
    signed_in(ariadne).get(webinar.url)
    client = Client(enforce_csrf_checks=True)
    client.force_login(bertram)
    page = client.get(webinar.url)
    assert page[HIT] == "hit"
    token = TOKEN.findall(page.text)[-1]

    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(
            reverse("events:register", args=[webinar.pk]), {"csrfmiddlewaretoken": token}
        )

    assert answer.status_code == 302
    assert Registration.objects.get(event=webinar, member__user=bertram).status == "confirmed"
    after = client.get(webinar.url)
    assert LINK in after.text
    # The seat he took shows to everyone: the registration started a new generation.
    assert "1 of 3 seat left" in signed_in(ariadne).get(webinar.url).text


def test_anonymous_readers_get_the_guest_form_not_a_members_part(webinar, ariadne):
    webinar.guests_allowed = True
    webinar.save_revision().publish()
    signed_in(ariadne).get(webinar.url)

    page = Client().get(webinar.url)

    assert page.status_code == 200
    assert LINK not in page.text
    assert reverse("events:guest-register", args=[webinar.pk]) in page.text
    assert reverse("events:cancel", args=[webinar.pk]) not in page.text


def test_a_speakers_hidden_profile_never_reaches_the_shared_copy(webinar, ariadne, bertram):
    profile = ariadne.profile
    profile.visibility = "hidden"
    profile.save()
    EventSpeaker.objects.create(page=webinar, name="Ariadne A.", member=profile)
    session = EventSession.objects.create(
        page=webinar, start=webinar.start, title="Opening", room="Hall"
    )
    session.speakers.add(profile)

    own = signed_in(ariadne).get(webinar.url)
    theirs = signed_in(bertram).get(webinar.url)

    assert theirs[HIT] == "hit"
    for page in (own, theirs):
        assert profile.get_absolute_url() not in page.text
        assert "Ariadne Alpha" not in page.text.split("Opening", 1)[1]


def _event_with_programme(size: int, speakers):
    event = make_event(title=f"Cluster days {size}", capacity=50, online_link=LINK)
    for number in range(size):
        profile = speakers[number % len(speakers)]
        EventSpeaker.objects.create(page=event, name=f"Speaker {number}", member=profile)
        session = EventSession.objects.create(
            page=event, start=event.start, title=f"Session {number}", room="Hall"
        )
        session.speakers.add(profile)
    return event


def test_a_members_hit_costs_the_same_for_one_session_or_fifty(ariadne, bertram):
    """The shared copy holds the programme; the member's part costs the same few queries
    (their registration, and the form's questions, ticket types and seats) however long."""
    speakers = [make_member(username=f"speaker{n}").user.profile for n in range(5)]
    events = [_event_with_programme(size, speakers) for size in (1, 50)]
    client = signed_in(bertram)
    client.get("/")  # his account links and admin access, kept from his first page
    costs = []
    for event in events:
        signed_in(ariadne).get(event.url)
        with CaptureQueriesContext(connection) as queries:
            page = client.get(event.url)
        assert page[HIT] == "hit"
        assert event.sessions.last().title in page.text
        costs.append(len(queries))
    assert costs[0] == costs[1]
    assert costs[1] <= 8, costs
