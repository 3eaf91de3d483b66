"""HTML pages of partner requests."""

from django.urls import path

from partnering import views

app_name = "partnering"
urlpatterns = [
    path("partners/requests/", views.request_list, name="requests"),
    path("partners/requests/new/", views.request_new, name="request-new"),
    path("partners/requests/mine/", views.my_requests, name="mine"),
    path("partners/requests/saved/", views.saved_searches, name="saved-searches"),
    path("partners/requests/<int:pk>/", views.request_detail, name="request"),
    path("partners/requests/<int:pk>/edit/", views.request_edit, name="request-edit"),
    path("partners/requests/<int:pk>/action/", views.request_action, name="request-action"),
    path("partners/requests/<int:pk>/interest/", views.express_interest, name="interest"),
    path(
        "partners/requests/interests/<int:pk>/action/",
        views.interest_action,
        name="interest-action",
    ),
    path("members/me/notifications/", views.preferences, name="preferences"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
