"""The event page's parts that are each reader's own (``caching.member_parts``): their
registration or the form to register, and the online link once their seat is confirmed.
The rest of the page (the programme, the speakers, the seats left) is the same for every
member, so members share one copy of it (``EventPage.member_neutral``)."""

from django.template.loader import render_to_string

from caching.member_parts import int_arguments, register_member_part
from events.models import EventPage
from events.selectors import registration_context


def _readers_events(request, keys) -> dict[int, dict]:
    """The reader's part of each event a page names, worked out once per request for both
    of the page's parts."""
    known = getattr(request, "_event_registration_parts", None)
    if known is None:
        known = request._event_registration_parts = {}
    ids = {numbers[0] for numbers in int_arguments(keys) if numbers} - set(known)
    for event in EventPage.objects.filter(pk__in=ids):
        known[event.pk] = registration_context(event=event, request=request)
    return known


def _fill(template: str):
    def fill(request, keys):
        contexts = _readers_events(request, keys)
        return {
            (str(pk),): render_to_string(template, context, request=request)
            for pk, context in contexts.items()
        }

    return fill


def register_pages() -> None:
    """Fill the event page's parts (called once from EventsConfig.ready)."""
    register_member_part("events.registration", _fill("events/includes/registration.html"))
    register_member_part("events.online_link", _fill("events/includes/online_link.html"))
