"""JSON API of partner requests, mounted under /api/ (paths per DESIGN.md)."""

from django.urls import path

from partnering import api

urlpatterns = [
    path(
        "partner-requests/", api.PartnerRequestListView.as_view(), name="api-partner-request-list"
    ),
    path(
        "partner-requests/saved-searches/",
        api.SavedSearchListView.as_view(),
        name="api-partner-request-saved-searches",
    ),
    path(
        "partner-requests/saved-searches/<int:pk>/",
        api.SavedSearchDetailView.as_view(),
        name="api-partner-request-saved-search",
    ),
    path(
        "partner-requests/<int:pk>/",
        api.PartnerRequestDetailView.as_view(),
        name="api-partner-request-detail",
    ),
    path(
        "partner-requests/<int:pk>/matches/",
        api.PartnerRequestMatchesView.as_view(),
        name="api-partner-request-matches",
    ),
    path(
        "partner-requests/<int:pk>/interest/",
        api.PartnerRequestInterestView.as_view(),
        name="api-partner-request-interest",
    ),
    path(
        "partner-requests/<int:pk>/interests/",
        api.PartnerRequestInterestsView.as_view(),
        name="api-partner-request-interests",
    ),
    path(
        "partner-requests/<int:pk>/interests/<int:interest_pk>/",
        api.InterestDetailView.as_view(),
        name="api-partner-request-interest-detail",
    ),
    path(
        "members/me/notifications/",
        api.NotificationPreferencesView.as_view(),
        name="api-member-notification-preferences",
    ),
]
