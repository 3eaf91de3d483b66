"""manage.py send_label_reminders: 90 and 30 days before expiry, to co-admins, never twice."""

import datetime

import pytest
from django.core.management import CommandError, call_command

from members.models import LabelReminder, QualityLabel
from tests.factories import make_member, make_organisation

pytestmark = pytest.mark.django_db


def label_expiring_in(organisation, days, *, today, level="silver"):
    return QualityLabel.objects.create(
        organisation=organisation,
        level=level,
        awarded_on=today - datetime.timedelta(days=700),
        valid_until=today + datetime.timedelta(days=days),
    )


def run(today):
    call_command("send_label_reminders", today=today.isoformat(), verbosity=0)


def test_co_admins_get_the_90_day_reminder(organisation, coadmin, today, mailoutbox):
    label_expiring_in(organisation, 90, today=today)
    make_member(username="bystander")

    run(today)

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["coadmin@example.org"]
    assert "Silver" in message.subject
    assert "90 days" in message.body
    assert f"/organisations/{organisation.slug}/" in message.body


def test_the_90_day_reminder_is_never_sent_twice(organisation, coadmin, today, mailoutbox):
    label = label_expiring_in(organisation, 85, today=today)

    run(today)
    run(today)
    run(today + datetime.timedelta(days=1))

    assert len(mailoutbox) == 1
    assert list(label.reminders.values_list("days_before", flat=True)) == [90]


def test_the_30_day_reminder_follows_the_90_day_one(organisation, coadmin, today, mailoutbox):
    label = label_expiring_in(organisation, 90, today=today)

    run(today)
    run(today + datetime.timedelta(days=60))
    run(today + datetime.timedelta(days=61))

    assert len(mailoutbox) == 2
    assert "30 days" in mailoutbox[1].body
    assert sorted(label.reminders.values_list("days_before", flat=True)) == [30, 90]


def test_nothing_is_sent_long_before_expiry_or_after_it(organisation, coadmin, today, mailoutbox):
    label_expiring_in(organisation, 91, today=today)
    label_expiring_in(make_organisation(), -1, today=today)

    run(today)

    assert mailoutbox == []
    assert not LabelReminder.objects.exists()


def test_only_co_admins_of_that_organisation_are_told(organisation, coadmin, today, mailoutbox):
    other = make_organisation(name="Other")
    other_admin = make_member(username="otheradmin")
    other.co_admins.add(other_admin.user)
    second_admin = make_member(username="second")
    organisation.co_admins.add(second_admin.user)
    label_expiring_in(organisation, 20, today=today)

    run(today)

    assert len(mailoutbox) == 1
    assert sorted(mailoutbox[0].to) == ["coadmin@example.org", "second@example.org"]


def test_an_organisation_without_co_admins_is_reminded_once_one_is_added(
    organisation, today, mailoutbox
):
    label_expiring_in(organisation, 30, today=today)
    run(today)
    assert mailoutbox == []

    organisation.co_admins.add(make_member(username="late").user)
    run(today)

    assert len(mailoutbox) == 1


def test_a_renewed_label_needs_no_reminder(organisation, coadmin, today, mailoutbox):
    label_expiring_in(organisation, 20, today=today)
    label_expiring_in(organisation, 800, today=today, level="gold")

    run(today)

    assert mailoutbox == []


def test_a_failed_send_is_retried_on_the_next_run(
    organisation, coadmin, today, mailoutbox, monkeypatch
):
    from members import services

    label_expiring_in(organisation, 10, today=today)

    def broken(*args, **kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr(services, "send_mail", broken)
    with pytest.raises(CommandError, match="could not be sent and will be retried"):
        run(today)
    assert not LabelReminder.objects.exists()

    monkeypatch.undo()
    run(today)
    assert len(mailoutbox) == 1


def test_a_bad_date_is_a_command_error():
    with pytest.raises(CommandError, match="not a date"):
        call_command("send_label_reminders", today="31/01/2026")
