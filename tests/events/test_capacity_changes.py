"""An event's capacity never drops below the seats already taken: the Wagtail admin shows a
form error, the service and the model refuse, and a registration racing the change is
counted before the change is decided."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from wagtail.test.utils.form_data import inline_formset

from events import services
from events.models import EventPage, Registration
from tests.events.test_admin_editing import event_form
from tests.factories import make_event, make_member


def registered(event, count: int) -> list[Registration]:
    return [services.register_for_event(event=event, member=make_member())[0] for _ in range(count)]


def stored_capacity(event) -> int | None:
    return EventPage.objects.get(pk=event.pk).capacity


def edit(client, event, **overrides):
    data = event_form(
        title=event.title,
        slug=event.slug,
        sessions=inline_formset([]),
        questions=inline_formset([]),
        registration_closes="",
        **overrides,
    )
    return client.post(f"/admin/pages/{event.pk}/edit/", data)


# --- the Wagtail admin -------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_admin_refuses_a_capacity_below_the_confirmed_registrations_with_a_form_error(
    client, superuser
):
    event = make_event(capacity=5)
    registered(event, 3)
    client.force_login(superuser)

    answer = edit(client, event, capacity="2")

    assert answer.status_code == 200
    assert "3 seats are already taken" in answer.content.decode()
    assert stored_capacity(event) == 5
    assert EventPage.objects.get(pk=event.pk).live_revision_id == event.live_revision_id


@pytest.mark.django_db
def test_the_admin_refuses_a_lower_capacity_in_a_draft_too(client, superuser):
    event = make_event(capacity=5)
    registered(event, 3)
    client.force_login(superuser)
    data = event_form(
        title=event.title,
        slug=event.slug,
        sessions=inline_formset([]),
        questions=inline_formset([]),
        registration_closes="",
        capacity="1",
    )
    del data["action-publish"]

    answer = client.post(f"/admin/pages/{event.pk}/edit/", data)

    assert answer.status_code == 200
    assert "3 seats are already taken" in answer.content.decode()
    assert event.revisions.count() == EventPage.objects.get(pk=event.pk).revisions.count()


@pytest.mark.django_db
def test_the_admin_takes_a_capacity_equal_to_the_confirmed_registrations(client, superuser):
    event = make_event(capacity=5)
    registered(event, 3)
    client.force_login(superuser)

    answer = edit(client, event, capacity="3")

    assert answer.status_code == 302, answer.content.decode()[:2000]
    assert stored_capacity(event) == 3


@pytest.mark.django_db
def test_a_larger_capacity_from_the_admin_confirms_the_head_of_the_waitlist(client, superuser):
    event = make_event(capacity=1)
    first, second, third = registered(event, 3)
    client.force_login(superuser)

    answer = edit(client, event, capacity="2")

    assert answer.status_code == 302
    statuses = dict(Registration.objects.filter(event=event).values_list("pk", "status"))
    assert statuses == {first.pk: "confirmed", second.pk: "confirmed", third.pk: "waitlisted"}


# --- the service and the model -----------------------------------------------------------------


@pytest.mark.django_db
def test_the_service_refuses_a_capacity_below_the_seats_taken_and_changes_nothing():
    event = make_event(capacity=4)
    registered(event, 3)

    with pytest.raises(ValidationError) as refused:
        services.change_capacity(event=event, capacity=2)

    assert "capacity" in refused.value.message_dict
    assert stored_capacity(event) == 4


@pytest.mark.django_db
def test_attended_seats_count_as_taken():
    event = make_event(capacity=4)
    first, _second = registered(event, 2)
    services.check_in(ticket_code=first.ticket_code)

    with pytest.raises(ValidationError):
        services.change_capacity(event=event, capacity=1)
    assert services.change_capacity(event=event, capacity=2).capacity == 2


@pytest.mark.django_db
def test_the_service_lowers_to_the_seats_taken_and_raises_or_lifts_the_limit(
    django_capture_on_commit_callbacks,
):
    event = make_event(capacity=2)
    registered(event, 3)

    assert services.change_capacity(event=event, capacity=2).capacity == 2
    with django_capture_on_commit_callbacks(execute=True):
        services.change_capacity(event=event, capacity=None)

    assert stored_capacity(event) is None
    assert not Registration.objects.filter(event=event, status="waitlisted").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("value", [-1, "2", 2.5, True])
def test_the_service_refuses_a_capacity_that_is_not_a_whole_number(value):
    event = make_event(capacity=4)

    with pytest.raises(ValidationError) as refused:
        services.change_capacity(event=event, capacity=value)

    assert "capacity" in refused.value.message_dict
    assert stored_capacity(event) == 4


@pytest.mark.django_db
def test_publishing_a_revision_with_a_lower_capacity_is_refused_by_the_model():
    event = make_event(capacity=5)
    registered(event, 3)
    event.capacity = 2

    with pytest.raises(ValidationError):
        event.save_revision().publish()

    assert stored_capacity(event) == 5


@pytest.mark.django_db
def test_an_event_already_overbooked_by_hand_can_still_be_edited():
    event = make_event(capacity=5)
    registered(event, 3)
    EventPage.objects.filter(pk=event.pk).update(capacity=2)
    event = EventPage.objects.get(pk=event.pk)

    event.title = "A new title"
    event.save_revision().publish()

    assert EventPage.objects.get(pk=event.pk).title == "A new title"


# --- the race ----------------------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_registration_confirming_while_the_capacity_is_lowered_is_counted_first():
    """The registration holds the event's lock (as register_for_event does) and confirms a
    third seat; the capacity change waits for that lock, then counts three and refuses 2."""
    event = make_event(capacity=5)
    registered(event, 2)
    newcomer = make_member()
    locked, release = threading.Event(), threading.Event()
    outcome = {}

    def registration():
        try:
            with transaction.atomic():
                EventPage.objects.locked_for_seats(event.pk)
                locked.set()
                release.wait(timeout=30)
                Registration.objects.create(event=event, member=newcomer, status="confirmed")
        finally:
            connection.close()

    def lowering():
        try:
            services.change_capacity(event=event, capacity=2)
            outcome["result"] = "changed"
        except ValidationError as error:
            outcome["result"] = error.message_dict["capacity"][0]
        finally:
            connection.close()

    first = threading.Thread(target=registration)
    first.start()
    assert locked.wait(timeout=30)
    second = threading.Thread(target=lowering)
    second.start()
    second.join(timeout=1)
    waited = second.is_alive()
    release.set()
    first.join(timeout=30)
    second.join(timeout=30)

    assert waited, "the capacity change did not wait for the registration's lock"
    assert outcome["result"].startswith("3 seats are already taken")
    assert stored_capacity(event) == 5


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_registration_arriving_while_the_capacity_is_lowered_sees_the_new_capacity():
    event = make_event(capacity=5)
    registered(event, 2)
    newcomer = make_member()
    saved, release = threading.Event(), threading.Event()
    outcome = {}

    def lowering():
        try:
            with transaction.atomic():
                services.change_capacity(event=event, capacity=2)
                saved.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    def registration():
        try:
            registration, _ = services.register_for_event(event=event, member=newcomer)
            outcome["status"] = registration.status
        finally:
            connection.close()

    first = threading.Thread(target=lowering)
    first.start()
    assert saved.wait(timeout=30)
    second = threading.Thread(target=registration)
    second.start()
    second.join(timeout=1)
    waited = second.is_alive()
    release.set()
    first.join(timeout=30)
    second.join(timeout=30)

    assert waited
    assert outcome["status"] == "waitlisted"
    assert Registration.objects.filter(event=event, status="confirmed").count() == 2
