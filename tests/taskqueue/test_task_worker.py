"""The real worker (``manage.py run_worker`` in a process of its own) against PostgreSQL:
a flaky mail server, a worker killed mid-task, a change that rolls back."""

import os
import signal

import pytest
from django.db import transaction
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from events import services
from events.models import Registration
from tests.factories import make_event, make_member
from tests.queue_support import (
    DATABASE_QUEUE,
    hang_once,
    sent_mail,
    start_worker,
    stop,
    wait_for,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def database_queue(settings):
    settings.TASKS = DATABASE_QUEUE
    settings.TASKS_BACKEND = "database"


@pytest.fixture
def mail_dir(tmp_path):
    folder = tmp_path / "mail"
    folder.mkdir()
    return folder


def task_row(task_path: str) -> DBTaskResult:
    (row,) = DBTaskResult.objects.filter(task_path=task_path)
    return row


def test_a_mail_server_that_fails_three_times_delivers_the_confirmation_exactly_once(
    database_queue, mail_dir, tmp_path
):
    event = make_event(title="Burst training", capacity=5)
    member = make_member(username="patient")
    services.register_for_event(event=event, member=member)
    row = task_row("events.tasks.send_registration_email")
    assert row.status == TaskResultStatus.READY
    assert sent_mail(mail_dir) == []

    log = tmp_path / "worker.log"
    worker = start_worker(
        "--no-scheduler", log=log, FLAKY_MAIL_DIR=str(mail_dir), FLAKY_MAIL_FAILURES="3"
    )
    try:
        wait_for(
            lambda: DBTaskResult.objects.filter(
                pk=row.pk, status=TaskResultStatus.SUCCESSFUL
            ).exists(),
            what="the confirmation task to succeed",
            log=log,
        )
    finally:
        stop(worker)

    (message,) = sent_mail(mail_dir)
    assert "To: patient@example.org" in message
    assert "Burst training" in message
    assert (mail_dir / "failures").read_text() == "3"
    row.refresh_from_db()
    assert len(row.worker_ids) == 4
    assert row.return_value is True


def test_a_task_that_keeps_failing_ends_failed_and_staff_can_queue_it_again(
    database_queue, mail_dir, tmp_path, admin_client
):
    member = make_member(username="unlucky")
    services.register_for_event(event=make_event(capacity=5), member=member)
    row = task_row("events.tasks.send_registration_email")

    log = tmp_path / "worker.log"
    env = {"FLAKY_MAIL_DIR": str(mail_dir), "FLAKY_MAIL_FAILURES": "99"}
    worker = start_worker("--no-scheduler", log=log, TASKS_MAX_ATTEMPTS="2", **env)
    try:
        wait_for(
            lambda: DBTaskResult.objects.filter(pk=row.pk, status=TaskResultStatus.FAILED).first(),
            what="the task to fail",
            log=log,
        )
    finally:
        stop(worker)
    row.refresh_from_db()
    assert len(row.worker_ids) == 2
    assert row.exception_class_path == "smtplib.SMTPServerDisconnected"
    assert sent_mail(mail_dir) == []

    listing = admin_client.get("/admin/django_tasks_database/dbtaskresult/?status=FAILED")
    assert listing.status_code == 200
    assert "send_registration_email" in listing.content.decode()
    retry_url = f"/admin/django_tasks_database/dbtaskresult/retry/{row.pk}/"
    assert retry_url in listing.content.decode()
    assert admin_client.post(retry_url).status_code == 302
    row.refresh_from_db()
    assert row.status == TaskResultStatus.READY and row.worker_ids == []

    (mail_dir / "failures").write_text("0")
    worker = start_worker(
        "--batch",
        "--no-scheduler",
        log=log,
        FLAKY_MAIL_FAILURES="0",
        **{"FLAKY_MAIL_DIR": str(mail_dir)},
    )
    worker.wait(timeout=60)
    row.refresh_from_db()
    assert row.status == TaskResultStatus.SUCCESSFUL
    (message,) = sent_mail(mail_dir)
    assert "To: unlucky@example.org" in message


def test_a_task_whose_worker_is_killed_mid_run_is_run_again_by_another_worker(
    database_queue, tmp_path
):
    marker = tmp_path / "runs.txt"
    hang_once.enqueue(marker=str(marker))
    row = task_row("tests.queue_support.hang_once")
    log = tmp_path / "worker.log"

    first = start_worker("--no-scheduler", log=log)
    try:
        wait_for(marker.exists, what="the first run to start", log=log)
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        stop(first)
    row.refresh_from_db()
    assert row.status == TaskResultStatus.RUNNING  # nobody is left to finish it

    second = start_worker("--no-scheduler", log=log)
    try:
        wait_for(
            lambda: DBTaskResult.objects.filter(
                pk=row.pk, status=TaskResultStatus.SUCCESSFUL
            ).exists(),
            what="the second worker to run the task again",
            log=log,
        )
    finally:
        stop(second)
    row.refresh_from_db()
    assert row.return_value == 2
    assert len(marker.read_text().splitlines()) == 2
    assert len(set(row.worker_ids)) == 2


def test_a_registration_that_rolls_back_enqueues_nothing_and_sends_nothing(
    database_queue, mail_dir, tmp_path
):
    event = make_event(capacity=5)
    ghost, kept = make_member(username="ghost"), make_member(username="kept")

    mails = DBTaskResult.objects.filter(task_path="events.tasks.send_registration_email")

    with pytest.raises(RuntimeError), transaction.atomic():
        services.register_for_event(event=event, member=ghost)
        assert mails.count() == 1  # enqueued inside the transaction...
        raise RuntimeError("rolled back")
    assert not mails.exists()  # ...and gone with it
    assert not Registration.objects.exists()

    services.register_for_event(event=event, member=kept)
    worker = start_worker(
        "--batch", "--no-scheduler", log=tmp_path / "worker.log", FLAKY_MAIL_DIR=str(mail_dir)
    )
    assert worker.wait(timeout=60) == 0
    (message,) = sent_mail(mail_dir)
    assert "To: kept@example.org" in message
    assert "ghost@example.org" not in message
