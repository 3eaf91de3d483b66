"""The check-in desk of one event (HTML) and the scanning app's API: that event's tickets
only, its arrivals and counts, and every scan answered with the attendee and the result."""

import re

import pytest
from django.contrib.auth.models import Group
from rest_framework.authtoken.models import Token

from events import services
from events.models import Registration
from members.models import Membership
from tests.factories import make_member, make_organisation, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk_user(db):
    user = make_user(username="desk", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def scanner(desk_user, api_client):
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=desk_user).key}")
    return api_client


def registered(event, **member_fields):
    return services.register_for_event(event=event, member=make_member(**member_fields))[0]


def count(page: str, name: str) -> int:
    return int(re.search(rf'data-count="{name}">(\d+)<', page).group(1))


def test_the_desk_counts_and_lists_only_its_own_events_arrivals(client, desk_user, event_factory):
    event = event_factory(capacity=10)
    other_event = event_factory()
    ana = registered(event, display_name="Ana Popescu")
    registered(event, display_name="Lars Jensen")
    elsewhere = registered(other_event, display_name="Otto Elsewhere")
    services.check_in(ticket_code=elsewhere.ticket_code)
    client.force_login(desk_user)
    desk = f"/events/{event.pk}/check-in/"

    page = client.get(desk).content.decode()
    assert (count(page, "confirmed"), count(page, "checked_in"), count(page, "expected")) == (
        2,
        0,
        2,
    )
    assert event.title in page and "Otto Elsewhere" not in page

    page = client.post(desk, {"ticket_code": ana.ticket_code}).content.decode()
    assert "Welcome, Ana Popescu" in page
    assert (count(page, "confirmed"), count(page, "checked_in"), count(page, "expected")) == (
        2,
        1,
        1,
    )
    assert "Ana Popescu" in page.split("Arrivals")[1]


def test_the_desk_refuses_a_ticket_of_another_event_and_leaves_it_untouched(
    client, desk_user, event_factory
):
    event = event_factory(title="Brokerage day")
    other = registered(event_factory(title="Winter school"))
    client.force_login(desk_user)
    page = client.post(
        f"/events/{event.pk}/check-in/", {"ticket_code": other.ticket_code}
    ).content.decode()
    assert "This ticket is for Winter school, not for this event." in page
    other.refresh_from_db()
    assert other.status == "confirmed" and other.checked_in_at is None


def test_a_cancelled_ticket_is_refused_at_the_desk(client, desk_user, event):
    registration = registered(event)
    services.cancel_registration(registration=registration)
    client.force_login(desk_user)
    page = client.post(
        f"/events/{event.pk}/check-in/", {"ticket_code": registration.ticket_code}
    ).content.decode()
    assert "This registration is Cancelled, not confirmed." in page
    registration.refresh_from_db()
    assert registration.status == "cancelled"


def test_the_qr_code_link_comes_back_to_the_desk_this_device_opened(
    client, desk_user, event_factory
):
    event = event_factory(title="Brokerage day")
    other = registered(event_factory(title="Winter school"), display_name="Wim Winter")
    client.force_login(desk_user)

    chooser = client.get("/events/check-in/", {"code": other.ticket_code}).content.decode()
    assert "Wim Winter" in chooser and "Winter school" in chooser
    assert f"/events/{event.pk}/check-in/" in chooser

    client.get(f"/events/{event.pk}/check-in/")
    answer = client.get("/events/check-in/", {"code": other.ticket_code})
    assert answer.status_code == 302
    assert answer["Location"] == f"/events/{event.pk}/check-in/?code={other.ticket_code}"
    page = client.get(answer["Location"]).content.decode()
    assert "This ticket is for Winter school, not for this event." in page


def test_the_scanning_app_checks_in_and_gets_the_attendee(scanner, event):
    member = make_member(display_name="Ana Popescu")
    Membership.objects.create(
        member=member,
        organisation=make_organisation(name="Romanian Robots"),
        status=Membership.Status.APPROVED,
        is_primary=True,
    )
    registration = services.register_for_event(event=event, member=member)[0]
    url = f"/api/events/{event.pk}/check-in/"

    answer = scanner.post(url, {"ticket_code": registration.ticket_code.lower()}, format="json")
    assert answer.status_code == 200
    body = answer.json()
    assert body["result"] == "checked_in"
    assert body["attendee"]["name"] == "Ana Popescu"
    assert body["attendee"]["organisation"] == "Romanian Robots"
    assert body["attendee"]["status"] == "attended" and body["attendee"]["checked_in_at"]

    again = scanner.post(url, {"ticket_code": registration.ticket_code}, format="json").json()
    registration.refresh_from_db()
    time = registration.checked_in_at.astimezone(event.tzinfo).strftime("%H:%M")
    assert again["result"] == "already_checked_in"
    assert f"already checked in at {time}" in again["message"]


def test_the_scanning_app_hears_of_other_events_cancelled_and_unknown_tickets(
    scanner, event, event_factory
):
    url = f"/api/events/{event.pk}/check-in/"
    other = registered(event_factory(title="Winter school"))
    cancelled = registered(event)
    services.cancel_registration(registration=cancelled)

    answer = scanner.post(url, {"ticket_code": other.ticket_code}, format="json").json()
    assert answer["result"] == "other_event" and "Winter school" in answer["message"]
    assert (
        scanner.post(url, {"ticket_code": cancelled.ticket_code}, format="json").json()["result"]
        == "cancelled"
    )
    unknown = scanner.post(url, {"ticket_code": "NOSUCHCODE"}, format="json").json()
    assert unknown["result"] == "unknown" and unknown["attendee"] is None
    assert Registration.objects.filter(status="attended").count() == 0


@pytest.mark.parametrize(
    "body", [{}, {"ticket_code": ""}, {"ticket_code": "  - "}, {"ticket_code": 12}, [1, 2]]
)
def test_bad_scans_are_a_json_400(scanner, event, body):
    answer = scanner.post(f"/api/events/{event.pk}/check-in/", body, format="json")
    assert answer.status_code == 400
    assert answer["Content-Type"] == "application/json"


def test_scanning_for_an_unknown_event_is_a_404(scanner):
    answer = scanner.post("/api/events/999999/check-in/", {"ticket_code": "X"}, format="json")
    assert answer.status_code == 404


@pytest.mark.parametrize("who", ["anonymous", "member"])
def test_members_and_anonymous_cannot_scan(api_client, event, who):
    registration = registered(event)
    if who == "member":
        api_client.force_authenticate(registration.member.user)
    answer = api_client.post(
        f"/api/events/{event.pk}/check-in/",
        {"ticket_code": registration.ticket_code},
        format="json",
    )
    assert answer.status_code == (401 if who == "anonymous" else 403)
    registration.refresh_from_db()
    assert registration.status == "confirmed"


def confirmed_guest(event, email="guest@example.org", name="Greta Guest"):
    from events import guests

    guest = guests.request_guest_registration(
        event=event, email=email, name=name, organisation="Cluster Oslo"
    )
    return guests.confirm_guest_registration(token=guest.token)


def test_a_guest_gets_a_ticket_on_confirming_and_the_desk_admits_them_once(
    client, desk_user, event_factory, django_capture_on_commit_callbacks
):
    from django.core import mail

    from events import guests

    event = event_factory(capacity=10, guests_allowed=True)
    pending = guests.request_guest_registration(
        event=event, email="greta@example.org", name="Greta Guest"
    )
    assert pending.ticket_code is None  # no seat, no ticket
    with django_capture_on_commit_callbacks(execute=True):
        guest = guests.confirm_guest_registration(token=pending.token)
    assert guest.ticket_code and guest.ticket_code in mail.outbox[-1].body
    registered(event, display_name="Lars Jensen")
    client.force_login(desk_user)
    desk = f"/events/{event.pk}/check-in/"

    page = client.post(desk, {"ticket_code": guest.ticket_code.lower()}).content.decode()
    assert "Welcome, Greta Guest" in page
    assert (count(page, "confirmed"), count(page, "checked_in"), count(page, "expected")) == (
        2,
        1,
        1,
    )
    again = client.post(desk, {"ticket_code": guest.ticket_code}).content.decode()
    assert "already checked in" in again
    assert count(again, "checked_in") == 1


def test_the_scanning_api_answers_a_guests_ticket_and_refuses_it_elsewhere_or_cancelled(
    scanner, event_factory
):
    from events import guests

    event = event_factory(capacity=10, guests_allowed=True)
    other_event = event_factory(guests_allowed=True)
    guest = confirmed_guest(event)

    elsewhere = scanner.post(
        f"/api/events/{other_event.pk}/check-in/", {"ticket_code": guest.ticket_code}
    )
    assert elsewhere.status_code == 200 and elsewhere.json()["result"] == "other_event"

    answer = scanner.post(f"/api/events/{event.pk}/check-in/", {"ticket_code": guest.ticket_code})
    body = answer.json()
    assert answer.status_code == 200 and body["result"] == "checked_in"
    assert body["attendee"]["name"] == "Greta Guest" and body["attendee"]["guest"] is True
    assert body["attendee"]["organisation"] == "Cluster Oslo"
    assert body["attendee"]["status"] == "attended" and body["attendee"]["checked_in_at"]

    cancelled = confirmed_guest(event, email="other@example.org", name="Carl Cancelled")
    guests.cancel_guest_registration(token=cancelled.token)
    refused = scanner.post(
        f"/api/events/{event.pk}/check-in/", {"ticket_code": cancelled.ticket_code}
    ).json()
    assert refused["result"] == "cancelled" and refused["attendee"]["guest"] is True
