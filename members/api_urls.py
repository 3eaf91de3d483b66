"""JSON API of the members app, mounted under /api/."""

from django.urls import path

from members.api import MemberMeView, MemberViewSet, OrganisationViewSet, RegisterEntryViewSet

organisation_list = OrganisationViewSet.as_view({"get": "list"})
organisation_detail = OrganisationViewSet.as_view({"get": "retrieve", "patch": "partial_update"})
member_list = MemberViewSet.as_view({"get": "list"})
member_detail = MemberViewSet.as_view({"get": "retrieve"})

urlpatterns = [
    path("organisations/", organisation_list, name="api-organisation-list"),
    path("organisations/<slug:slug>/", organisation_detail, name="api-organisation-detail"),
    path("members/", member_list, name="api-member-list"),
    path("members/me/", MemberMeView.as_view(), name="api-member-me"),
    path("members/<int:pk>/", member_detail, name="api-member-detail"),
    path(
        "registers/",
        RegisterEntryViewSet.as_view({"get": "list"}),
        name="api-register-list",
    ),
]
