"""Periodic jobs scheduled by the workers, not cron: one run per job and period however
many schedulers race for it, recorded, and idempotent in what they send."""

import datetime
import threading
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from events import services
from taskqueue import periodic
from taskqueue.models import PeriodicRun
from tests.factories import make_event, make_member, make_organisation
from tests.queue_support import DATABASE_QUEUE


@pytest.fixture
def database_queue(settings):
    settings.TASKS = DATABASE_QUEUE
    settings.TASKS_BACKEND = "database"


def periodic_task_rows():
    paths = {job.task.module_path for job in periodic.JOBS.values()}
    return DBTaskResult.objects.filter(task_path__in=paths)


def due_between(earlier, later) -> list[str]:
    """The jobs whose period turns over between two moments."""
    return sorted(
        name
        for name, job in periodic.JOBS.items()
        if job.period_start(later) != job.period_start(earlier)
    )


def test_the_reminder_jobs_are_registered_with_their_periods():
    jobs = {name: job.every for name, job in periodic.JOBS.items()}
    assert jobs["events.send_event_reminders"] == datetime.timedelta(hours=1)
    assert jobs["members.send_label_reminders"] == datetime.timedelta(days=1)
    assert jobs["core.prune_finished_tasks"] == datetime.timedelta(days=1)


def test_periods_are_cut_from_the_epoch():
    job = periodic.JOBS["events.send_event_reminders"]
    moment = datetime.datetime(2026, 11, 30, 19, 44, 3, tzinfo=datetime.UTC)
    assert job.period_start(moment) == datetime.datetime(2026, 11, 30, 19, tzinfo=datetime.UTC)
    daily = periodic.JOBS["members.send_label_reminders"]
    assert daily.period_start(moment) == datetime.datetime(2026, 11, 30, tzinfo=datetime.UTC)


@pytest.mark.django_db
def test_a_job_is_enqueued_once_per_period_and_again_in_the_next(database_queue):
    noon = datetime.datetime(2026, 11, 30, 12, 5, tzinfo=datetime.UTC)

    later, next_hour_at = (noon + datetime.timedelta(minutes=m) for m in (50, 56))
    first = periodic.schedule_due(now=noon)
    again = periodic.schedule_due(now=later)
    next_hour = periodic.schedule_due(now=next_hour_at)

    assert set(first) == set(periodic.JOBS)
    # Only the jobs whose period turned over in between run again (an hourly job at 13:01,
    # not at 12:55; a job of a few minutes in both).
    assert sorted(again) == due_between(noon, later)
    assert sorted(next_hour) == due_between(later, next_hour_at)
    assert "events.send_event_reminders" in next_hour
    assert "events.send_event_reminders" not in again
    assert "members.send_label_reminders" not in again + next_hour
    assert periodic_task_rows().count() == len(first) + len(again) + len(next_hour)
    run = PeriodicRun.objects.get(
        job="events.send_event_reminders", period_start=noon.replace(minute=0)
    )
    assert DBTaskResult.objects.get(pk=run.task_id).task_path == "events.tasks.send_event_reminders"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_schedulers_racing_for_the_same_periods_enqueue_each_job_once(database_queue):
    """Eight schedulers released together, for three hours in a row: each (job, hour) run
    is recorded and enqueued exactly once."""
    start = datetime.datetime(2026, 11, 30, 6, 30, tzinfo=datetime.UTC)
    errors = []

    for hour in range(3):
        now = start + datetime.timedelta(hours=hour)
        barrier = threading.Barrier(8)

        def schedule(now=now, barrier=barrier):
            try:
                barrier.wait(timeout=30)
                periodic.schedule_due(now=now)
            except Exception as error:  # noqa: BLE001 - reported below
                errors.append(repr(error))
            finally:
                connection.close()

        threads = [threading.Thread(target=schedule) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)

    assert errors == []
    runs = list(PeriodicRun.objects.values_list("job", "period_start"))
    assert len(runs) == len(set(runs))
    expected = {
        (name, job.period_start(start + datetime.timedelta(hours=hour)))
        for name, job in periodic.JOBS.items()
        for hour in range(3)
    }
    assert set(runs) == expected  # e.g. three runs of an hourly job, one of a daily one
    assert len([r for r in runs if r[0] == "events.send_event_reminders"]) == 3
    assert periodic_task_rows().count() == len(runs)
    assert set(PeriodicRun.objects.values_list("task_id", flat=True)) == {
        str(pk) for pk in periodic_task_rows().values_list("pk", flat=True)
    }


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_reminder_runs_at_once_remind_each_attendee_once():
    event = make_event(capacity=20, starts_in=datetime.timedelta(hours=10))
    members = [make_member() for _ in range(12)]
    for member in members:
        services.register_for_event(event=event, member=member)
    mail.outbox.clear()
    barrier = threading.Barrier(2)
    sent = []

    def run():
        try:
            barrier.wait(timeout=30)
            sent.append(services.send_event_reminders().sent)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sum(sent) == 12
    # The event starts in ten hours: "Today" or "Tomorrow" on its calendar, by the clock.
    reminders = [m for m in mail.outbox if m.subject.startswith(("Today:", "Tomorrow:"))]
    assert sorted(m.to[0] for m in reminders) == sorted(m.user.email for m in members)


@pytest.mark.django_db
def test_without_a_queue_the_worker_command_runs_the_due_jobs_itself(
    django_capture_on_commit_callbacks, mailoutbox
):
    from members.models import QualityLabel

    organisation = make_organisation()
    organisation.co_admins.add(make_member(username="labeladmin").user)
    today = timezone.localdate()
    QualityLabel.objects.create(
        organisation=organisation,
        level="silver",
        awarded_on=today - datetime.timedelta(days=700),
        valid_until=today + datetime.timedelta(days=30),
    )
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("run_worker", "--batch", stdout=out)

    assert "no queue to work" in out.getvalue()
    assert [m.to for m in mailoutbox] == [["labeladmin@example.org"]]
    assert PeriodicRun.objects.filter(job="members.send_label_reminders").count() == 1
