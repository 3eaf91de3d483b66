"""JSON API of matchmaking, mounted under /api/."""

from django.urls import path

from events import converters  # noqa: F401 - registers event_id
from matchmaking import api

urlpatterns = [
    path(
        "events/<event_id:pk>/matchmaking/", api.MatchmakingView.as_view(), name="api-matchmaking"
    ),
    path(
        "events/<event_id:pk>/matchmaking/participants/",
        api.ParticipantsView.as_view(),
        name="api-matchmaking-participants",
    ),
    path(
        "events/<event_id:pk>/matchmaking/meetings/",
        api.EventMeetingsView.as_view(),
        name="api-matchmaking-meetings",
    ),
    path(
        "matchmaking/meetings/<event_id:pk>/",
        api.MeetingView.as_view(),
        name="api-matchmaking-meeting",
    ),
]
