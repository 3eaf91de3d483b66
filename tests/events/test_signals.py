"""events.signals: sent after commit, for the search index and notifications."""

import pytest

from events import services
from events.signals import event_changed, registration_changed
from tests.factories import make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def received():
    calls = []

    def on_registration(sender, registration, previous_status, **kwargs):
        calls.append(("registration", registration.member_id, previous_status, registration.status))

    def on_event(sender, event, deleted, **kwargs):
        calls.append(("event", event.pk, deleted))

    registration_changed.connect(on_registration, dispatch_uid="test-registration")
    event_changed.connect(on_event, dispatch_uid="test-event")
    yield calls
    registration_changed.disconnect(dispatch_uid="test-registration")
    event_changed.disconnect(dispatch_uid="test-event")


def test_registration_changes_are_announced_after_commit(
    event, received, django_capture_on_commit_callbacks
):
    first, second, third = (make_member() for _ in range(3))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        mine = services.register_for_event(event=event, member=first)[0]
    assert received == []
    for callback in callbacks:
        callback()
    assert received == [("registration", first.pk, None, "confirmed")]
    received.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.register_for_event(event=event, member=second)
        services.register_for_event(event=event, member=third)
        services.cancel_registration(registration=mine)
    assert ("registration", first.pk, "confirmed", "cancelled") in received
    assert ("registration", third.pk, "waitlisted", "confirmed") in received


def test_publishing_and_deleting_an_event_are_announced(
    event, received, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        event.save_revision().publish()
    assert ("event", event.pk, False) in received
    pk = event.pk
    with django_capture_on_commit_callbacks(execute=True):
        event.delete()
    assert ("event", pk, True) in received
