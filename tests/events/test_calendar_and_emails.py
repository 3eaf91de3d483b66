"""The .ics files (parsed back with icalendar), the e-mails and the reminder command."""

import datetime
import zoneinfo
from datetime import timedelta
from io import StringIO

import icalendar
import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from events import services
from events.models import Registration
from tests.factories import make_member

pytestmark = pytest.mark.django_db(transaction=False)

BUCHAREST = zoneinfo.ZoneInfo("Europe/Bucharest")


def bucharest_training(event_factory, **fields):
    start = datetime.datetime(2031, 4, 26, 9, 0, tzinfo=BUCHAREST)
    return event_factory(
        title="Cluster benchmarking training",
        timezone="Europe/Bucharest",
        start=start,
        end=start + timedelta(hours=8),
        city="Bucharest",
        country="RO",
        venue="Parliament Palace",
        **fields,
    )


def parse(content: bytes) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(content)


def test_the_event_calendar_file_keeps_the_events_own_time_zone(client, event_factory):
    event = bucharest_training(event_factory)
    response = client.get(f"/events/{event.pk}/calendar.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = parse(response.content)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    (vevent,) = calendar.walk("VEVENT")
    assert vevent.decoded("DTSTART") == datetime.datetime(2031, 4, 26, 9, 0, tzinfo=BUCHAREST)
    assert vevent["DTSTART"].params["TZID"] == "Europe/Bucharest"
    assert vevent.decoded("DTSTART").utcoffset() == timedelta(hours=3)
    assert str(vevent["SUMMARY"]) == "Cluster benchmarking training"
    assert "Bucharest" in str(vevent["LOCATION"])
    assert str(vevent["UID"]) and str(vevent["URL"]).endswith(event.url)
    timezones = [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")]
    assert timezones == ["Europe/Bucharest"]
    assert b"\r\n" in response.content


def test_the_upcoming_calendar_lists_only_upcoming_events_with_each_zone(client, event_factory):
    bucharest = bucharest_training(event_factory)
    copenhagen = event_factory(title="Copenhagen conference", timezone="Europe/Copenhagen")
    event_factory(title="Long ago", starts_in=timedelta(days=-400))
    event_factory(title="Draft", publish=False)
    calendar = parse(client.get("/events/calendar.ics").content)
    summaries = sorted(str(e["SUMMARY"]) for e in calendar.walk("VEVENT"))
    assert summaries == sorted([bucharest.title, copenhagen.title])
    assert sorted(str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")) == [
        "Europe/Bucharest",
        "Europe/Copenhagen",
    ]


def test_the_calendar_of_an_unknown_or_draft_event_is_404(client, event_factory):
    draft = event_factory(publish=False)
    assert client.get(f"/events/{draft.pk}/calendar.ics").status_code == 404
    assert client.get("/events/999999/calendar.ics").status_code == 404


def test_confirmation_mail_carries_the_ics_and_the_ticket_qr_code(
    event_factory, member, django_capture_on_commit_callbacks
):
    event = bucharest_training(event_factory, capacity=5)
    with django_capture_on_commit_callbacks(execute=True):
        registration, _ = services.register_for_event(event=event, member=member)
    (message,) = mail.outbox
    assert message.to == [member.user.email]
    assert event.title in message.subject
    assert registration.ticket_code in message.body
    assert "09:00" in message.body and "Europe/Bucharest" in message.body
    attachments = {name: (content, mimetype) for name, content, mimetype in message.attachments}
    ics_name = next(name for name in attachments if name.endswith(".ics"))
    content, mimetype = attachments[ics_name]
    assert mimetype == "text/calendar"
    (vevent,) = parse(content.encode() if isinstance(content, str) else content).walk("VEVENT")
    assert vevent.decoded("DTSTART") == event.start
    png = next(c for n, (c, m) in attachments.items() if m == "image/png")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


def test_nothing_is_sent_when_the_registration_is_rolled_back(event, member):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        services.register_for_event(event=event, member=member)
        raise RuntimeError("rolled back")
    assert mail.outbox == []
    assert not Registration.objects.exists()


def test_cancelling_mails_the_cancelled_and_the_promoted_member(
    event, django_capture_on_commit_callbacks
):
    first, second, waiting = (make_member() for _ in range(3))
    with django_capture_on_commit_callbacks(execute=True):
        mine = services.register_for_event(event=event, member=first)[0]
        services.register_for_event(event=event, member=second)
        services.register_for_event(event=event, member=waiting)
    waitlist_mail = mail.outbox[-1]
    assert waitlist_mail.to == [waiting.user.email] and "waitlist" in waitlist_mail.subject
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_registration(registration=mine)
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert set(by_recipient) == {first.user.email, waiting.user.email}
    assert "cancelled" in by_recipient[first.user.email].subject
    promotion = by_recipient[waiting.user.email]
    assert "now yours" in promotion.subject
    assert any(name.endswith(".ics") for name, _, _ in promotion.attachments)


def test_reminders_go_once_to_confirmed_attendees_of_tomorrows_events(
    event_factory, django_capture_on_commit_callbacks
):
    tomorrow = event_factory(capacity=1, starts_in=timedelta(hours=20))
    next_week = event_factory(starts_in=timedelta(days=7))
    confirmed, waitlisted, later = (make_member() for _ in range(3))
    with django_capture_on_commit_callbacks(execute=False):
        services.register_for_event(event=tomorrow, member=confirmed)
        services.register_for_event(event=tomorrow, member=waitlisted)
        services.register_for_event(event=next_week, member=later)
    out = StringIO()
    call_command("send_event_reminders", stdout=out, verbosity=0)
    assert [m.to for m in mail.outbox] == [[confirmed.user.email]]
    assert mail.outbox[0].subject.split(":")[0] in ("Today", "Tomorrow")
    assert "1 reminder(s) sent" in out.getvalue()
    call_command("send_event_reminders", stdout=out, verbosity=0)
    assert len(mail.outbox) == 1


def test_the_reminder_dry_run_sends_nothing(event_factory, member):
    event = event_factory(starts_in=timedelta(hours=5))
    services.register_for_event(event=event, member=member)
    mail.outbox.clear()
    out = StringIO()
    call_command("send_event_reminders", "--dry-run", stdout=out)
    assert "1 reminder(s) due" in out.getvalue() and mail.outbox == []


def test_the_reminder_command_refuses_a_bad_window():
    with pytest.raises(CommandError, match="--hours"):
        call_command("send_event_reminders", "--hours", "0")


def test_a_past_event_is_past_in_the_ics_too(client, event_factory):
    past = event_factory(starts_in=timedelta(days=-30))
    (vevent,) = parse(client.get(f"/events/{past.pk}/calendar.ics").content).walk("VEVENT")
    assert vevent.decoded("DTEND") < timezone.now()
