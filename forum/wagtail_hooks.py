"""Wagtail admin of the forum: categories, and the moderation queue of flagged posts.

The queue lists open flags first; each has "Hide post" and "Dismiss" actions that go
through forum.services.resolve_flag, so the admin, the API and the thread page decide a
report the same way (and readers' sockets hear of a hidden post at once).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.panels import FieldPanel
from wagtail_modeladmin.helpers import ButtonHelper
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup, modeladmin_register
from wagtail_modeladmin.views import InstanceSpecificView

from admin_actions import ExtraActionsMixin, ReadOnlyPermissionHelper
from domain.exceptions import Conflict
from forum import services
from forum.models import Category, Flag
from forum.permissions import is_moderator
from translating import (
    MISSING_TRANSLATIONS,
    column,
    language_codes,
    missing_languages_text,
    translated_panels,
)


class CategoryAdmin(ModelAdmin):
    model = Category
    menu_label = gettext_lazy("Categories")
    menu_icon = "folder-open-inverse"
    list_display = ("name", "slug", "visibility", "order", "missing_translations")
    list_filter = ("visibility",)
    search_fields = ("name", "description")
    ordering = ("order", "name")
    list_export = (
        *(column(field, code) for field in ("name", "description") for code in language_codes()),
        "slug",
        "visibility",
        "order",
    )
    prepopulated_fields = {"slug": ("name_en",)}
    panels = [
        *translated_panels("name"),
        FieldPanel("slug"),
        *translated_panels("description"),
        FieldPanel("visibility"),
        FieldPanel("order"),
    ]

    def missing_translations(self, category):
        return missing_languages_text(category, ["name"])

    missing_translations.short_description = MISSING_TRANSLATIONS


class FlagPermissionHelper(ReadOnlyPermissionHelper):
    """Moderators (staff or the Moderators group) review flags; nobody edits them by hand."""

    def user_can_list(self, user):
        return is_moderator(user)

    def user_can_inspect_obj(self, user, obj):
        return is_moderator(user)


class FlagButtonHelper(ButtonHelper):
    def resolve_button(self, obj, resolution, label):
        return {
            "url": self.url_helper.get_action_url("resolve", obj.pk) + f"?resolution={resolution}",
            "label": label,
            "classname": self.finalise_classname(["button-secondary"]),
            "title": label,
        }

    def get_buttons_for_obj(self, obj, exclude=None, classnames_add=None, classnames_exclude=None):
        buttons = super().get_buttons_for_obj(obj, exclude, classnames_add, classnames_exclude)
        if obj.resolved is None and is_moderator(self.request.user):
            buttons.append(self.resolve_button(obj, Flag.Resolution.HIDDEN, _("Hide post")))
            buttons.append(self.resolve_button(obj, Flag.Resolution.DISMISSED, _("Dismiss")))
        return buttons


class ResolveFlagView(InstanceSpecificView):
    """GET asks for confirmation; POST resolves the flag through the service."""

    template_name = "forum/admin/resolve_flag.html"

    def check_action_permitted(self, user):
        return is_moderator(user)

    def get_page_title(self):
        return _("Resolve a flag")

    def get_context_data(self, **kwargs):
        resolution = self.request.GET.get("resolution", "")
        return super().get_context_data(
            resolution=resolution if resolution in Flag.Resolution.values else "",
            resolutions=Flag.Resolution.choices,
            post=self.instance.post,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        try:
            services.resolve_flag(
                flag=self.instance,
                moderator=request.user,
                resolution=request.POST.get("resolution", ""),
            )
        except (ValidationError, Conflict, PermissionDenied) as error:
            text = getattr(error, "message", None) or " ".join(getattr(error, "messages", []))
            messages.error(request, text or _("The flag could not be resolved."))
        else:
            messages.success(request, _("The flag is resolved."))
        return redirect(self.index_url)


class FlagAdmin(ExtraActionsMixin, ModelAdmin):
    extra_actions = ("resolve",)
    model = Flag
    menu_label = gettext_lazy("Moderation queue")
    menu_icon = "warning"
    permission_helper_class = FlagPermissionHelper
    button_helper_class = FlagButtonHelper
    inspect_view_enabled = True
    list_display = ("post_excerpt", "thread_link", "reason", "reporter", "created", "status")
    list_filter = ("reason", "resolution")
    list_export = ("post_id", "reason", "note", "reporter", "created", "resolved", "resolution")
    ordering = ("-resolved", "-created")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("post__thread", "reporter")
            .order_by("resolved", "-created")
        )

    @staticmethod
    def _excerpt(flag):
        return Truncator(flag.post.body).chars(80)

    def post_excerpt(self, flag):
        return self._excerpt(flag)

    post_excerpt.short_description = gettext_lazy("Post")

    def thread_link(self, flag):
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>',
            flag.post.get_absolute_url(),
            flag.post.thread.title,
        )

    thread_link.short_description = gettext_lazy("Thread")

    def status(self, flag):
        return flag.get_resolution_display() if flag.resolved else _("Open")

    status.short_description = gettext_lazy("Status")

    def resolve_view(self, request, instance_pk):
        return ResolveFlagView.as_view(model_admin=self, instance_pk=instance_pk)(request)


@modeladmin_register
class ForumAdminGroup(ModelAdminGroup):
    menu_label = gettext_lazy("Forum")
    menu_icon = "comment"
    menu_order = 300
    items = (CategoryAdmin, FlagAdmin)
