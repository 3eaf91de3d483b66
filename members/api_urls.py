"""JSON API of the members app, mounted under /api/."""

from django.urls import path

from members import api
from members.api import MemberMeView, MemberViewSet, OrganisationViewSet, RegisterEntryViewSet

organisation_list = OrganisationViewSet.as_view({"get": "list"})
organisation_detail = OrganisationViewSet.as_view({"get": "retrieve", "patch": "partial_update"})
member_list = MemberViewSet.as_view({"get": "list"})
member_detail = MemberViewSet.as_view({"get": "retrieve"})

urlpatterns = [
    path("organisations/", organisation_list, name="api-organisation-list"),
    # Before the slugs: "requests" is this list, not an organisation.
    path(
        "organisations/requests/",
        api.OrganisationRequestsView.as_view(),
        name="api-organisation-requests",
    ),
    path("organisations/<slug:slug>/", organisation_detail, name="api-organisation-detail"),
    path(
        "organisations/<slug:slug>/co-admins/",
        api.OrganisationCoAdminsView.as_view(),
        name="api-organisation-coadmins",
    ),
    path(
        "organisations/<slug:slug>/co-admins/<int:member_id>/",
        api.OrganisationCoAdminView.as_view(),
        name="api-organisation-coadmin",
    ),
    path(
        "organisations/<slug:slug>/logo/",
        api.OrganisationLogoView.as_view(),
        name="api-organisation-logo",
    ),
    path("members/", member_list, name="api-member-list"),
    path("members/me/", MemberMeView.as_view(), name="api-member-me"),
    path("members/me/following/", api.FollowingView.as_view(), name="api-following"),
    path(
        "members/me/following/members/<int:pk>/",
        api.FollowedMemberView.as_view(),
        name="api-followed-member",
    ),
    path(
        "members/me/following/organisations/<slug:slug>/",
        api.FollowedOrganisationView.as_view(),
        name="api-followed-organisation",
    ),
    path("members/me/feed/", api.FeedView.as_view(), name="api-feed"),
    path("members/me/invitations/", api.MyInvitationsView.as_view(), name="api-my-invitations"),
    path(
        "members/me/invitations/<int:pk>/",
        api.MyInvitationView.as_view(),
        name="api-my-invitation",
    ),
    path("members/<int:pk>/", member_detail, name="api-member-detail"),
    path(
        "registers/",
        RegisterEntryViewSet.as_view({"get": "list"}),
        name="api-register-list",
    ),
]
