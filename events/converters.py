"""URL converter for page ids: at most nine digits, so an absurd id is a 404 before it can
overflow a database integer."""

from django.urls import register_converter


class EventIdConverter:
    regex = "[0-9]{1,9}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(int(value))


register_converter(EventIdConverter, "event_id")
