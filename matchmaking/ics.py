"""The calendar file of a participant's agenda: one VEVENT per accepted meeting, at its
table (and with the table's online link), in the event's time zone."""

import icalendar
from django.utils import timezone

from events.ics import PRODID, absolute_url, event_uid


def agenda_calendar(*, event, meetings, member) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", event.title)
    tz = event.tzinfo
    for meeting in meetings:
        component = icalendar.Event()
        component.add("uid", f"meeting-{meeting.pk}-{event_uid(event)}")
        component.add("dtstamp", timezone.now())
        component.add("dtstart", meeting.slot.start.astimezone(tz))
        component.add("dtend", meeting.slot.end.astimezone(tz))
        component.add("summary", f"{meeting.other_name} · {event.title}")
        location = meeting.table.name
        if event.venue:
            location = f"{location}, {event.venue}"
        component.add("location", location)
        description = "\n\n".join(
            part for part in (meeting.message, meeting.table.online_link) if part
        )
        if description:
            component.add("description", description)
        url = absolute_url(event)
        if url:
            component.add("url", url)
        component.add("status", "CONFIRMED")
        calendar.add_component(component)
    if meetings:
        first = min(m.slot.start for m in meetings).astimezone(tz).date()
        calendar.add_missing_timezones(
            first_date=first.replace(month=1, day=1),
            last_date=first.replace(year=first.year + 1, month=12, day=31),
        )
    return calendar.to_ical()
