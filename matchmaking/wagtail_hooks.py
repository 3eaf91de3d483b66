"""Wagtail admin of matchmaking: editors set it up per event (meeting hours, slot length,
breaks, tables, the most meetings, the booking window) and run the brokerage day from the
overview: the table plan per slot, who has no meeting yet, no-shows, a CSV and the
figures after the event with a small chart, which the event's own edit view shows as well
(through the events app's editor sections hook).

Saving the settings lays out the slots again (``services.generate_slots``); meetings change
only through the services.
"""

import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin.ui.tables import BooleanColumn, Column, TitleColumn
from wagtail.admin.views.generic import CreateView, EditView
from wagtail.admin.viewsets.model import ModelViewSet

from domain.exceptions import Conflict
from events.editor_sections import EVENT_EDITOR_SECTION_HOOK, EditorSection
from matchmaking import selectors, services
from matchmaking.models import Matchmaking, Meeting


class SlotsAfterSave:
    def save_instance(self):
        instance = super().save_instance()
        services.generate_slots(matchmaking=instance)
        return instance


class MatchmakingCreateView(SlotsAfterSave, CreateView):
    pass


class MatchmakingEditView(SlotsAfterSave, EditView):
    pass


class MatchmakingViewSet(ModelViewSet):
    model = Matchmaking
    url_prefix = "matchmaking"
    icon = "group"
    menu_label = gettext_lazy("Matchmaking")
    menu_order = 260
    add_to_admin_menu = True
    add_view_class = MatchmakingCreateView
    edit_view_class = MatchmakingEditView

    @property
    def list_display(self):
        return [
            TitleColumn("event", label=_("Event"), url_name=self.get_url_name("edit")),
            BooleanColumn("enabled", label=_("Matchmaking on")),
            Column("slot_minutes", label=_("Meeting length (minutes)")),
            TitleColumn(
                "overview",
                label=_("Brokerage"),
                accessor=lambda obj: _("Overview"),
                url_name="matchmaking_admin:overview",
            ),
        ]


@hooks.register("register_admin_viewset")
def register_viewset():
    return MatchmakingViewSet("matchmaking_settings")


def _may_view(user):
    if not user.has_perm("matchmaking.view_matchmaking"):
        raise PermissionDenied


def chart(per_slot) -> dict:
    """The bars of the small chart of meetings per slot (SVG coordinates)."""
    most = max([count for _slot, count in per_slot] + [1])
    bars = [
        {"slot": slot, "count": count, "height": h, "y": 90 - h, "x": 10 + i * 14}
        for i, (slot, count) in enumerate(per_slot)
        for h in [round(80 * count / most)]
    ]
    return {"bars": bars, "width": 20 + 14 * len(bars)}


def overview(request, pk: int):
    _may_view(request.user)
    matchmaking = get_object_or_404(Matchmaking.objects.select_related("event"), pk=pk)
    data = selectors.overview(matchmaking=matchmaking)
    return TemplateResponse(
        request,
        "matchmaking/admin/overview.html",
        {
            "matchmaking": matchmaking,
            "event": matchmaking.event,
            "overview": data,
            "chart": chart(data.figures.per_slot),
            "may_mark": request.user.has_perm("matchmaking.change_meeting"),
        },
    )


@hooks.register(EVENT_EDITOR_SECTION_HOOK)
def brokerage_figures(request, event) -> EditorSection | None:
    """The brokerage's figures and chart on the event's own edit view, for those who may
    see the overview; nothing for an event without matchmaking."""
    if not request.user.has_perm("matchmaking.view_matchmaking"):
        return None
    matchmaking = Matchmaking.objects.filter(event=event.canonical).first()
    if matchmaking is None:
        return None
    numbers = selectors.figures(matchmaking=matchmaking)
    html = render_to_string(
        "matchmaking/admin/event_section.html",
        {"matchmaking": matchmaking, "figures": numbers, "chart": chart(numbers.per_slot)},
        request=request,
    )
    return EditorSection(heading=_("Brokerage"), html=html)


def overview_csv(request, pk: int):
    _may_view(request.user)
    matchmaking = get_object_or_404(Matchmaking.objects.select_related("event"), pk=pk)
    tz = matchmaking.event.tzinfo
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="meetings-{matchmaking.event_id}.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            _("start"),
            _("end"),
            _("table"),
            _("requester"),
            _("requester e-mail"),
            _("recipient"),
            _("recipient e-mail"),
            _("status"),
            _("no-show"),
        ]
    )
    meetings = (
        matchmaking.meetings.filter(status="accepted")
        .select_related("slot", "table", "requester__user", "recipient__user")
        .order_by("slot__start", "table__sort_order")
    )
    for meeting in meetings:
        writer.writerow(
            [
                meeting.slot.start.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
                meeting.slot.end.astimezone(tz).strftime("%H:%M"),
                meeting.table.name,
                meeting.requester.name,
                meeting.requester.user.email,
                meeting.recipient.name,
                meeting.recipient.user.email,
                meeting.get_status_display(),
                _("yes") if meeting.no_show else "",
            ]
        )
    return response


@require_POST
def mark_no_show(request, pk: int):
    if not request.user.has_perm("matchmaking.change_meeting"):
        raise PermissionDenied
    meeting = get_object_or_404(Meeting, pk=pk)
    try:
        services.mark_no_show(meeting=meeting, no_show=request.POST.get("no_show") == "1")
    except Conflict as conflict:
        messages.error(request, conflict.message)
    return redirect(reverse("matchmaking_admin:overview", args=[meeting.matchmaking_id]))


@hooks.register("register_admin_urls")
def register_admin_urls():
    from django.urls import include

    patterns = [
        path("<int:pk>/overview/", overview, name="overview"),
        path("<int:pk>/meetings.csv", overview_csv, name="csv"),
        path("meetings/<int:pk>/no-show/", mark_no_show, name="no-show"),
    ]
    return [path("brokerage/", include((patterns, "matchmaking_admin")))]


@hooks.register("register_page_header_buttons")
def brokerage_button(page, user, view_name, next_url=None):
    """The event's admin page leads to its brokerage overview (figures and chart) or to
    setting matchmaking up."""
    from wagtail.admin.widgets import Button

    if page.specific_class is None or page.specific_class.__name__ != "EventPage":
        return
    if not user.has_perm("matchmaking.view_matchmaking"):
        return
    event = page.specific.canonical
    found = Matchmaking.objects.filter(event=event).values_list("pk", flat=True).first()
    if found is not None:
        yield Button(
            _("Brokerage overview"),
            reverse("matchmaking_admin:overview", args=[found]),
            icon_name="group",
            priority=80,
        )
    else:
        yield Button(
            _("Matchmaking"),
            reverse("matchmaking_settings:add"),
            icon_name="group",
            priority=80,
        )
