"""The awards in the Wagtail admin (wagtail-modeladmin): cycles with their phases,
categories, criteria and jury; applications with filters and CSV/XLSX export; scores,
declared conflicts and laureates. "Jury work" (``awards.admin_views``) shows coverage and
sends reminders, draws up the shortlist and announces the laureates; the site's results
page (``awards:results``) does the same for editors there and adds the assignment."""

from django.contrib.admin import display
from django.urls import include, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import ObjectList
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup, modeladmin_register

from awards import admin_views, selectors
from awards.admin_forms import AwardCycleAdminForm
from awards.models import Application, AwardCycle, ConflictOfInterest, Laureate, Score


class AwardCycleAdmin(ModelAdmin):
    model = AwardCycle
    menu_label = _("Cycles")
    menu_icon = "pick"
    list_display = ("title", "year", "is_published", "announced_at", "results_link")
    list_filter = ("is_published", "year")
    search_fields = ("title",)
    prepopulated_fields = {"slug": ("title_en",)}
    # Phase times are read and shown in the cycle's own time zone.
    edit_handler = ObjectList(AwardCycle.panels, base_form_class=AwardCycleAdminForm)

    @display(description=_("Jury and results"))
    def results_link(self, cycle):
        url = reverse("awards_admin:cycle", kwargs={"pk": cycle.pk})
        return format_html('<a href="{}">{}</a>', url, _("Coverage, shortlist, announcement"))


class ApplicationAdmin(ModelAdmin):
    model = Application
    menu_label = _("Applications")
    menu_icon = "doc-full"
    list_display = (
        "title",
        "nominee",
        "organisation",
        "cycle",
        "category",
        "status",
        "consent",
        "shortlisted",
    )
    list_filter = ("cycle", "category", "status", "consent", "shortlisted")
    search_fields = ("title", "success_story", "nominee__display_name", "organisation__name")
    list_export = (
        "cycle",
        "category",
        "title",
        "applicant",
        "nominee",
        "organisation",
        "status",
        "consent",
        "shortlisted",
        "submitted_at",
        "withdrawn_at",
        "figures",
    )
    export_filename = "award-applications"
    inspect_view_enabled = True


class ScoreAdmin(ModelAdmin):
    model = Score
    menu_label = _("Scores")
    menu_icon = "list-ol"
    list_display = ("application", "juror", "criterion", "value", "updated")
    list_filter = ("application__cycle", "criterion")
    list_export = ("application", "juror", "criterion", "value", "comment", "updated")
    export_filename = "award-scores"


class ConflictAdmin(ModelAdmin):
    model = ConflictOfInterest
    menu_label = _("Declared conflicts")
    menu_icon = "warning"
    list_display = ("juror", "application", "reason", "declared_at")
    list_filter = ("application__cycle",)


class LaureateAdmin(ModelAdmin):
    model = Laureate
    menu_label = _("Laureates")
    menu_icon = "pick"
    list_display = ("title", "name", "organisation_name", "year")
    list_filter = ("year",)
    search_fields = ("title", "name", "organisation_name")


class AwardsGroup(ModelAdminGroup):
    menu_label = _("Awards")
    menu_icon = "pick"
    menu_order = 320
    items = (AwardCycleAdmin, ApplicationAdmin, ScoreAdmin, ConflictAdmin, LaureateAdmin)

    def get_submenu_items(self):
        items = super().get_submenu_items()
        items.append(
            JuryWorkMenuItem(
                _("Jury work"),
                reverse("awards_admin:cycles"),
                icon_name="tasks",
                order=len(items) + 1,
            )
        )
        return items


class JuryWorkMenuItem(MenuItem):
    def is_shown(self, request):
        return selectors.is_award_editor(request.user)


modeladmin_register(AwardsGroup)


@hooks.register("register_admin_urls")
def register_jury_work_urls():
    patterns = [
        path("", admin_views.cycles, name="cycles"),
        path("<int:pk>/", admin_views.cycle_jury, name="cycle"),
        path("<int:pk>/remind/", admin_views.remind, name="remind"),
        path("<int:pk>/shortlist/", admin_views.shortlist, name="shortlist"),
        path("applications/<int:pk>/announce/", admin_views.announce, name="announce"),
    ]
    return [path("award-jury/", include((patterns, "awards_admin")))]
