"""The members app in the Wagtail admin (wagtail-modeladmin): organisations, labels,
sectors, member profiles, memberships (approve / reject) and register entries, each with
list filters, search and CSV/XLSX export.

Edits made here go through the same after-commit announcements as services, so search
indexes stay right whichever way a row changed.
"""

from django import forms
from django.contrib import messages
from django.contrib.admin import display
from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail_modeladmin.helpers import ButtonHelper, PermissionHelper
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup, modeladmin_register
from wagtail_modeladmin.views import CreateView, DeleteView, EditView

from admin_actions import ExtraActionsMixin, ReadOnlyPermissionHelper
from domain.exceptions import Conflict
from members import importing, services
from members.forms import OrganisationAdminForm
from members.models import (
    MemberProfile,
    Membership,
    Organisation,
    OrganisationImport,
    OrganisationRequest,
    QualityLabel,
    RegisterEntry,
    Sector,
)
from members.profile_privacy import PRIVATE_FIELDS, visibility_column
from translating import MISSING_TRANSLATIONS, missing_languages_text, translated_panels

# --- Announcing admin edits ------------------------------------------------------------------


def _announce(instance, *, deleted=False):
    if isinstance(instance, Organisation):
        services.announce_organisation_changed(organisation=instance, deleted=deleted)
    elif isinstance(instance, (QualityLabel, RegisterEntry, Membership)):
        owner = getattr(instance, "organisation", None)
        if owner is not None:
            services.announce_organisation_changed(organisation=owner)


class AnnouncingCreateView(CreateView):
    def form_valid(self, form):
        try:
            with transaction.atomic():
                response = super().form_valid(form)
                _announce(self.instance)
                if isinstance(self.instance, QualityLabel):
                    services.announce_label_awarded(label=self.instance)
        except ValidationError as error:
            # A service refused what the form let through (a row changed meanwhile).
            form.add_error(None, error)
            return self.form_invalid(form)
        return response


class AnnouncingEditView(EditView):
    def form_valid(self, form):
        try:
            with transaction.atomic():
                response = super().form_valid(form)
                _announce(self.instance)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        return response


class AnnouncingDeleteView(DeleteView):
    def delete_instance(self):
        instance, pk = self.instance, self.instance.pk
        instance.delete()
        # Listeners find the deleted row's index entry by its former primary key.
        instance.pk = pk
        _announce(instance, deleted=True)


class AnnouncingModelAdmin(ModelAdmin):
    create_view_class = AnnouncingCreateView
    edit_view_class = AnnouncingEditView
    delete_view_class = AnnouncingDeleteView


# --- Organisations, labels, sectors -----------------------------------------------------------


class OrganisationAdmin(AnnouncingModelAdmin):
    model = Organisation
    menu_label = gettext_lazy("Organisations")
    menu_icon = "group"
    list_display = ("name", "kind", "country", "label_display", "eccp_validation", "is_published")
    list_filter = ("kind", "country", "eccp_validation", "is_published", "sectors")
    search_fields = ("name", "city", "region", "eccp_id", "description")
    list_export = (
        "name",
        "slug",
        "kind",
        "country",
        "region",
        "city",
        "website",
        "contact_email",
        "eccp_id",
        "eccp_url",
        "eccp_validation",
        "label_display",
        "members_sme",
        "members_large",
        "members_research",
        "members_other",
        "year_founded",
        "is_published",
    )
    export_filename = "organisations"
    prepopulated_fields = {"slug": ("name",)}
    # Laid out for editors; which fields exist and who may change them is the services' list
    # (tests/members/test_organisation_fields.py holds the two together).
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    FieldPanel("name"),
                    FieldPanel("slug"),
                    FieldPanel("kind"),
                    FieldRowPanel(
                        [FieldPanel("country"), FieldPanel("region"), FieldPanel("city")]
                    ),
                    FieldPanel("website"),
                    FieldPanel("contact_email"),
                    FieldPanel("logo"),
                    FieldPanel("description"),
                    FieldPanel("is_published"),
                ],
                heading=gettext_lazy("Organisation"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("sectors", widget=forms.CheckboxSelectMultiple),
                    FieldPanel("technologies"),
                    FieldPanel("value_chains"),
                    FieldRowPanel(
                        [
                            FieldPanel("members_sme"),
                            FieldPanel("members_large"),
                            FieldPanel("members_research"),
                            FieldPanel("members_other"),
                        ]
                    ),
                    FieldPanel("year_founded"),
                ],
                heading=gettext_lazy("Profile"),
            ),
            MultiFieldPanel(
                [FieldPanel("eccp_id"), FieldPanel("eccp_url"), FieldPanel("eccp_validation")],
                heading=gettext_lazy("European Cluster Collaboration Platform"),
            ),
            FieldPanel("co_admins"),
        ],
        base_form_class=OrganisationAdminForm,
    )

    def get_queryset(self, request):
        return super().get_queryset(request).with_current_label()

    @display(description=gettext_lazy("Current label"))
    def label_display(self, organisation):
        return organisation.label_level or ""


class QualityLabelAdmin(AnnouncingModelAdmin):
    model = QualityLabel
    menu_label = gettext_lazy("Quality labels")
    menu_icon = "pick"
    list_display = ("organisation", "level", "awarded_by", "awarded_on", "valid_until", "state")
    list_filter = ("level", "awarded_by", "valid_until")
    search_fields = ("organisation__name", "awarded_by")
    list_select_related = ("organisation",)
    list_export = ("organisation", "level", "awarded_by", "awarded_on", "valid_until", "state")
    export_filename = "quality-labels"
    panels = [
        FieldPanel("organisation"),
        FieldPanel("level"),
        FieldPanel("awarded_by"),
        FieldRowPanel([FieldPanel("awarded_on"), FieldPanel("valid_until")]),
    ]

    @display(description=gettext_lazy("State"))
    def state(self, label):
        return _("expired") if label.is_expired() else _("valid")


class SectorAdmin(ModelAdmin):
    model = Sector
    menu_label = gettext_lazy("Sectors")
    menu_icon = "list-ul"
    list_display = ("name", "slug", "missing_translations")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name_en",)}
    list_export = ("name_en", "name_de", "name_fr", "name_es", "slug")
    panels = [*translated_panels("name"), FieldPanel("slug")]

    def missing_translations(self, sector):
        return missing_languages_text(sector, ["name"])

    missing_translations.short_description = MISSING_TRANSLATIONS


# --- Members, memberships, registers -----------------------------------------------------------


class ProfilePermissionHelper(PermissionHelper):
    """Profiles come with accounts: editors change them but never create one here."""

    def user_can_create(self, user):
        return False


class MemberProfileAdmin(AnnouncingModelAdmin):
    model = MemberProfile
    menu_label = gettext_lazy("Members")
    menu_icon = "user"
    permission_helper_class = ProfilePermissionHelper
    list_display = ("__str__", "email", "job_title", "country", "visibility")
    list_filter = ("visibility", "country")
    search_fields = ("display_name", "user__username", "user__email", "job_title")
    list_select_related = ("user",)
    list_export = ("display_name", "email", "job_title", "country", "languages", "visibility")
    export_filename = "members"
    panels = [
        FieldPanel("display_name"),
        FieldPanel("job_title"),
        FieldPanel("bio"),
        FieldPanel("avatar"),
        FieldRowPanel([FieldPanel("country"), FieldPanel("languages"), FieldPanel("phone")]),
        FieldPanel("expertise"),
        FieldPanel("links"),
        FieldPanel("visibility"),
        FieldRowPanel([FieldPanel(visibility_column(name)) for name in PRIVATE_FIELDS[:4]]),
        FieldRowPanel([FieldPanel(visibility_column(name)) for name in PRIVATE_FIELDS[4:]]),
    ]

    @display(description=gettext_lazy("E-mail"))
    def email(self, profile):
        return profile.user.email


class MembershipButtonHelper(ButtonHelper):
    """Adds Approve / Reject to pending requests in the list."""

    def get_buttons_for_obj(self, obj, exclude=None, classnames_add=None, classnames_exclude=None):
        buttons = super().get_buttons_for_obj(obj, exclude, classnames_add, classnames_exclude)
        if obj.status == Membership.Status.REQUESTED and self.permission_helper.user_can_edit_obj(
            self.request.user, obj
        ):
            add_decision_buttons(self, obj, buttons)
        return buttons


def add_decision_buttons(helper: ButtonHelper, obj, buttons: list) -> None:
    """Put the decisions (Reject, then Approve) first among ``obj``'s buttons in an admin list."""
    for action, label in (("approve", _("Approve")), ("reject", _("Reject"))):
        buttons.insert(
            0,
            {
                "url": helper.url_helper.get_action_url(action, quote(obj.pk)),
                "label": label,
                "classname": helper.finalise_classname(["button-secondary"]),
                "title": label,
            },
        )


class MembershipAdmin(ExtraActionsMixin, ModelAdmin):
    extra_actions = ("approve", "reject")
    model = Membership
    menu_label = gettext_lazy("Memberships")
    menu_icon = "link"
    button_helper_class = MembershipButtonHelper
    list_display = ("member", "organisation", "role", "status", "is_primary", "requested")
    list_filter = ("status", "is_primary", "organisation")
    search_fields = ("member__display_name", "member__user__email", "organisation__name", "role")
    list_select_related = ("member__user", "organisation")
    list_export = ("member", "organisation", "role", "status", "is_primary", "requested", "decided")
    export_filename = "memberships"
    panels = [FieldPanel("role"), FieldPanel("is_primary")]

    def decision_view(self, action):
        decide = {"approve": services.approve_membership, "reject": services.reject_membership}[
            action
        ]

        @require_http_methods(["GET", "POST"])
        def view(request, instance_pk):
            membership = get_object_or_404(
                Membership.objects.select_related("member__user", "organisation"), pk=instance_pk
            )
            if not self.permission_helper.user_can_edit_obj(request.user, membership):
                raise PermissionDenied
            if request.method == "POST":
                try:
                    decide(membership=membership, actor=request.user)
                except Conflict as error:
                    messages.error(request, error.message)
                else:
                    messages.success(request, _("The request was decided."))
                return redirect(self.url_helper.index_url)
            return TemplateResponse(
                request,
                "members/admin/membership_decide.html",
                {
                    "membership": membership,
                    "action": action,
                    "index_url": self.url_helper.index_url,
                },
            )

        return view

    def approve_view(self, request, instance_pk):
        return self.decision_view("approve")(request, instance_pk)

    def reject_view(self, request, instance_pk):
        return self.decision_view("reject")(request, instance_pk)


class StaffDecidePermissionHelper(ReadOnlyPermissionHelper):
    """Requests to create or claim an organisation: every editor (staff) lists them and
    decides through the actions, nobody edits them through a form."""

    def user_can_list(self, user):
        return bool(user.is_active and user.is_staff)

    def user_can_inspect_obj(self, user, obj):
        return self.user_can_list(user)


class OrganisationRequestButtonHelper(ButtonHelper):
    def get_buttons_for_obj(self, obj, exclude=None, classnames_add=None, classnames_exclude=None):
        buttons = super().get_buttons_for_obj(obj, exclude, classnames_add, classnames_exclude)
        if obj.status == OrganisationRequest.Status.PENDING and self.request.user.is_staff:
            add_decision_buttons(self, obj, buttons)
        return buttons


class OrganisationRequestAdmin(ExtraActionsMixin, ModelAdmin):
    """Members' requests to create their organisation's profile or to claim one: an editor
    checks the ECCP link (and that the member works there), then approves or rejects."""

    extra_actions = ("approve", "reject")
    model = OrganisationRequest
    menu_label = gettext_lazy("Organisation requests")
    menu_icon = "help"
    permission_helper_class = StaffDecidePermissionHelper
    button_helper_class = OrganisationRequestButtonHelper
    list_display = ("kind", "name", "country", "requester", "eccp_url", "status", "created")
    list_filter = ("status", "kind")
    search_fields = ("name", "requester__email", "requester__profile__display_name", "eccp_url")
    list_select_related = ("requester", "organisation")

    def decision_view(self, action):
        @require_http_methods(["GET", "POST"])
        def view(request, instance_pk):
            if not request.user.is_staff:
                raise PermissionDenied
            organisation_request = get_object_or_404(
                OrganisationRequest.objects.select_related("requester__profile", "organisation"),
                pk=instance_pk,
            )
            if request.method == "POST":
                try:
                    if action == "approve":
                        services.approve_organisation_request(
                            organisation_request=organisation_request, actor=request.user
                        )
                    else:
                        services.reject_organisation_request(
                            organisation_request=organisation_request,
                            actor=request.user,
                            reason=request.POST.get("reason", ""),
                        )
                except (Conflict, ValidationError) as error:
                    messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
                else:
                    messages.success(request, _("The request was decided."))
                return redirect(self.url_helper.index_url)
            return TemplateResponse(
                request,
                "members/admin/organisation_request_decide.html",
                {
                    "organisation_request": organisation_request,
                    "action": action,
                    "index_url": self.url_helper.index_url,
                },
            )

        return view

    def approve_view(self, request, instance_pk):
        return self.decision_view("approve")(request, instance_pk)

    def reject_view(self, request, instance_pk):
        return self.decision_view("reject")(request, instance_pk)


class RegisterEntryAdmin(AnnouncingModelAdmin):
    model = RegisterEntry
    menu_label = gettext_lazy("Registers")
    menu_icon = "doc-full"
    list_display = ("member", "register", "modules", "state", "certified_on", "valid_until")
    list_filter = ("register", "status", "valid_until")
    search_fields = ("member__display_name", "modules")
    list_select_related = ("member__user",)
    list_export = ("member", "register", "modules", "status", "certified_on", "valid_until")
    export_filename = "registers"

    @display(description=gettext_lazy("Status"))
    def state(self, entry):
        return entry.display_status


# --- Importing organisations from an ECCP export -------------------------------------------------


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("ECCP export (.csv or .json)"),
        help_text=gettext_lazy("Nothing is imported before you have seen the preview."),
    )


class OrganisationImportPermissionHelper(PermissionHelper):
    """Uploads are made through the import page and never edited; staff who may add
    organisations may import them."""

    def user_can_create(self, user):
        return user.is_staff and user.has_perm("members.add_organisationimport")

    def user_can_edit_obj(self, user, obj):
        return False

    def user_can_inspect_obj(self, user, obj):
        return self.user_can_create(user)


class OrganisationImportButtonHelper(ButtonHelper):
    def get_buttons_for_obj(self, obj, exclude=None, classnames_add=None, classnames_exclude=None):
        buttons = super().get_buttons_for_obj(obj, exclude, classnames_add, classnames_exclude)
        if self.permission_helper.user_can_create(self.request.user):
            buttons.insert(
                0,
                {
                    "url": self.url_helper.get_action_url("preview", quote(obj.pk)),
                    "label": _("Open"),
                    "classname": self.finalise_classname(["button-secondary"]),
                    "title": _("Open"),
                },
            )
        return buttons


class OrganisationImportAdmin(ExtraActionsMixin, ModelAdmin):
    """Upload an ECCP export, see every bad row and every unknown sector, then confirm;
    the import runs on the task queue while the page shows its progress."""

    model = OrganisationImport
    extra_actions = ("preview", "progress")
    menu_label = gettext_lazy("Import organisations")
    menu_icon = "upload"
    permission_helper_class = OrganisationImportPermissionHelper
    button_helper_class = OrganisationImportButtonHelper
    list_display = ("file_name", "status", "rows", "uploaded_by", "created")
    list_filter = ("status",)
    list_select_related = ("uploaded_by",)

    def _check(self, request):
        if not self.permission_helper.user_can_create(request.user):
            raise PermissionDenied

    def create_view(self, request):
        """The upload form; a readable file goes to its preview."""
        self._check(request)
        form = ImportUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                job = importing.upload_import(
                    file_name=upload.name, raw=upload.read(), actor=request.user
                )
            except ValidationError as error:
                form.add_error("file", error)
            else:
                return redirect(self.url_helper.get_action_url("preview", quote(job.pk)))
        return TemplateResponse(
            request,
            "members/admin/import_upload.html",
            {"form": form, "index_url": self.url_helper.index_url},
        )

    def preview_view(self, request, instance_pk):
        """Before confirmation: the rows' errors and the unknown sectors with a choice for
        each; after: the import's progress, then its report."""
        self._check(request)
        job = get_object_or_404(OrganisationImport, pk=instance_pk)
        mapping = {}
        confirm_errors = []
        if request.method == "POST" and job.status == OrganisationImport.Status.UPLOADED:
            mapping = {
                key.removeprefix("sector:"): value
                for key, value in request.POST.items()
                if key.startswith("sector:")
            }
            try:
                importing.confirm_import(job=job, sector_mapping=mapping, actor=request.user)
            except ValidationError as error:
                confirm_errors = error.messages
            except Conflict as error:
                confirm_errors = [str(error)]
            else:
                return redirect(self.url_helper.get_action_url("preview", quote(job.pk)))
            job.refresh_from_db()
        preview = None
        if job.status == OrganisationImport.Status.UPLOADED:
            preview = importing.preview_import(job=job)
        sectors = list(Sector.objects.order_by("name"))
        return TemplateResponse(
            request,
            "members/admin/import_preview.html",
            {
                "job": job,
                "preview": preview,
                "sector_rows": [
                    (name, mapping.get(name, ""))
                    for name in (preview.unknown_sectors if preview else [])
                ],
                "sectors": sectors,
                "confirm_errors": confirm_errors,
                "progress": importing.import_progress(job),
                "progress_url": self.url_helper.get_action_url("progress", quote(job.pk)),
                "index_url": self.url_helper.index_url,
                "polling": job.status
                in (OrganisationImport.Status.QUEUED, OrganisationImport.Status.RUNNING),
            },
        )

    def progress_view(self, request, instance_pk):
        """The import's progress as JSON, for a page or a script that polls it."""
        self._check(request)
        job = get_object_or_404(OrganisationImport, pk=instance_pk)
        return JsonResponse(importing.import_progress(job))


class MembersGroup(ModelAdminGroup):
    menu_label = gettext_lazy("Club members")
    menu_icon = "group"
    menu_order = 250
    items = (
        OrganisationAdmin,
        QualityLabelAdmin,
        MemberProfileAdmin,
        MembershipAdmin,
        OrganisationRequestAdmin,
        RegisterEntryAdmin,
        SectorAdmin,
        OrganisationImportAdmin,
    )


modeladmin_register(MembersGroup)
