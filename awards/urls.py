"""HTML pages of the awards (under each language's prefix)."""

from django.urls import path

from awards import views

app_name = "awards"
urlpatterns = [
    path("awards/", views.award_index, name="index"),
    path("awards/laureates/", views.laureate_archive, name="laureates"),
    path("awards/applications/", views.my_applications, name="my_applications"),
    path("awards/applications/<int:pk>/", views.application_detail, name="application"),
    path(
        "awards/applications/<int:pk>/withdraw/",
        views.application_withdraw,
        name="withdraw",
    ),
    path(
        "awards/applications/<int:pk>/documents/<int:document_id>/",
        views.application_document,
        name="document",
    ),
    path(
        "awards/applications/<int:pk>/documents/<int:document_id>/remove/",
        views.application_document_remove,
        name="remove_document",
    ),
    path("awards/applications/<int:pk>/consent/", views.nomination_consent, name="consent"),
    path("awards/applications/<int:pk>/announce/", views.announce, name="announce"),
    path("awards/jury/applications/<int:pk>/", views.jury_application, name="jury_application"),
    path(
        "awards/jury/applications/<int:pk>/conflict/",
        views.jury_conflict,
        name="jury_conflict",
    ),
    path("awards/<slug:slug>/", views.cycle_detail, name="cycle"),
    path("awards/<slug:slug>/apply/", views.apply, name="apply"),
    path("awards/<slug:slug>/jury/", views.jury_dashboard, name="jury"),
    path(
        "awards/<slug:slug>/jury/confirm-shortlist/",
        views.jury_confirm_shortlist,
        name="confirm_shortlist",
    ),
    path("awards/<slug:slug>/results/", views.results, name="results"),
    path("awards/<slug:slug>/assign/", views.assign, name="assign"),
    path("awards/<slug:slug>/remind/", views.remind, name="remind"),
    path("awards/<slug:slug>/shortlist/", views.shortlist, name="shortlist"),
]
