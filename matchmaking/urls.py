"""HTML pages of matchmaking: each event's brokerage page, the agenda's calendar file and
the forms that change meetings."""

from django.urls import path

from events import converters  # noqa: F401 - registers event_id
from matchmaking import views

app_name = "matchmaking"
urlpatterns = [
    path("events/<event_id:pk>/matchmaking/", views.event_matchmaking, name="event"),
    path("events/<event_id:pk>/matchmaking/opt-in/", views.opt_in, name="opt-in"),
    path("events/<event_id:pk>/matchmaking/request/", views.request_meeting, name="request"),
    path("events/<event_id:pk>/agenda.ics", views.agenda_calendar, name="agenda-ics"),
    path("matchmaking/meetings/<event_id:pk>/", views.change_meeting, name="meeting"),
]
