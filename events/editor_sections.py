"""Sections that apps above this one add to an event's page in the Wagtail editor, without
this app importing them (matchmaking shows its figures after the brokerage there).

An app registers a Wagtail hook named ``EVENT_EDITOR_SECTION_HOOK`` in its
``wagtail_hooks.py``: ``section(request, event) -> EditorSection | None``, where ``event``
is the saved page being edited (the create view asks no section) and None shows nothing.
``EventEditorSections``, one panel of ``EventPage``'s content tab, shows the sections of
every hook, and nothing at all when none has one.
"""

from dataclasses import dataclass

from django.utils.html import format_html_join
from wagtail import hooks
from wagtail.admin.panels import Panel

EVENT_EDITOR_SECTION_HOOK = "register_event_editor_section"


@dataclass(frozen=True)
class EditorSection:
    """A section's heading (plain text) and its body (safe HTML)."""

    heading: str
    html: str


class EventEditorSections(Panel):
    """The sections that other apps add to the event's edit view, read-only."""

    class BoundPanel(Panel.BoundPanel):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.sections = []
            if self.instance is not None and self.instance.pk:
                self.sections = [
                    section
                    for hook in hooks.get_hooks(EVENT_EDITOR_SECTION_HOOK)
                    if (section := hook(self.request, self.instance)) is not None
                ]
            self.heading = " · ".join(section.heading for section in self.sections)

        def is_shown(self):
            return bool(self.sections)

        def render_html(self, parent_context=None):
            return format_html_join("", "{}", ((section.html,) for section in self.sections))
