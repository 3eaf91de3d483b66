"""The worker's rules, run in the test process: back-off, the last attempt, lost workers,
and tasks whose rows are gone."""

import datetime

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from events import tasks as event_tasks
from taskqueue.models import TaskWorker
from taskqueue.tasks import retry_delay
from taskqueue.worker import Worker, requeue_abandoned
from tests.queue_support import DATABASE_QUEUE, always_fails

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_queue(settings):
    settings.TASKS = DATABASE_QUEUE
    settings.TASKS_BACKEND = "database"
    settings.TASKS_MAX_ATTEMPTS = 3
    settings.TASKS_RETRY_DELAY = 30
    settings.TASKS_RETRY_MAX_DELAY = 100
    return settings


def worker():
    return Worker(worker_id="test-worker", scheduler=False)


def test_the_delay_doubles_up_to_its_cap(database_queue):
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 100, 100]


def test_a_failed_attempt_is_retried_later_then_failed_for_good(database_queue):
    result = always_fails.enqueue()
    before = timezone.now()

    assert worker().run_next()
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == TaskResultStatus.READY
    assert row.run_after >= before + datetime.timedelta(seconds=30)
    assert row.exception_class_path == "builtins.ConnectionRefusedError"
    assert not worker().run_next()  # not due yet

    for _ in range(2):  # attempts two and three
        DBTaskResult.objects.filter(pk=row.pk).update(run_after=timezone.now())
        assert worker().run_next()
    row.refresh_from_db()
    assert row.status == TaskResultStatus.FAILED
    assert len(row.worker_ids) == 3
    assert "mail server down" in row.traceback


def test_the_task_of_a_silent_worker_is_requeued_and_a_live_ones_is_left(database_queue):
    lost = always_fails.enqueue()
    kept = always_fails.enqueue()
    DBTaskResult.objects.filter(pk=lost.id).update(
        status=TaskResultStatus.RUNNING, worker_ids=["gone"]
    )
    DBTaskResult.objects.filter(pk=kept.id).update(
        status=TaskResultStatus.RUNNING, worker_ids=["alive"]
    )
    TaskWorker.objects.create(
        worker_id="gone", last_seen=timezone.now() - datetime.timedelta(minutes=5)
    )
    TaskWorker.objects.create(worker_id="alive", last_seen=timezone.now())

    assert requeue_abandoned() == 1
    assert DBTaskResult.objects.get(pk=lost.id).status == TaskResultStatus.READY
    assert "stopped answering" in DBTaskResult.objects.get(pk=lost.id).traceback
    assert DBTaskResult.objects.get(pk=kept.id).status == TaskResultStatus.RUNNING


def test_the_mail_of_a_registration_that_is_gone_is_not_sent(database_queue, mailoutbox):
    event_tasks.send_registration_email.enqueue(registration_id=999999, kind="confirmation")

    assert worker().run_next()
    (row,) = DBTaskResult.objects.filter(task_path="events.tasks.send_registration_email")
    assert row.status == TaskResultStatus.SUCCESSFUL and row.return_value is False
    assert mailoutbox == []


def test_an_unknown_mail_kind_is_refused_before_it_is_enqueued(database_queue):
    with pytest.raises(ValueError, match="unknown registration e-mail"):
        event_tasks.email_registration(registration=None, kind="spam")
