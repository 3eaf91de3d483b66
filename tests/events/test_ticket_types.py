"""Ticket types: their own seats, questions and waitlists, inside the event's capacity."""

import pytest
from django.core.exceptions import ValidationError

from domain.exceptions import Conflict
from events import services
from events.models import EventSession, Registration, TicketQuestion, TicketType
from tests.factories import make_member

pytestmark = pytest.mark.django_db


def ticket(event, name, kind="other", capacity=None, questions=()):
    ticket_type = TicketType(event=event, name=name, kind=kind, capacity=capacity)
    ticket_type.save()
    for question in questions:
        TicketQuestion.objects.create(ticket_type=ticket_type, **question)
    return ticket_type


def test_an_event_with_ticket_types_asks_which_one_and_refuses_another_events(event_factory):
    event = event_factory(capacity=10)
    other = ticket(event_factory(), "Elsewhere")
    ticket(event, "Delegate")
    with pytest.raises(ValidationError) as missing:
        services.register_for_event(event=event, member=make_member())
    assert "ticket_type" in missing.value.message_dict
    with pytest.raises(ValidationError) as foreign:
        services.register_for_event(event=event, member=make_member(), ticket_type=other.pk)
    assert "ticket_type" in foreign.value.message_dict
    for bad in ("x", True, 1.5, [1], {"id": 1}):
        with pytest.raises(ValidationError):
            services.register_for_event(event=event, member=make_member(), ticket_type=bad)
    assert not Registration.objects.filter(event=event).exists()


def test_a_ticket_type_fills_its_own_seats_then_waitlists_while_the_event_has_room(event_factory):
    event = event_factory(capacity=10)
    speakers = ticket(event, "Speaker pass", capacity=2)
    visitors = ticket(event, "Visitor")
    statuses = [
        services.register_for_event(event=event, member=make_member(), ticket_type=speakers)[0]
        for _ in range(4)
    ]
    assert [r.status for r in statuses] == ["confirmed", "confirmed", "waitlisted", "waitlisted"]
    assert [r.position for r in statuses[2:]] == [1, 2]
    visitor, _created = services.register_for_event(
        event=event, member=make_member(), ticket_type=visitors
    )
    assert visitor.status == "confirmed" and visitor.ticket_type == visitors


def test_the_events_capacity_holds_for_all_ticket_types_together(event_factory):
    event = event_factory(capacity=3)
    members = ticket(event, "Members", capacity=3)
    others = ticket(event, "Others", capacity=3)
    for _ in range(2):
        services.register_for_event(event=event, member=make_member(), ticket_type=members)
    third, _ = services.register_for_event(event=event, member=make_member(), ticket_type=others)
    fourth, _ = services.register_for_event(event=event, member=make_member(), ticket_type=others)
    assert third.status == "confirmed"
    assert fourth.status == "waitlisted" and fourth.position == 1
    assert Registration.objects.filter(event=event).holding_seats().count() == 3


def test_a_cancelled_seat_goes_to_the_waitlist_of_its_own_ticket_type_first(event_factory):
    event = event_factory(capacity=2)
    first = ticket(event, "First", capacity=1)
    second = ticket(event, "Second", capacity=1)
    holder, _ = services.register_for_event(event=event, member=make_member(), ticket_type=first)
    services.register_for_event(event=event, member=make_member(), ticket_type=second)
    # The second type's queue waited longer, but its own seat is still taken.
    waiting_second, _ = services.register_for_event(
        event=event, member=make_member(), ticket_type=second
    )
    waiting_first, _ = services.register_for_event(
        event=event, member=make_member(), ticket_type=first
    )
    promoted = services.cancel_registration(registration=holder)
    assert promoted == [waiting_first]
    waiting_first.refresh_from_db()
    waiting_second.refresh_from_db()
    assert waiting_first.status == "confirmed"
    assert waiting_second.status == "waitlisted" and waiting_second.position == 1


def test_a_freed_event_seat_goes_to_another_ticket_types_queue_when_its_own_is_empty(
    event_factory,
):
    event = event_factory(capacity=1)
    first = ticket(event, "First")
    second = ticket(event, "Second")
    holder, _ = services.register_for_event(event=event, member=make_member(), ticket_type=first)
    waiting, _ = services.register_for_event(event=event, member=make_member(), ticket_type=second)
    assert services.cancel_registration(registration=holder) == [waiting]


def test_ticket_types_for_members_speakers_and_staff_check_who_takes_them(
    event_factory, approved_member
):
    event = event_factory(capacity=10)
    member_ticket = ticket(event, "Member", kind="member")
    speaker_ticket = ticket(event, "Speaker", kind="speaker")
    staff_ticket = ticket(event, "Staff", kind="staff")
    outsider = make_member()
    for kind_ticket in (member_ticket, speaker_ticket, staff_ticket):
        with pytest.raises(Conflict):
            services.register_for_event(event=event, member=outsider, ticket_type=kind_ticket)
    registration, _ = services.register_for_event(
        event=event, member=approved_member, ticket_type=member_ticket
    )
    assert registration.status == "confirmed"
    speaker = make_member()
    session = EventSession.objects.create(page=event, title="Keynote", start=event.start)
    EventSession.speakers.through.objects.create(eventsession=session, memberprofile=speaker)
    assert services.register_for_event(event=event, member=speaker, ticket_type=speaker_ticket)[1]
    staff = make_member()
    staff.user.is_staff = True
    staff.user.save()
    assert services.register_for_event(event=event, member=staff, ticket_type=staff_ticket)[1]


def test_ticket_type_questions_are_asked_only_of_that_type_and_stored_with_the_answers(
    event_factory,
):
    event = event_factory(
        capacity=10, questions=[{"label": "Dietary needs", "key": "diet", "kind": "text"}]
    )
    speaker = ticket(
        event,
        "Speaker",
        questions=[{"label": "Talk title", "key": "talk", "kind": "text", "required": True}],
    )
    visitor = ticket(event, "Visitor")
    with pytest.raises(ValidationError) as error:
        services.register_for_event(event=event, member=make_member(), ticket_type=speaker)
    assert "answers.talk" in error.value.message_dict
    registration, _ = services.register_for_event(
        event=event,
        member=make_member(),
        ticket_type=speaker,
        answers={"diet": "vegan", "talk": "Clusters in 2030"},
    )
    assert registration.answers == {"diet": "vegan", "talk": "Clusters in 2030"}
    with pytest.raises(ValidationError):
        services.register_for_event(
            event=event, member=make_member(), ticket_type=visitor, answers={"talk": "x"}
        )


def test_a_ticket_types_capacity_cannot_go_below_its_seats_taken(event_factory):
    event = event_factory(capacity=10)
    visitors = ticket(event, "Visitor", capacity=3)
    for _ in range(2):
        services.register_for_event(event=event, member=make_member(), ticket_type=visitors)
    visitors.capacity = 1
    with pytest.raises(ValidationError):
        visitors.save()
    visitors.capacity = 2
    visitors.save()


def test_the_api_registers_with_a_ticket_type_and_lists_ticket_types_with_seats_left(
    api_client, event_factory
):
    event = event_factory(capacity=5)
    visitors = ticket(
        event,
        "Visitor",
        capacity=2,
        questions=[{"label": "Arrival", "key": "arrival", "kind": "choice", "choices": "Mon\nTue"}],
    )
    member = make_member()
    api_client.force_authenticate(user=member.user)
    missing = api_client.post(f"/api/events/{event.pk}/registration/", {}, format="json")
    assert missing.status_code == 400 and "ticket_type" in missing.json()
    bad = api_client.post(
        f"/api/events/{event.pk}/registration/", {"ticket_type": "nope"}, format="json"
    )
    assert bad.status_code == 400
    response = api_client.post(
        f"/api/events/{event.pk}/registration/",
        {"ticket_type": visitors.pk, "answers": {"arrival": "Tue"}},
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "confirmed" and body["position"] is None
    assert body["ticket_type"] == visitors.pk
    detail = api_client.get(f"/api/events/{event.pk}/").json()
    assert detail["seats_left"] == 4
    [listed] = detail["ticket_types"]
    assert listed["id"] == visitors.pk and listed["seats_left"] == 1
    assert listed["questions"][0]["choices"] == ["Mon", "Tue"]


def test_events_without_ticket_types_answer_as_before(api_client, event_factory):
    event = event_factory(capacity=1)
    api_client.force_authenticate(user=make_member().user)
    response = api_client.post(f"/api/events/{event.pk}/registration/", {}, format="json")
    assert response.status_code == 201
    assert response.json()["status"] == "confirmed" and response.json()["ticket_type"] is None
    assert api_client.get(f"/api/events/{event.pk}/").json()["ticket_types"] == []


def test_the_event_page_offers_the_ticket_types_and_registers_with_one(client, event_factory):
    event = event_factory(capacity=5)
    visitors = ticket(event, "Visitor pass", capacity=2)
    member = make_member()
    client.force_login(member.user)
    page = client.get(event.url)
    assert "Visitor pass" in page.content.decode()
    client.post(f"/events/{event.pk}/register/", {"ticket_type": str(visitors.pk)})
    assert Registration.objects.get(event=event, member=member).ticket_type == visitors


def test_organisers_add_a_ticket_type_with_a_question_in_the_admin_and_list_guests(
    client, superuser, event_factory
):
    event = event_factory(capacity=10, guests_allowed=True)
    client.force_login(superuser)
    assert client.get("/admin/events/tickettype/create/").status_code == 200
    response = client.post(
        "/admin/events/tickettype/create/",
        {
            "event": event.pk,
            "name": "Speaker",
            "kind": "speaker",
            "capacity": "5",
            "sort_order": "0",
            "questions-TOTAL_FORMS": "1",
            "questions-INITIAL_FORMS": "0",
            "questions-MIN_NUM_FORMS": "0",
            "questions-MAX_NUM_FORMS": "1000",
            "questions-0-label": "Title of your talk",
            "questions-0-key": "talk",
            "questions-0-kind": "text",
            "questions-0-required": "on",
            "questions-0-ORDER": "1",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    ticket_type = TicketType.objects.get(event=event)
    assert [q.key for q in ticket_type.questions.all()] == ["talk"]
    assert client.get("/admin/events/tickettype/").status_code == 200
    assert client.get("/admin/events/guestregistration/").status_code == 200
