"""Messages to an event's attendees: written once in the admin, one mail per recipient through
the task queue, framed in each recipient's language, recorded with who sent what to how many."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from events import services
from events.models import AttendeeMessage
from tests.factories import make_member
from tests.queue_support import DATABASE_QUEUE

pytestmark = pytest.mark.django_db

BODY = "Doors open at 8:30. Bring your badge."


@pytest.fixture
def full_event(event_factory):
    """Two confirmed (one German-speaking, one checked in), one waitlisted, one cancelled."""
    event = event_factory(title="Brokerage day", capacity=2)
    german = make_member(display_name="Greta", language="de")
    french = make_member(display_name="Félix", language="fr")
    waiting = make_member(display_name="Wanda", language="es")
    gone = make_member(display_name="Gone")
    first = services.register_for_event(event=event, member=german)[0]
    second = services.register_for_event(event=event, member=french)[0]
    services.check_in(ticket_code=second.ticket_code)
    services.register_for_event(event=event, member=waiting)
    services.cancel_registration(
        registration=services.register_for_event(event=event, member=gone)[0]
    )
    mail.outbox.clear()
    return event, {"de": first, "fr": second}


def send(event, *, audience="confirmed", **fields):
    return services.send_message_to_attendees(
        event=event,
        audience=audience,
        subject=fields.get("subject", "Practical details"),
        body=fields.get("body", BODY),
        sender=fields.get("sender"),
    )


def test_confirmed_attendees_each_get_one_mail_framed_in_their_language(
    full_event, editor, django_capture_on_commit_callbacks
):
    event, _ = full_event
    with django_capture_on_commit_callbacks(execute=True):
        message = send(event, sender=editor)
    assert message.recipient_count == 2 and message.sent_by == editor
    by_name = {m.body.split(",")[0]: m for m in mail.outbox}
    assert len(mail.outbox) == 2
    german = next(m for m in mail.outbox if "Greta" in m.body)
    french = next(m for m in mail.outbox if "Félix" in m.body)
    assert german.subject == "[Brokerage day] Practical details" == french.subject
    assert BODY in german.body and BODY in french.body
    assert "Die Veranstalter von Brokerage day schreiben Ihnen" in german.body
    assert "Les organisateurs de Brokerage day vous écrivent" in french.body
    assert by_name  # one mail per recipient, none to the waitlist or the cancelled
    assert not any("Wanda" in m.body or "Gone" in m.body for m in mail.outbox)


def test_the_waitlist_gets_its_own_message(full_event, django_capture_on_commit_callbacks):
    event, _ = full_event
    with django_capture_on_commit_callbacks(execute=True):
        message = send(event, audience="waitlisted")
    assert message.recipient_count == 1
    (only,) = mail.outbox
    assert "Wanda" in only.body and "lista de espera" in only.body


def test_a_send_that_rolls_back_enqueues_nothing(full_event, settings):
    settings.TASKS = DATABASE_QUEUE
    settings.TASKS_BACKEND = "database"
    event, _ = full_event
    mails = DBTaskResult.objects.filter(task_path="events.tasks.send_attendee_message")
    with pytest.raises(RuntimeError), transaction.atomic():
        send(event)
        assert mails.count() == 2  # enqueued in the transaction...
        raise RuntimeError("rolled back")
    assert not mails.exists()  # ...and gone with it
    assert not AttendeeMessage.objects.exists()


def test_someone_who_cancelled_before_the_mail_went_out_gets_none(
    full_event, django_capture_on_commit_callbacks
):
    event, registrations = full_event
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        send(event)
        services.cancel_registration(registration=registrations["de"])
    mail.outbox.clear()
    for callback in callbacks:
        callback()
    assert [m for m in mail.outbox if "Practical details" in m.subject and "Greta" in m.body] == []
    assert any("Félix" in m.body for m in mail.outbox)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"audience": "everyone"}, "audience"),
        ({"subject": "  "}, "subject"),
        ({"subject": "x" * 201}, "subject"),
        ({"body": ""}, "body"),
        ({"body": "x" * 10001}, "body"),
    ],
)
def test_a_bad_message_is_refused_and_nothing_is_sent(full_event, fields, field):
    event, _ = full_event
    audience = fields.pop("audience", "confirmed")
    with pytest.raises(ValidationError) as refused:
        send(event, audience=audience, **fields)
    assert field in refused.value.message_dict
    assert not AttendeeMessage.objects.exists()


def test_an_editor_writes_from_the_admin_and_reads_the_record(
    client, editor, full_event, django_capture_on_commit_callbacks
):
    event, _ = full_event
    client.force_login(editor)
    add = "/admin/events/attendeemessage/create/"
    form = client.get(add, {"event": event.pk})
    assert form.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(
            add,
            {"event": event.pk, "audience": "confirmed", "subject": "Hello", "body": BODY},
        )
    assert answer.status_code == 302, answer.content.decode()[:3000]
    message = AttendeeMessage.objects.get()
    assert (message.recipient_count, message.sent_by, message.body) == (2, editor, BODY)
    assert len(mail.outbox) == 2
    listing = client.get("/admin/events/attendeemessage/").content.decode()
    assert "Hello" in listing
    inspect = client.get(f"/admin/events/attendeemessage/inspect/{message.pk}/").content.decode()
    assert BODY in inspect
    assert client.get(f"/admin/events/attendeemessage/edit/{message.pk}/").status_code in (
        302,
        403,
    )
    assert client.post(f"/admin/events/attendeemessage/delete/{message.pk}/").status_code in (
        302,
        403,
    )
    assert AttendeeMessage.objects.filter(pk=message.pk).exists()


def test_the_admin_form_reports_an_empty_message(client, editor, full_event):
    event, _ = full_event
    client.force_login(editor)
    answer = client.post(
        "/admin/events/attendeemessage/create/",
        {"event": event.pk, "audience": "confirmed", "subject": "Hello", "body": "   "},
    )
    assert answer.status_code == 200
    assert not AttendeeMessage.objects.exists()


def test_members_cannot_reach_the_messages_admin(client, member):
    client.force_login(member.user)
    answer = client.get("/admin/events/attendeemessage/create/")
    assert answer.status_code in (302, 403)
