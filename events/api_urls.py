"""JSON API of the events app, mounted under /api/."""

from django.urls import path

from events import api

urlpatterns = [
    path("events/", api.EventListView.as_view(), name="api-events"),
    path("events/<int:pk>/", api.EventDetailView.as_view(), name="api-event"),
    path(
        "events/<int:pk>/registration/",
        api.EventRegistrationView.as_view(),
        name="api-event-registration",
    ),
]
