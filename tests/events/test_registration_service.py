"""register_for_event, cancel_registration, leave_waitlist: seats, waitlist and rules."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from domain.exceptions import Conflict
from events import services
from events.models import Registration
from tests.factories import make_member

pytestmark = pytest.mark.django_db


def register(event, member, answers=None):
    return services.register_for_event(event=event, member=member, answers=answers)


def test_seats_are_confirmed_until_full_then_the_waitlist_takes_positions(event):
    members = [make_member() for _ in range(4)]
    results = [register(event, m)[0] for m in members]
    assert [r.status for r in results] == ["confirmed", "confirmed", "waitlisted", "waitlisted"]
    assert [r.position for r in results] == [None, None, 1, 2]
    event.refresh_from_db()
    assert event.seats_left == 0


def test_a_second_registration_returns_the_existing_one(event, member):
    first, created = register(event, member)
    again, created_again = register(event, member)
    assert created and not created_again
    assert again.pk == first.pk
    assert Registration.objects.filter(event=event).count() == 1


def test_an_event_without_capacity_confirms_everyone(event_factory):
    event = event_factory(capacity=None)
    statuses = {register(event, make_member())[0].status for _ in range(5)}
    assert statuses == {"confirmed"}
    assert event.seats_left is None


def test_cancelling_a_seat_promotes_the_first_waitlisted_and_renumbers(event):
    a, b, c, d, e = (make_member() for _ in range(5))
    reg_a = register(event, a)[0]
    register(event, b)
    reg_c, reg_d, reg_e = (register(event, m)[0] for m in (c, d, e))
    promoted = services.cancel_registration(registration=reg_a)
    assert [r.pk for r in promoted] == [reg_c.pk]
    reg_a.refresh_from_db()
    reg_c.refresh_from_db()
    reg_d.refresh_from_db()
    reg_e.refresh_from_db()
    assert reg_a.status == "cancelled"
    assert (reg_c.status, reg_c.position) == ("confirmed", None)
    assert (reg_d.position, reg_e.position) == (1, 2)


def test_leaving_the_waitlist_moves_the_people_behind_up(event):
    for _ in range(2):
        register(event, make_member())
    waiting = [register(event, make_member())[0] for _ in range(3)]
    services.leave_waitlist(registration=waiting[0])
    positions = [Registration.objects.get(pk=r.pk).position for r in waiting[1:]]
    assert positions == [1, 2]
    assert waiting[0].status == "cancelled"
    assert Registration.objects.filter(event=event, status="confirmed").count() == 2


def test_leaving_the_waitlist_refuses_a_confirmed_registration(event, member):
    registration = register(event, member)[0]
    with pytest.raises(Conflict):
        services.leave_waitlist(registration=registration)


def test_registering_again_after_cancelling_gets_a_new_ticket(event, member):
    registration = register(event, member)[0]
    old_code = registration.ticket_code
    services.cancel_registration(registration=registration)
    again, created = register(event, member)
    assert created and again.pk == registration.pk
    assert again.status == "confirmed" and again.ticket_code != old_code


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"starts_in": timedelta(days=-3)}, "event_past"),
        ({"registration_opens": timezone.now() + timedelta(days=1)}, "registration_not_open"),
        ({"registration_closes": timezone.now() - timedelta(minutes=1)}, "registration_closed"),
        ({"members_only": True}, "members_only"),
    ],
)
def test_registration_outside_the_rules_is_a_conflict_that_stores_nothing(
    event_factory, member, fields, code
):
    event = event_factory(capacity=5, **fields)
    with pytest.raises(Conflict) as raised:
        register(event, member)
    assert raised.value.code == code
    assert raised.value.message
    assert not Registration.objects.filter(event=event).exists()


def test_an_event_that_has_started_is_closed_for_registration(event_factory, member):
    event = event_factory(starts_in=timedelta(hours=-1), duration=timedelta(hours=3))
    with pytest.raises(Conflict) as raised:
        register(event, member)
    assert raised.value.code == "registration_closed"


def test_members_only_event_accepts_an_approved_member(event_factory, approved_member):
    event = event_factory(members_only=True)
    assert register(event, approved_member)[0].status == "confirmed"


def test_a_requested_membership_is_not_enough_for_a_members_only_event(event_factory, member):
    from members.models import Membership
    from tests.factories import make_organisation

    Membership.objects.create(member=member, organisation=make_organisation())
    event = event_factory(members_only=True)
    with pytest.raises(Conflict):
        register(event, member)


def test_an_unpublished_event_takes_no_registrations(event_factory, member):
    event = event_factory(publish=False)
    with pytest.raises(Conflict):
        register(event, member)


QUESTIONS = [
    {
        "label": "Dietary needs",
        "key": "diet",
        "kind": "choice",
        "choices": "None\nVegetarian\nVegan",
        "required": True,
    },
    {"label": "Organisation", "key": "organisation", "kind": "text"},
    {"label": "I accept the photo policy", "key": "photos", "kind": "checkbox", "required": True},
]


def test_answers_are_cleaned_and_stored(event_factory, member):
    event = event_factory(questions=QUESTIONS)
    registration = register(
        event, member, {"diet": "Vegan", "organisation": "  Cluster Denmark ", "photos": True}
    )[0]
    assert registration.answers == {
        "diet": "Vegan",
        "organisation": "Cluster Denmark",
        "photos": True,
    }


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ({"photos": True}, "answers.diet"),
        ({"diet": "Fish", "photos": True}, "answers.diet"),
        ({"diet": ["Vegan"], "photos": True}, "answers.diet"),
        ({"diet": "Vegan", "photos": "yes"}, "answers.photos"),
        ({"diet": "Vegan", "photos": False}, "answers.photos"),
        ({"diet": "Vegan", "photos": True, "shoe_size": "44"}, "answers"),
        ({"diet": "Vegan", "photos": True, "organisation": 12}, "answers.organisation"),
        ({"diet": "Vegan", "photos": True, "organisation": "x" * 2001}, "answers.organisation"),
        (["Vegan"], "answers"),
        ("Vegan", "answers"),
    ],
)
def test_malformed_answers_are_rejected_per_question(event_factory, member, answers, field):
    event = event_factory(questions=QUESTIONS)
    with pytest.raises(ValidationError) as raised:
        register(event, member, answers)
    assert field in raised.value.message_dict
    assert not Registration.objects.filter(event=event).exists()


def test_a_freed_seat_is_not_given_twice_when_cancelling_again(event):
    regs = [register(event, make_member())[0] for _ in range(3)]
    services.cancel_registration(registration=regs[0])
    assert services.cancel_registration(registration=regs[0]) == []
    assert Registration.objects.filter(event=event, status="confirmed").count() == 2


def test_a_past_event_cannot_be_cancelled(event_factory, member):
    event = event_factory(starts_in=timedelta(days=2))
    registration = register(event, member)[0]
    past = timezone.now() - timedelta(days=3)
    type(event).objects.filter(pk=event.pk).update(start=past, end=past + timedelta(hours=2))
    with pytest.raises(Conflict):
        services.cancel_registration(registration=registration)


def test_raising_the_capacity_fills_seats_from_the_waitlist(event):
    regs = [register(event, make_member())[0] for _ in range(4)]
    type(event).objects.filter(pk=event.pk).update(capacity=3)
    promoted = services.fill_from_waitlist(event=event)
    assert [r.pk for r in promoted] == [regs[2].pk]
    regs[3].refresh_from_db()
    assert regs[3].position == 1
