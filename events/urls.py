"""HTML pages of the events app that are not Wagtail pages (those live under /events/)."""

from django.urls import path

from events import converters, views  # noqa: F401 - registers event_id

app_name = "events"
urlpatterns = [
    path("events/calendar.ics", views.upcoming_calendar, name="upcoming-calendar"),
    path("events/my-registrations/", views.my_registrations, name="my-registrations"),
    path("events/check-in/", views.check_in, name="check-in"),
    path("events/<event_id:pk>/check-in/", views.check_in_desk, name="check-in-desk"),
    path("events/<event_id:pk>/calendar.ics", views.event_calendar, name="event-calendar"),
    path("events/<event_id:pk>/register/", views.register, name="register"),
    path("events/<event_id:pk>/cancel/", views.cancel, name="cancel"),
    path(
        "events/<event_id:pk>/guest-registration/",
        views.guest_register,
        name="guest-register",
    ),
    path("events/guests/<str:token>/confirm/", views.guest_confirm, name="guest-confirm"),
    path("events/guests/<str:token>/cancel/", views.guest_cancel, name="guest-cancel"),
    path("events/<event_id:pk>/attendees.csv", views.attendees_csv, name="attendees-csv"),
]
