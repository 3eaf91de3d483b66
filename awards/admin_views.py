"""The jury's work in the Wagtail admin: coverage (applications with too few complete
scores), reminders to the jurors who are behind, the shortlist and the announcement.

The same services as the site's results page (``awards:results``) do the work; these views
only read the request and report. Editors of the awards only (``is_award_editor``): anyone
else with access to the admin is refused with a 403.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from awards import selectors, services
from awards.models import Application, AwardCycle, Phase
from domain.exceptions import Conflict


def _phase_label(cycle: AwardCycle) -> str | None:
    kind = cycle.current_phase()
    return Phase(kind).label if kind else None


def _editors_only(view):
    def wrapped(request, *args, **kwargs):
        if not selectors.is_award_editor(request.user):
            raise PermissionDenied(_("Only editors run award cycles."))
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@_editors_only
def cycles(request):
    """Every cycle with how many of its applications have too few scores."""
    rows = []
    for cycle in AwardCycle.objects.prefetch_related("phases"):
        coverage = selectors.coverage(cycle)
        rows.append(
            {
                "cycle": cycle,
                "phase": _phase_label(cycle),
                "applications": len(coverage),
                "short": sum(1 for row in coverage if row["short"]),
            }
        )
    return TemplateResponse(request, "awards/admin/cycles.html", {"rows": rows})


@_editors_only
def cycle_jury(request, pk: int):
    """One cycle: coverage, each juror's progress, the last reminders, the ranking with the
    shortlist and the announcement."""
    cycle = get_object_or_404(AwardCycle.objects.prefetch_related("phases"), pk=pk)
    jurors = []
    for juror in cycle.jurors.select_related("member"):
        progress = selectors.juror_progress(juror)
        jurors.append({"juror": juror, "done": progress["done"], "total": progress["total"]})
    return TemplateResponse(
        request,
        "awards/admin/cycle_jury.html",
        {
            "cycle": cycle,
            "coverage": selectors.coverage(cycle),
            "jurors": jurors,
            "reminders": cycle.reminders.select_related("sent_by")[:5],
            "ranking": selectors.results(cycle),
            "laureates": cycle.laureates.all(),
        },
    )


@require_POST
@_editors_only
def remind(request, pk: int):
    cycle = get_object_or_404(AwardCycle, pk=pk)
    count = services.remind_jurors(cycle=cycle, by=request.user)
    messages.success(request, _("%d jurors were reminded.") % count)
    return redirect("awards_admin:cycle", pk=cycle.pk)


@require_POST
@_editors_only
def shortlist(request, pk: int):
    cycle = get_object_or_404(AwardCycle, pk=pk)
    ids = [int(v) for v in request.POST.getlist("application") if v.isdigit()]
    try:
        count = services.set_shortlist(cycle=cycle, application_ids=ids, by=request.user)
        messages.success(request, _("%d applications are on the shortlist.") % count)
    except Conflict as error:
        messages.error(request, str(error))
    return redirect("awards_admin:cycle", pk=cycle.pk)


@require_POST
@_editors_only
def announce(request, pk: int):
    application = get_object_or_404(Application.objects.select_related("cycle"), pk=pk)
    try:
        laureate = services.announce_laureate(application=application, by=request.user)
        messages.success(request, _("%s was announced.") % laureate)
    except Conflict as error:
        messages.error(request, str(error))
    return redirect("awards_admin:cycle", pk=application.cycle_id)
