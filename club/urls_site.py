"""Site-level HTML routes of the club that are not Wagtail pages."""

from django.conf import settings
from django.urls import path

from club import views

urlpatterns = [
    path("healthz", views.health, name="health"),
    path("preview/", views.preview, name="headless-preview"),
]

if settings.BENCH_CEILINGS:
    urlpatterns += [
        path("bench/ceiling/json", views.ceiling_json),
        path("bench/ceiling/query", views.ceiling_query),
    ]
