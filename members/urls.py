"""HTML pages of the members app."""

from django.urls import path, re_path

from members import views

app_name = "members"
urlpatterns = [
    path("members/", views.member_list, name="member_list"),
    path("members/me/", views.member_dashboard, name="dashboard"),
    path("dashboard/", views.member_dashboard, name="dashboard_alias"),
    path("members/me/edit/", views.profile_edit, name="profile_edit"),
    path("members/me/organisations/", views.my_organisations, name="my_organisations"),
    path(
        "members/me/organisations/<int:pk>/leave/",
        views.membership_leave,
        name="membership_leave",
    ),
    path(
        "members/me/organisations/<int:pk>/primary/",
        views.membership_primary,
        name="membership_primary",
    ),
    path("members/<int:pk>/", views.member_detail, name="member_detail"),
    path("members/<int:pk>/follow/", views.member_follow, name="member_follow"),
    path(
        "members/me/organisations/new/",
        views.organisation_request_new,
        name="organisation_request_new",
    ),
    path("organisations/", views.organisation_list, name="organisation_list"),
    path(
        "organisations/invitations/<str:token>/",
        views.invitation_answer,
        name="invitation",
    ),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation_detail"),
    path("organisations/<slug:slug>/edit/", views.organisation_edit, name="organisation_edit"),
    path("organisations/<slug:slug>/join/", views.organisation_join, name="organisation_join"),
    path(
        "organisations/<slug:slug>/follow/",
        views.organisation_follow,
        name="organisation_follow",
    ),
    path("organisations/<slug:slug>/claim/", views.organisation_claim, name="organisation_claim"),
    path(
        "organisations/<slug:slug>/co-admins/",
        views.organisation_coadmins,
        name="organisation_coadmins",
    ),
    path(
        "organisations/<slug:slug>/co-admins/invite/",
        views.coadmin_invite,
        name="coadmin_invite",
    ),
    path(
        "organisations/<slug:slug>/co-admins/<int:member_id>/remove/",
        views.coadmin_remove,
        name="coadmin_remove",
    ),
    path(
        "organisations/<slug:slug>/invitations/<int:pk>/withdraw/",
        views.invitation_withdraw,
        name="invitation_withdraw",
    ),
    path("organisations/<slug:slug>/logo/", views.organisation_logo, name="organisation_logo"),
    re_path(
        r"^organisations/(?P<slug>[-\w]+)/requests/(?P<pk>\d+)/(?P<decision>approve|reject)/$",
        views.membership_decide,
        name="membership_decide",
    ),
    path("registers/", views.register_index, name="register_index"),
    re_path(
        r"^registers/(?P<register>foundation-tutors|foundation-instructors)/$",
        views.register_detail,
        name="register",
    ),
]
