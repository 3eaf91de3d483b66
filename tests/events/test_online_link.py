"""The online link of an event is for those who hold a seat, and for staff: on the event's
page, in both APIs, in the calendar files and in the e-mails. Anonymous readers, members
who did not register and waitlisted members get the event without it."""

import pytest
from django.core import mail
from rest_framework.authtoken.models import Token

from events import services
from events.models import Registration
from tests.factories import make_event, make_member, make_user

pytestmark = pytest.mark.django_db

LINK = "https://meet.example.org/cluster-room-4711"
SECRET = "cluster-room-4711"
ROLES = ("anonymous", "stranger", "waitlisted", "confirmed", "staff")
SEES_IT = {"anonymous": False, "stranger": False, "waitlisted": False, "confirmed": True}
SEES_IT["staff"] = True


@pytest.fixture
def world(django_capture_on_commit_callbacks):
    """An online event with one seat: taken by ``confirmed``, ``waitlisted`` is next."""
    event = make_event(title="Cluster webinar", capacity=1, online_link=LINK)
    people = {
        "confirmed": make_member(username="confirmed").user,
        "waitlisted": make_member(username="waitlisted").user,
        "stranger": make_member(username="stranger").user,
        "staff": make_user(username="staff", is_staff=True),
    }
    with django_capture_on_commit_callbacks(execute=True):
        for role in ("confirmed", "waitlisted"):
            services.register_for_event(event=event, member=people[role].profile)
    assert dict(
        Registration.objects.filter(event=event).values_list("member__user__username", "status")
    ) == {"confirmed": "confirmed", "waitlisted": "waitlisted"}
    return event, people


def signed_in(client, people, role):
    if role != "anonymous":
        client.force_login(people[role])
    return client


def shows_link(text: str) -> bool:
    return SECRET in text


@pytest.mark.parametrize("role", ROLES)
def test_the_event_page_shows_the_link_only_to_seat_holders_and_staff(client, world, role):
    event, people = world

    page = signed_in(client, people, role).get(event.url)

    assert page.status_code == 200
    assert shows_link(page.text) is SEES_IT[role]


@pytest.mark.parametrize("role", ROLES)
def test_the_events_api_gives_the_link_only_to_seat_holders_and_staff(client, world, role):
    event, people = world
    client = signed_in(client, people, role)

    detail = client.get(f"/api/events/{event.pk}/").json()
    listed = next(item for item in client.get("/api/events/").json()["results"])

    assert detail["online_link"] == (LINK if SEES_IT[role] else "")
    assert listed["online_link"] == detail["online_link"]


@pytest.mark.parametrize("role", ["stranger", "waitlisted", "confirmed", "staff"])
def test_a_token_client_gets_the_link_by_the_same_rule(client, world, role):
    event, people = world
    token = Token.objects.create(user=people[role])

    answer = client.get(f"/api/events/{event.pk}/", HTTP_AUTHORIZATION=f"Token {token.key}")

    assert answer.json()["online_link"] == (LINK if SEES_IT[role] else "")


@pytest.mark.parametrize("role", ROLES)
def test_wagtails_pages_api_gives_the_link_only_to_seat_holders_and_staff(client, world, role):
    event, people = world
    client = signed_in(client, people, role)

    detail = client.get(f"/api/v2/pages/{event.pk}/")
    listed = client.get("/api/v2/pages/", {"type": "events.EventPage", "fields": "online_link"})

    assert detail.status_code == listed.status_code == 200
    assert detail.json()["online_link"] == (LINK if SEES_IT[role] else "")
    assert [item["online_link"] for item in listed.json()["items"]] == [
        LINK if SEES_IT[role] else ""
    ]


@pytest.mark.parametrize("role", ROLES)
def test_the_calendar_files_carry_the_link_only_for_seat_holders_and_staff(client, world, role):
    event, people = world
    client = signed_in(client, people, role)

    one = client.get(f"/events/{event.pk}/calendar.ics")
    feed = client.get("/events/calendar.ics")

    assert one.status_code == feed.status_code == 200
    # iCalendar folds long lines: unfold before searching.
    assert shows_link(one.content.decode().replace("\r\n ", "")) is SEES_IT[role]
    assert shows_link(feed.content.decode().replace("\r\n ", "")) is SEES_IT[role]
    assert "Cluster webinar" in feed.content.decode()


def mails_to(username: str) -> list:
    return [message for message in mail.outbox if message.to == [f"{username}@example.org"]]


def mail_text(message) -> str:
    attachments = "".join(
        content.decode() if isinstance(content, bytes) else str(content)
        for _name, content, _type in message.attachments
        if _type == "text/calendar"
    )
    return message.body + attachments.replace("\r\n ", "")


def test_the_confirmation_carries_the_link_and_the_waitlist_mail_does_not(world):
    confirmation, waitlisted = mails_to("confirmed"), mails_to("waitlisted")

    assert len(confirmation) == len(waitlisted) == 1
    assert shows_link(mail_text(confirmation[0]))
    assert not shows_link(mail_text(waitlisted[0]))


def test_the_promotion_mail_carries_the_link_and_the_cancellation_does_not(
    world, django_capture_on_commit_callbacks
):
    event, people = world
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_registration(
            registration=Registration.objects.get(event=event, member__user=people["confirmed"])
        )

    (cancellation,) = mails_to("confirmed")
    (promotion,) = mails_to("waitlisted")
    assert not shows_link(mail_text(cancellation))
    assert shows_link(mail_text(promotion))
    assert "cancelled" in cancellation.subject
