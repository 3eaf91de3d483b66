"""JSON API of the awards, mounted under /api/."""

from django.urls import path

from awards import api

urlpatterns = [
    path("awards/", api.CycleListView.as_view(), name="api-awards"),
    path("awards/laureates/", api.LaureateListView.as_view(), name="api-award-laureates"),
]
