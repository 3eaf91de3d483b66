"""Instance actions for Wagtail's model admins, beyond edit, delete and inspect.

A model admin that lists ``extra_actions = ("approve", ...)`` gets, for each action, the
URL that ``wagtail_modeladmin``'s URL helper names for it (``<app>_<model>_modeladmin_approve``)
served by its ``approve_view(request, instance_pk)`` method; its button helper links there.
``ReadOnlyPermissionHelper`` is for admins that list what staff act on through such
actions, never through the edit form.
"""

from django.urls import re_path
from wagtail_modeladmin.helpers import PermissionHelper


class ReadOnlyPermissionHelper(PermissionHelper):
    def user_can_create(self, user):
        return False

    def user_can_edit_obj(self, user, obj):
        return False

    def user_can_delete_obj(self, user, obj):
        return False


class ExtraActionsMixin:
    extra_actions: tuple[str, ...] = ()

    def get_admin_urls_for_registration(self):
        return (
            *super().get_admin_urls_for_registration(),
            *(
                re_path(
                    self.url_helper.get_action_url_pattern(action),
                    getattr(self, f"{action}_view"),
                    name=self.url_helper.get_action_url_name(action),
                )
                for action in self.extra_actions
            ),
        )
