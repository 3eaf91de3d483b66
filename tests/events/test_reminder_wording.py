"""The reminder says when the event starts, counted from the moment it is sent, in the
recipient's language: "today", "tomorrow", "in 3 days"."""

import datetime
import zoneinfo
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone, translation

from events import emails, services
from tests.factories import make_member

pytestmark = pytest.mark.django_db

MADRID = zoneinfo.ZoneInfo("Europe/Madrid")


def at(day: int, hour: int) -> datetime.datetime:
    return datetime.datetime(2031, 3, day, hour, 0, tzinfo=MADRID)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (at(10, 7), "today"),
        (at(9, 20), "tomorrow"),
        # Late in the evening before, on the event's clock: still "tomorrow".
        (at(9, 23) + timedelta(minutes=30), "tomorrow"),
        (at(7, 9), "in 3 days"),
        (at(9, 1), "tomorrow"),
    ],
)
def test_the_start_is_counted_in_days_on_the_events_own_calendar(event_factory, now, expected):
    event = event_factory(timezone="Europe/Madrid", start=at(10, 9))
    with translation.override("en"):
        assert emails.starts_in(event, now=now) == expected


@pytest.mark.parametrize(
    ("language", "phrase"),
    [("de", "in 3 Tagen"), ("fr", "dans 3 jours"), ("es", "dentro de 3 días"), ("en", "in 3 days")],
)
def test_the_phrase_is_in_the_readers_language(event_factory, language, phrase):
    event = event_factory(timezone="Europe/Madrid", start=at(10, 9))
    with translation.override(language):
        assert emails.starts_in(event, now=at(7, 9)) == phrase


def test_a_reminder_sent_three_days_ahead_says_so_in_the_members_language(
    event_factory, django_capture_on_commit_callbacks
):
    start = timezone.now().astimezone(MADRID).replace(hour=12, minute=0) + timedelta(days=3)
    event = event_factory(title="Brokerage day", timezone="Europe/Madrid", start=start)
    member = make_member(language="de")
    with django_capture_on_commit_callbacks(execute=False):
        services.register_for_event(event=event, member=member)
    run = services.send_event_reminders(hours=24 * 4)
    assert run.sent == 1
    (message,) = mail.outbox
    assert message.subject == "In 3 Tagen: Brokerage day"
    assert "die in 3 Tagen beginnt" in message.body
    assert "Tomorrow" not in message.subject
