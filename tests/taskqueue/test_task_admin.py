"""Admin → Task queue: who sees the tasks, and who may queue a failed one again."""

import pytest
from django.contrib.auth.models import Permission
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tests.factories import make_user
from tests.queue_support import DATABASE_QUEUE, always_fails

pytestmark = pytest.mark.django_db

INDEX = "/admin/django_tasks_database/dbtaskresult/"


@pytest.fixture
def failed_task(settings):
    settings.TASKS = DATABASE_QUEUE
    result = always_fails.enqueue()
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.FAILED,
        worker_ids=["w1", "w2"],
        exception_class_path="builtins.ConnectionRefusedError",
        traceback="ConnectionRefusedError: mail server down",
    )
    return DBTaskResult.objects.get(pk=result.id)


def staff_with(*codenames):
    user = make_user(is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


def test_staff_who_may_view_tasks_see_the_failed_one_without_a_retry_button(client, failed_task):
    client.force_login(staff_with("view_dbtaskresult"))
    listing = client.get(INDEX + "?status=FAILED")
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "always_fails" in html and "ConnectionRefusedError" in html
    assert f"retry/{failed_task.pk}/" not in html

    refused = client.post(f"{INDEX}retry/{failed_task.pk}/")
    assert (refused.status_code, refused.url) == (302, "/admin/")  # Wagtail's "permission denied"
    failed_task.refresh_from_db()
    assert failed_task.status == TaskResultStatus.FAILED


def test_staff_who_may_change_tasks_retry_a_failed_one_with_fresh_attempts(client, failed_task):
    client.force_login(staff_with("view_dbtaskresult", "change_dbtaskresult"))
    confirm = client.get(f"{INDEX}retry/{failed_task.pk}/")
    assert confirm.status_code == 200
    assert "mail server down" in confirm.content.decode()

    assert client.post(f"{INDEX}retry/{failed_task.pk}/").status_code == 302
    failed_task.refresh_from_db()
    assert failed_task.status == TaskResultStatus.READY
    assert failed_task.worker_ids == []
    assert DBTaskResult.objects.ready().filter(pk=failed_task.pk).exists()


def test_a_task_that_is_not_failed_is_not_retried(client, failed_task):
    DBTaskResult.objects.filter(pk=failed_task.pk).update(status=TaskResultStatus.SUCCESSFUL)
    client.force_login(make_user(is_staff=True, is_superuser=True))

    response = client.post(f"{INDEX}retry/{failed_task.pk}/", follow=True)

    assert "no longer failed" in response.content.decode()
    failed_task.refresh_from_db()
    assert failed_task.status == TaskResultStatus.SUCCESSFUL


def test_an_unknown_task_id_is_a_404(client):
    client.force_login(make_user(is_staff=True, is_superuser=True))
    assert client.get(f"{INDEX}retry/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert client.get(f"{INDEX}retry/not-a-uuid/").status_code == 404


def test_an_editor_sees_the_failed_task_and_retries_it(client, failed_task):
    from django.contrib.auth.models import Group

    editor = make_user(is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    listing = client.get(INDEX + "?status=FAILED")
    assert listing.status_code == 200
    assert f"retry/{failed_task.pk}/" in listing.content.decode()

    assert client.post(f"{INDEX}retry/{failed_task.pk}/").status_code == 302
    failed_task.refresh_from_db()
    assert failed_task.status == TaskResultStatus.READY
    assert client.get("/admin/core/taskworker/").status_code == 200
