"""Wagtail admin of partner requests: staff and moderators list them (with what is sought,
where, how many organisations fit and how many answered) and export the list as CSV.
Nobody edits a request here: its administrators do on the site, and moderators hide one
from its page or the API, as they hide a post. Private conversations are not shown.
"""

from django.db.models import Count
from django.utils.translation import gettext_lazy
from wagtail_modeladmin.options import ModelAdmin, modeladmin_register

from admin_actions import ReadOnlyPermissionHelper
from forum.permissions import is_moderator
from partnering.models import PartnerRequest


class PartnerRequestPermissionHelper(ReadOnlyPermissionHelper):
    def user_can_list(self, user):
        return is_moderator(user)

    def user_can_inspect_obj(self, user, obj):
        return is_moderator(user)


@modeladmin_register
class PartnerRequestAdmin(ModelAdmin):
    model = PartnerRequest
    menu_label = gettext_lazy("Partner requests")
    menu_icon = "group"
    menu_order = 310
    permission_helper_class = PartnerRequestPermissionHelper
    inspect_view_enabled = True
    list_display = ("title", "kind", "organisation", "status", "deadline", "interest_count")
    list_filter = ("kind", "status", "outcome", "hidden")
    search_fields = ("title", "description", "funding_reference")
    list_export = (
        "title",
        "kind",
        "organisation",
        "status",
        "outcome",
        "hidden",
        "deadline",
        "published",
        "closed",
        "match_count",
        "interest_count",
    )
    ordering = ("-published",)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("organisation")
            .annotate(
                interests_counted=Count("interests", distinct=True),
                matches_counted=Count("matches", distinct=True),
            )
        )

    def interest_count(self, item):
        return getattr(item, "interests_counted", 0)

    interest_count.short_description = gettext_lazy("Interests")

    def match_count(self, item):
        return getattr(item, "matches_counted", 0)

    match_count.short_description = gettext_lazy("Organisations that fit")
