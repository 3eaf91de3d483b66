"""iCalendar (RFC 5545) files of events, built with the icalendar library.

Each event is written with its own time zone: DTSTART/DTEND carry TZID=<the event's IANA
zone> and the calendar holds the matching VTIMEZONE, so calendar programs show the
right local time wherever the reader lives.
"""

from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.utils import timezone
from django.utils.html import strip_tags

PRODID = "-//Cluster Club//Events//EN"


def event_uid(event) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "clusterclub.eu"
    return f"event-{event.pk}@{host}"


def absolute_url(event) -> str:
    url = event.get_url() or ""
    if url.startswith("/"):
        url = settings.SITE_URL + url
    return url


def event_component(event, *, online_link: str = "") -> icalendar.Event:
    """The VEVENT of ``event``; ``online_link`` only where the reader may see it."""
    component = icalendar.Event()
    component.add("uid", event_uid(event))
    component.add("dtstamp", timezone.now())
    component.add("dtstart", event.local_start)
    component.add("dtend", event.local_end)
    component.add("summary", event.title)
    description = event.intro or strip_tags(event.body or "")
    if online_link:
        description = f"{description}\n\n{online_link}".strip()
    if description:
        component.add("description", description)
    location = ", ".join(
        part
        for part in (event.venue, event.city, event.country.name if event.country else "")
        if part
    )
    if location:
        component.add("location", location)
    url = absolute_url(event)
    if url:
        component.add("url", url)
    component.add("last-modified", event.last_published_at or timezone.now())
    component.add("status", "CONFIRMED")
    return component


def build_calendar(
    events: Iterable, *, name: str = "", shows_online_link: Callable[[object], bool] | None = None
) -> bytes:
    """A VCALENDAR with one VEVENT per event and a VTIMEZONE for every zone used.

    An event's online link is written only where ``shows_online_link(event)`` says so
    (``events.selectors.online_link_audience`` of the reader); without it, nowhere.
    """
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    if name:
        calendar.add("x-wr-calname", name)
    events = list(events)
    for event in events:
        link = event.online_link if shows_online_link and shows_online_link(event) else ""
        calendar.add_component(event_component(event, online_link=link))
    if events:
        # Transitions of the years around the events are enough and keep the file small.
        first = min(event.local_start for event in events).date()
        last = max(event.local_end for event in events).date()
        calendar.add_missing_timezones(
            first_date=first.replace(year=first.year - 1, month=1, day=1),
            last_date=last.replace(year=last.year + 1, month=12, day=31),
        )
    return calendar.to_ical()


def event_filename(event) -> str:
    return f"{event.slug or 'event'}.ics"
