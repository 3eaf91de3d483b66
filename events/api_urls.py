"""JSON API of the events app, mounted under /api/."""

from django.urls import path

from events import api, converters  # noqa: F401 - registers event_id

urlpatterns = [
    path("events/", api.EventListView.as_view(), name="api-events"),
    path("events/<event_id:pk>/", api.EventDetailView.as_view(), name="api-event"),
    path(
        "events/<event_id:pk>/registration/",
        api.EventRegistrationView.as_view(),
        name="api-event-registration",
    ),
    path(
        "events/<event_id:pk>/guest-registration/",
        api.GuestRegistrationView.as_view(),
        name="api-event-guest-registration",
    ),
    path(
        "events/<event_id:pk>/check-in/",
        api.EventCheckInView.as_view(),
        name="api-event-check-in",
    ),
]
