"""The check-in desk's extension point: apps above events add sections to an event's desk
without events importing them (matchmaking shows the meetings of the day there).

An app registers a section in its ``AppConfig.ready()``::

    from events.desk import DeskSection, register_section

    @register_section("matchmaking.meetings", order=20)
    class Meetings(DeskSection):
        title = _("Meetings")
        template = "matchmaking/desk.html"

        def context(self, *, event, request):
            return {"meetings": ...}          # None: nothing to show for this event

        def act(self, *, event, request):
            ...                               # a POST of the section's form
            return _("Done.")                 # the message the desk shows

The desk page renders each section's ``template`` with what ``context`` returns (plus
``event`` and ``section``). A form of a section posts to the desk with
``section=<key>``; the desk calls that section's ``act``, which changes state through its
app's services and returns the message to show, or raises ``ValidationError``,
``Conflict`` or ``PermissionDenied``. ``permission`` (a Django permission name) is what a
user needs besides the desk's own to see and use the section.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

logger = logging.getLogger(__name__)


class DeskSection:
    """One block of an event's check-in desk (see the module's docstring)."""

    key: str = ""
    order: int = 100
    title: str = ""
    template: str = ""
    permission: str = ""

    def allowed(self, user) -> bool:
        return not self.permission or user.has_perm(self.permission)

    def context(self, *, event, request) -> dict | None:
        raise NotImplementedError

    def act(self, *, event, request) -> str:
        raise NotImplementedError


@dataclass
class RenderedSection:
    key: str
    title: str
    template: str
    context: dict


_sections: dict[str, DeskSection] = {}


def register_section(key: str, *, order: int = 100):
    """Register a ``DeskSection`` subclass under ``key`` (re-registering replaces it)."""

    def decorator(cls: type[DeskSection]) -> type[DeskSection]:
        section = cls()
        section.key, section.order = key, order
        _sections[key] = section
        return cls

    return decorator


def unregister_section(key: str) -> None:
    _sections.pop(key, None)


def section_for(key: object, user) -> DeskSection | None:
    """The registered section ``key`` if ``user`` may use it, else None."""
    section = _sections.get(key) if isinstance(key, str) else None
    if section is None or not section.allowed(user):
        return None
    return section


def build_sections(*, event, request) -> list[RenderedSection]:
    """Every section ``request.user`` may see that has something to show for ``event``.

    A section that fails is logged and left out: one app's error never closes the desk.
    """
    rendered = []
    for section in sorted(_sections.values(), key=lambda s: (s.order, s.key)):
        if not section.allowed(request.user):
            continue
        try:
            context = section.context(event=event, request=request)
        except Exception:
            logger.exception("check-in desk section %s failed", section.key)
            continue
        if context is not None:
            rendered.append(
                RenderedSection(
                    key=section.key,
                    title=str(section.title),
                    template=section.template,
                    context={**context, "event": event, "section_key": section.key},
                )
            )
    return rendered
