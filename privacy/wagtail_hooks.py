"""Personal data in the Wagtail admin: the audit log of erasures (CSV export), the accounts
waiting for their erasure, and "Erase a member", for staff acting on a member's request.

Erasing needs the "add erasure" permission (superusers have it; give it to the staff who
handle data requests).
"""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup, modeladmin_register

from admin_actions import ReadOnlyPermissionHelper
from domain.exceptions import Conflict
from privacy import services
from privacy.models import DeletionRequest, ErasureRecord

ERASE_PERMISSION = "privacy.add_erasurerecord"


class ErasureRecordAdmin(ModelAdmin):
    model = ErasureRecord
    menu_label = gettext_lazy("Erasures")
    menu_icon = "bin"
    permission_helper_class = ReadOnlyPermissionHelper
    inspect_view_enabled = True
    list_display = ("erased_at", "reason", "requested_at", "reference")
    list_filter = ("reason",)
    list_export = ("reference", "reason", "requested_at", "erased_at", "summary")
    export_filename = "erasures"


class DeletionRequestAdmin(ModelAdmin):
    model = DeletionRequest
    menu_label = gettext_lazy("Pending deletions")
    menu_icon = "time"
    permission_helper_class = ReadOnlyPermissionHelper
    list_display = ("user", "requested_at", "erase_after", "origin")
    list_filter = ("origin",)
    list_select_related = ("user",)
    list_export = ("user", "requested_at", "erase_after", "origin")
    export_filename = "pending-deletions"


class PersonalDataGroup(ModelAdminGroup):
    menu_label = gettext_lazy("Personal data")
    menu_icon = "lock"
    menu_order = 260
    items = (ErasureRecordAdmin, DeletionRequestAdmin)


modeladmin_register(PersonalDataGroup)


class FindAccountForm(forms.Form):
    account = forms.CharField(
        label=gettext_lazy("Username or e-mail address of the member"), max_length=254
    )


def erase_member_view(request):
    """Find an account by username or address, show what erasing it means, erase it."""
    if not request.user.has_perm(ERASE_PERMISSION):
        raise PermissionDenied
    users = get_user_model().objects.select_related("profile")
    target = None
    form = FindAccountForm(request.POST or request.GET or None)
    if form.is_valid():
        login = form.cleaned_data["account"].strip()
        target = users.filter(Q(username__iexact=login) | Q(email__iexact=login)).first()
        if target is None:
            form.add_error("account", _("No account has this username or address."))
    if target is not None and request.method == "POST" and request.POST.get("confirm") == "yes":
        try:
            record = services.erase_on_request(user=target, actor=request.user)
        except Conflict as error:
            messages.error(request, error.message)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("The account was erased (reference %(reference)s).")
                % {"reference": record.reference},
            )
            return redirect("wagtailadmin_home")
    return TemplateResponse(
        request,
        "privacy/admin/erase_member.html",
        {
            "form": form,
            "target": target,
            "blocking": services.last_coadmin_organisations(target) if target else [],
        },
    )


@hooks.register("register_admin_urls")
def register_erase_url():
    return [path("personal-data/erase/", erase_member_view, name="privacy_erase_member")]


class EraseMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(ERASE_PERMISSION)


@hooks.register("register_admin_menu_item")
def register_erase_menu_item():
    return EraseMenuItem(
        gettext_lazy("Erase a member"),
        reverse("privacy_erase_member"),
        icon_name="bin",
        order=261,
    )
