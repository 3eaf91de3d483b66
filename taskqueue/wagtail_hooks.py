"""Wagtail admin for the task queue: queued, running, failed and done tasks (with a retry
for failed ones), the workers and their heartbeats, and the periodic runs.

Rows are never edited here: tasks change state through the worker, and a failed task
through :func:`taskqueue.worker.retry_failed` (the Retry button).
"""

import uuid

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max
from wagtail_modeladmin.helpers import ButtonHelper
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup, modeladmin_register
from wagtail_modeladmin.views import InstanceSpecificView

from admin_actions import ExtraActionsMixin, ReadOnlyPermissionHelper
from taskqueue.models import PeriodicRun, TaskWorker
from taskqueue.worker import retry_failed


class TaskPermissionHelper(ReadOnlyPermissionHelper):
    def user_can_retry(self, user):
        return self.user_has_specific_permission(user, self.get_perm_codename("change"))


class TaskButtonHelper(ButtonHelper):
    def get_buttons_for_obj(self, obj, exclude=None, classnames_add=None, classnames_exclude=None):
        buttons = super().get_buttons_for_obj(obj, exclude, classnames_add, classnames_exclude)
        if obj.status == TaskResultStatus.FAILED and self.permission_helper.user_can_retry(
            self.request.user
        ):
            label = _("Retry")
            buttons.append(
                {
                    "url": self.url_helper.get_action_url("retry", obj.pk),
                    "label": label,
                    "classname": "button button-small button-secondary",
                    "title": label,
                }
            )
        return buttons


class TaskRetryView(InstanceSpecificView):
    """Asks for confirmation (GET), then queues the failed task again (POST)."""

    template_name = "taskqueue/admin/retry_task.html"

    def dispatch(self, request, *args, **kwargs):
        if not self.permission_helper.user_can_retry(request.user):
            raise PermissionDenied
        if request.method == "POST":
            with transaction.atomic():
                row = (
                    DBTaskResult.objects.select_for_update()
                    .filter(pk=self.instance.pk, status=TaskResultStatus.FAILED)
                    .first()
                )
                if row is None:
                    messages.error(request, _("This task is no longer failed."))
                else:
                    retry_failed(row)
                    messages.success(request, _("The task is queued again."))
            return redirect(self.index_url)
        return TemplateResponse(request, self.template_name, self.get_context_data())

    def get_page_title(self):
        return _("Retry a failed task")


def _task_id(instance_pk: str) -> str:
    """Task ids are UUIDs: anything else is a 404, not a validation error (500)."""
    try:
        return str(uuid.UUID(unquote(instance_pk)))
    except ValueError:
        raise Http404 from None


class TaskAdmin(ExtraActionsMixin, ModelAdmin):
    extra_actions = ("retry",)
    model = DBTaskResult
    menu_label = gettext_lazy("Tasks")
    menu_icon = "list-ul"
    list_display = (
        "task_name",
        "status",
        "attempts",
        "enqueued_at",
        "next_attempt",
        "finished_at",
        "last_error",
    )
    list_filter = ("status",)
    # The model's own ordering is made of expressions, which modeladmin cannot read.
    ordering = ("-enqueued_at",)
    search_fields = ("task_path",)
    inspect_view_enabled = True
    inspect_view_fields = (
        "id",
        "task_path",
        "status",
        "args_kwargs",
        "enqueued_at",
        "started_at",
        "finished_at",
        "run_after",
        "worker_ids",
        "return_value",
        "exception_class_path",
        "traceback",
    )
    permission_helper_class = TaskPermissionHelper
    button_helper_class = TaskButtonHelper

    @staticmethod
    def attempts(obj):
        return len(obj.worker_ids)

    attempts.short_description = gettext_lazy("attempts")

    @staticmethod
    def next_attempt(obj):
        if obj.status != TaskResultStatus.READY or obj.run_after == get_date_max():
            return "–"
        return obj.run_after

    next_attempt.short_description = gettext_lazy("next attempt")

    @staticmethod
    def last_error(obj):
        if not obj.exception_class_path:
            return ""
        return format_html("<code>{}</code>", obj.exception_class_path.rsplit(".", 1)[-1])

    last_error.short_description = gettext_lazy("last error")

    def retry_view(self, request, instance_pk):
        return TaskRetryView.as_view(model_admin=self, instance_pk=_task_id(instance_pk))(request)

    def inspect_view(self, request, instance_pk):
        return super().inspect_view(request, _task_id(instance_pk))


class TaskWorkerAdmin(ModelAdmin):
    model = TaskWorker
    menu_label = gettext_lazy("Workers")
    menu_icon = "cogs"
    list_display = ("worker_id", "hostname", "pid", "started_at", "last_seen", "tasks_run")
    permission_helper_class = ReadOnlyPermissionHelper


class PeriodicRunAdmin(ModelAdmin):
    model = PeriodicRun
    menu_label = gettext_lazy("Periodic runs")
    menu_icon = "time"
    list_display = ("job", "period_start", "enqueued_at", "task_id")
    list_filter = ("job",)
    permission_helper_class = ReadOnlyPermissionHelper


class TaskQueueGroup(ModelAdminGroup):
    menu_label = gettext_lazy("Task queue")
    menu_icon = "list-ul"
    menu_order = 900
    items = (TaskAdmin, TaskWorkerAdmin, PeriodicRunAdmin)


modeladmin_register(TaskQueueGroup)
