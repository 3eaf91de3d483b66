"""The capacity invariant under real concurrency, on PostgreSQL (row locks are the point).

PostgreSQL accepts 100 connections on these machines, shared with other work, so the
threads start together at a barrier and share a bounded number of database connections:
every registration still races every other one for the event's row.
"""

import threading
from collections import Counter

import pytest
from django.core import mail
from django.db import connection

from events import services
from events.models import Registration
from tests.factories import make_event, make_member

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

DB_CONNECTIONS = 30


def race(actions):
    """Run every action in its own thread, all released at the same instant."""
    barrier = threading.Barrier(len(actions))
    slots = threading.BoundedSemaphore(DB_CONNECTIONS)
    errors = []

    def run(action):
        try:
            barrier.wait(timeout=60)
            with slots:
                try:
                    action()
                finally:
                    connection.close()
        except Exception as error:  # noqa: BLE001 - every failure is reported below
            errors.append(repr(error))

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not any(thread.is_alive() for thread in threads), "a thread hung"
    return errors


def seat_watcher(event, stop, seen):
    """Counts confirmed seats over and over from its own connection while others race."""
    try:
        while not stop.is_set():
            seen.append(
                Registration.objects.filter(
                    event=event, status__in=["confirmed", "attended"]
                ).count()
            )
    finally:
        connection.close()


def test_two_hundred_simultaneous_registrations_for_fifty_seats_confirm_exactly_fifty(db):
    event = make_event(capacity=50)
    members = [make_member() for _ in range(200)]
    mail.outbox.clear()

    errors = race([lambda m=m: services.register_for_event(event=event, member=m) for m in members])

    assert errors == []
    statuses = Counter(Registration.objects.filter(event=event).values_list("status", flat=True))
    assert statuses == {"confirmed": 50, "waitlisted": 150}
    positions = sorted(
        Registration.objects.filter(event=event, status="waitlisted").values_list(
            "position", flat=True
        )
    )
    assert positions == list(range(1, 151))
    subjects = Counter(message.subject.split(" ")[1] for message in mail.outbox)
    assert len(mail.outbox) == 200
    assert sum(1 for m in mail.outbox if m.attachments) == 50, subjects


def test_cancellations_racing_new_registrations_promote_each_freed_seat_exactly_once(db):
    event = make_event(capacity=50)
    for _ in range(200):
        services.register_for_event(event=event, member=make_member())
    confirmed = list(Registration.objects.filter(event=event, status="confirmed"))
    head_of_queue = set(
        Registration.objects.filter(event=event, status="waitlisted", position__lte=50).values_list(
            "pk", flat=True
        )
    )
    newcomers = [make_member() for _ in range(50)]
    mail.outbox.clear()

    stop, seen = threading.Event(), []
    watcher = threading.Thread(target=seat_watcher, args=(event, stop, seen))
    watcher.start()
    actions = [lambda r=r: services.cancel_registration(registration=r) for r in confirmed]
    actions += [lambda m=m: services.register_for_event(event=event, member=m) for m in newcomers]
    try:
        errors = race(actions)
    finally:
        stop.set()
        watcher.join(timeout=60)

    assert errors == []
    assert seen and max(seen) <= 50
    statuses = Counter(Registration.objects.filter(event=event).values_list("status", flat=True))
    assert statuses == {"confirmed": 50, "waitlisted": 150, "cancelled": 50}
    now_confirmed = set(
        Registration.objects.filter(event=event, status="confirmed").values_list("pk", flat=True)
    )
    assert now_confirmed == head_of_queue
    positions = sorted(
        Registration.objects.filter(event=event, status="waitlisted").values_list(
            "position", flat=True
        )
    )
    assert positions == list(range(1, 151))
    promotion_mails = [m for m in mail.outbox if m.attachments and "now yours" in m.subject]
    recipients = Counter(m.to[0] for m in promotion_mails)
    assert len(promotion_mails) == 50 and set(recipients.values()) == {1}
