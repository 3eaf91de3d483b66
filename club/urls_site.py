"""Site-level HTML routes of the club that are not Wagtail pages."""

from django.urls import path

from club import views

urlpatterns = [
    path("healthz", views.health, name="health"),
]
