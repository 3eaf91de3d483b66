"""JSON API of the privacy app, mounted under /api/ before the members app's, whose
``members/me/`` it serves with DELETE added."""

from django.urls import path

from privacy.api import ConsentsView, ExportView, MemberMeView

urlpatterns = [
    path("members/me/", MemberMeView.as_view(), name="api-member-me"),
    path("members/me/export/", ExportView.as_view(), name="api-member-export"),
    path("members/me/consents/", ConsentsView.as_view(), name="api-member-consents"),
]
