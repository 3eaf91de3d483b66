"""Guests without an account: a request holds no seat, the e-mailed link confirms one
under the event's lock, another link cancels it; the organiser decides per event."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone

from domain.exceptions import Conflict
from events import guests, services
from events.models import EventPage, GuestRegistration, Registration, TicketType
from tests.factories import make_member

pytestmark = pytest.mark.django_db


def ask(event, email="ana@example.org", **fields):
    fields.setdefault("name", "Ana Popescu")
    return guests.request_guest_registration(event=event, email=email, **fields)


def test_a_guest_request_holds_no_seat_until_the_link_is_confirmed(
    event_factory, django_capture_on_commit_callbacks
):
    event = event_factory(capacity=1, guests_allowed=True)
    with django_capture_on_commit_callbacks(execute=True):
        guest = ask(event, organisation="Cluster Bucharest", language="fr")
    assert guest.status == "pending" and event.seats_left == 1
    [message] = mail.outbox
    assert message.to == ["ana@example.org"]
    assert f"/events/guests/{guest.token}/confirm/" in message.body
    guests.confirm_guest_registration(token=guest.token)
    guest.refresh_from_db()
    assert guest.status == "confirmed"
    assert EventPage.objects.get(pk=event.pk).seats_left == 0
    # A member now finds the event full: guests count against the same seats.
    registration, _ = services.register_for_event(event=event, member=make_member())
    assert registration.status == "waitlisted"


def test_confirming_a_full_event_is_refused_and_cancelling_a_guest_promotes_the_waitlist(
    event_factory,
):
    event = event_factory(capacity=1, guests_allowed=True)
    first = ask(event, email="first@example.org")
    second = ask(event, email="second@example.org")
    guests.confirm_guest_registration(token=first.token)
    with pytest.raises(Conflict):
        guests.confirm_guest_registration(token=second.token)
    waiting, _ = services.register_for_event(event=event, member=make_member())
    guests.cancel_guest_registration(token=first.token)
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"
    assert guests.cancel_guest_registration(token=first.token).status == "cancelled"


def test_guests_are_refused_where_the_organiser_does_not_take_them(event_factory):
    closed = event_factory(capacity=5)
    with pytest.raises(Conflict):
        ask(closed)
    members_only = event_factory(capacity=5, members_only=True)
    EventPage.objects.filter(pk=members_only.pk).update(guests_allowed=True)
    with pytest.raises(Conflict):
        ask(members_only)
    assert not GuestRegistration.objects.exists()


@pytest.mark.parametrize(
    "fields",
    [
        {"email": "not an address"},
        {"email": ""},
        {"name": ""},
        {"name": "x" * 300},
        {"name": ["Ana"]},
        {"answers": "yes"},
    ],
)
def test_bad_guest_details_are_refused_with_field_errors(event_factory, fields):
    event = event_factory(capacity=5, guests_allowed=True)
    with pytest.raises(ValidationError):
        ask(event, **fields)


def test_a_guest_takes_only_ticket_types_open_to_guests(event_factory):
    event = event_factory(capacity=5, guests_allowed=True)
    members = TicketType.objects.create(event=event, name="Member", kind="member")
    public = TicketType.objects.create(event=event, name="Non-member", kind="non_member")
    with pytest.raises(ValidationError):
        ask(event)
    with pytest.raises(Conflict):
        ask(event, ticket_type=members.pk)
    assert ask(event, ticket_type=public.pk).ticket_type == public


def test_asking_again_tells_nobody_whether_the_address_is_registered(
    event_factory, django_capture_on_commit_callbacks
):
    event = event_factory(capacity=5, guests_allowed=True)
    first = ask(event)
    again = ask(event)
    assert again.pk == first.pk and again.token != first.token
    guests.confirm_guest_registration(token=again.token)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        ask(event)
    [message] = mail.outbox
    assert "already" in message.subject.lower()
    assert GuestRegistration.objects.get().status == "confirmed"


def test_an_expired_link_confirms_nothing(event_factory):
    event = event_factory(capacity=5, guests_allowed=True)
    guest = ask(event)
    GuestRegistration.objects.filter(pk=guest.pk).update(
        link_sent_at=timezone.now() - timedelta(hours=49)
    )
    with pytest.raises(Conflict):
        guests.confirm_guest_registration(token=guest.token)
    with pytest.raises(guests.InvalidGuestLink):
        guests.confirm_guest_registration(token="x" * 43)


@override_settings(GUEST_RETENTION_DAYS=30)
def test_guests_are_erased_some_time_after_the_event_and_unconfirmed_requests_sooner(
    event_factory,
):
    past = event_factory(capacity=5, guests_allowed=True)
    kept = ask(past, email="kept@example.org")
    guests.confirm_guest_registration(token=kept.token)
    stale = ask(past, email="stale@example.org")
    GuestRegistration.objects.filter(pk=stale.pk).update(
        link_sent_at=timezone.now() - timedelta(days=3)
    )
    assert guests.erase_expired_guests() == 1
    assert list(GuestRegistration.objects.values_list("email", flat=True)) == ["kept@example.org"]
    later = past.end + timedelta(days=31)
    assert guests.erase_expired_guests(now=later) == 1
    assert not GuestRegistration.objects.exists()


def test_the_guest_api_answers_alike_for_every_address_and_refuses_bad_input(
    api_client, event_factory
):
    event = event_factory(capacity=5, guests_allowed=True)
    url = f"/api/events/{event.pk}/guest-registration/"
    body = {"name": "Ana", "email": "ana@example.org", "organisation": "Cluster"}
    first = api_client.post(url, body, format="json", HTTP_ACCEPT_LANGUAGE="de")
    assert first.status_code == 202 and first.json()["status"] == "pending"
    assert GuestRegistration.objects.get().language == "de"
    again = api_client.post(url, body, format="json")
    assert again.status_code == 202 and again.json()["status"] == "pending"
    assert api_client.post(url, {"name": "Ana"}, format="json").status_code == 400
    assert api_client.post(url, ["x"], format="json").status_code == 400
    assert api_client.post("/api/events/999999/guest-registration/", body).status_code == 404
    closed = event_factory(capacity=5)
    closed_url = f"/api/events/{closed.pk}/guest-registration/"
    assert api_client.post(closed_url, body, format="json").status_code == 409


def test_the_links_confirm_and_cancel_only_by_the_pages_button(client, event_factory):
    event = event_factory(capacity=5, guests_allowed=True)
    guest = ask(event)
    page = client.get(f"/events/guests/{guest.token}/confirm/")
    assert page.status_code == 200
    guest.refresh_from_db()
    assert guest.status == "pending"
    assert client.post(f"/events/guests/{guest.token}/confirm/").status_code == 200
    guest.refresh_from_db()
    assert guest.status == "confirmed"
    assert client.post(f"/events/guests/{guest.token}/cancel/").status_code == 200
    guest.refresh_from_db()
    assert guest.status == "cancelled"
    assert client.get("/events/guests/nonsense/confirm/").status_code == 404


def test_the_event_page_takes_a_guest_registration(client, event_factory):
    event = event_factory(capacity=5, guests_allowed=True)
    page = client.get(event.url).content.decode()
    assert "guest-registration" in page
    client.post(
        f"/events/{event.pk}/guest-registration/",
        {"name": "Lars Jensen", "email": "lars@example.org", "organisation": "DK Cluster"},
    )
    guest = GuestRegistration.objects.get()
    assert guest.organisation == "DK Cluster" and guest.status == "pending"
    assert not Registration.objects.exists()


def test_the_guest_api_is_throttled_per_client_address(api_client, event_factory):
    event = event_factory(capacity=50, guests_allowed=True)
    url = f"/api/events/{event.pk}/guest-registration/"
    answers = [
        api_client.post(
            url, {"name": f"Guest {n}", "email": f"guest{n}@example.org"}, format="json"
        ).status_code
        for n in range(11)
    ]
    assert answers[:10] == [202] * 10
    assert answers[10] == 429


def test_a_confirmed_guest_shows_at_once_in_the_seats_left_of_the_events_api(
    client, event_factory, django_capture_on_commit_callbacks, settings
):
    settings.PAGE_CACHE_SECONDS = 60
    event = event_factory(capacity=2, guests_allowed=True)
    url = f"/api/events/{event.pk}/"
    assert client.get(url, HTTP_ACCEPT="application/json").json()["seats_left"] == 2
    assert client.get(url, HTTP_ACCEPT="application/json")["X-Page-Cache"] == "hit"
    guest = ask(event)
    with django_capture_on_commit_callbacks(execute=True):
        guests.confirm_guest_registration(token=guest.token)
    assert client.get(url, HTTP_ACCEPT="application/json").json()["seats_left"] == 1
