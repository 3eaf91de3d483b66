"""Applications to calls in the admin (Pages > Call applications): staff read each one and
accept or reject it; accepting an application to a call for tutors or instructors makes it
the applicant's register entry (``pages.services``)."""

from django.contrib import messages
from django.contrib.admin import display
from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from wagtail_modeladmin.helpers import ButtonHelper, PermissionHelper
from wagtail_modeladmin.options import ModelAdmin, modeladmin_register

from admin_actions import ExtraActionsMixin
from domain.exceptions import Conflict
from pages import services
from pages.models import CallApplication


class CallApplicationPermissionHelper(PermissionHelper):
    """Applications come from the site's form: staff decide them, never write them."""

    def user_can_create(self, user):
        return False

    def user_can_edit_obj(self, user, obj):
        return False

    def user_can_decide(self, user, obj) -> bool:
        return (
            user.is_staff
            and user.has_perm("club.change_callapplication")
            and obj.status == CallApplication.Status.PENDING
        )


class CallApplicationButtonHelper(ButtonHelper):
    def get_buttons_for_obj(self, obj, exclude=None, classnames_add=None, classnames_exclude=None):
        buttons = super().get_buttons_for_obj(obj, exclude, classnames_add, classnames_exclude)
        if self.permission_helper.user_can_decide(self.request.user, obj):
            buttons.insert(
                0,
                {
                    "url": self.url_helper.get_action_url("decide", quote(obj.pk)),
                    "label": _("Accept or reject"),
                    "classname": self.finalise_classname(["button-secondary"]),
                    "title": _("Accept or reject"),
                },
            )
        return buttons


@modeladmin_register
class CallApplicationAdmin(ExtraActionsMixin, ModelAdmin):
    model = CallApplication
    extra_actions = ("decide",)
    menu_label = gettext_lazy("Call applications")
    menu_icon = "form"
    menu_order = 260
    permission_helper_class = CallApplicationPermissionHelper
    button_helper_class = CallApplicationButtonHelper
    list_display = ("call", "applicant", "submit_time", "status", "register_entry")
    list_filter = ("status",)
    search_fields = ("applicant__username", "applicant__email", "form_data")
    list_select_related = ("page", "applicant", "register_entry")
    list_export = ("call", "applicant", "submit_time", "status", "decided")
    export_filename = "call-applications"

    @display(description=gettext_lazy("Call"))
    def call(self, application):
        return application.page.title

    def decide_view(self, request, instance_pk):
        return require_http_methods(["GET", "POST"])(
            lambda request, instance_pk: decide(self, request, instance_pk)
        )(request, instance_pk)


def decide(admin, request, instance_pk):
    """The application with Accept / Reject; POST ``action=accept|reject`` decides it."""
    application = get_object_or_404(
        CallApplication.objects.select_related("page", "applicant"), pk=instance_pk
    )
    if not admin.permission_helper.user_can_decide(request.user, application):
        raise PermissionDenied
    if request.method == "POST":
        action = request.POST.get("action")
        decide_with = {
            "accept": services.accept_call_application,
            "reject": services.reject_call_application,
        }.get(action)
        if decide_with is None:
            messages.error(request, _("Choose Accept or Reject."))
        else:
            try:
                decided = decide_with(application=application, actor=request.user)
            except Conflict as error:
                messages.error(request, str(error))
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                if decided.register_entry_id:
                    messages.success(
                        request,
                        _("Accepted: %(entry)s, certified until %(date)s.")
                        % {
                            "entry": decided.register_entry,
                            "date": decided.register_entry.valid_until,
                        },
                    )
                else:
                    messages.success(request, _("The application was decided."))
                return redirect(admin.url_helper.index_url)
    call = application.page.specific
    labels = {field.clean_name: field.label for field in call.get_form_fields()}
    answers = [
        (labels.get(name, name), value) for name, value in (application.form_data or {}).items()
    ]
    return TemplateResponse(
        request,
        "club/admin/call_application_decide.html",
        {
            "application": application,
            "call": call,
            "answers": answers,
            "index_url": admin.url_helper.index_url,
        },
    )
