"""HTML pages of the awards: open cycles and laureates for everyone; applying, consenting
and withdrawing for members; scoring for jurors; results and the announcement for editors
(and, from deliberation on, for the jury).

An application a viewer may not see is a 404, never a 403: a conflicted juror learns
nothing, not even that it exists.
"""

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from awards import selectors, services
from awards.forms import ApplicationForm, AssignForm, ConflictForm, ScoreForm
from awards.models import Application, AwardCycle, Laureate, Phase, Score
from domain.exceptions import Conflict


def _error_messages(error: ValidationError) -> list[str]:
    return list(error.messages)


def _apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _cycle(request, slug: str) -> AwardCycle:
    cycle = get_object_or_404(AwardCycle.objects.prefetch_related("phases"), slug=slug)
    if not cycle.is_published and not selectors.is_award_editor(request.user):
        raise Http404
    return cycle


# --- public pages --------------------------------------------------------------------------


def award_index(request):
    cycles = AwardCycle.objects.published().prefetch_related("phases", "categories")
    return render(
        request,
        "awards/index.html",
        {"cycles": cycles, "laureates": Laureate.objects.for_listing()},
    )


def laureate_archive(request):
    laureates = Laureate.objects.for_listing()
    return render(request, "awards/laureates.html", {"laureates": laureates})


def cycle_detail(request, slug: str):
    cycle = _cycle(request, slug)
    return render(
        request,
        "awards/cycle.html",
        {
            "cycle": cycle,
            "phase": cycle.current_phase(),
            "juror": selectors.juror_of(cycle=cycle, user=request.user),
            "is_editor": selectors.is_award_editor(request.user),
            "laureates": cycle.laureates.for_listing(),
        },
    )


# --- applicants ----------------------------------------------------------------------------


@login_required
def apply(request, slug: str):
    cycle = _cycle(request, slug)
    if cycle.current_phase() != Phase.APPLICATIONS:
        messages.error(request, _("Applications are closed for this cycle."))
        return redirect(cycle.get_absolute_url())
    return _application_form(request, cycle=cycle, application=None)


def _application_form(request, *, cycle, application):
    profile = request.user.profile
    initial = {}
    if application is not None:
        initial = {
            "category": application.category_id,
            "nominee": application.nominee_id if application.is_nomination else None,
            "organisation": application.organisation_id,
            "title": application.title,
            "success_story": application.success_story,
            "figures": application.figures,
        }
    form = ApplicationForm(
        request.POST or None,
        request.FILES or None,
        cycle=cycle,
        viewer=request.user,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            application = services.save_application(
                cycle=cycle,
                applicant=profile,
                nominee=data["nominee"],
                category=data["category"],
                organisation=data["organisation"],
                title=data["title"],
                success_story=data["success_story"],
                figures=data["figures"],
                application=application,
            )
            if data["documents"]:
                services.add_application_documents(
                    application=application, applicant=profile, uploads=data["documents"]
                )
            if "submit" in request.POST:
                services.submit_application(application=application, by=profile)
                messages.success(
                    request, _("Your application was submitted; a confirmation is on its way.")
                )
            else:
                messages.success(request, _("Your draft was saved."))
            return redirect(application.get_absolute_url())
        except ValidationError as error:
            _apply_errors(form, error)
        except Conflict as error:
            form.add_error(None, str(error))
    return render(
        request,
        "awards/apply.html",
        {
            "cycle": cycle,
            "form": form,
            "application": application,
            "my_organisations": services.approved_organisations(profile),
            "documents": _document_rows(application, blind=False) if application else [],
        },
    )


@login_required
def my_applications(request):
    profile = request.user.profile
    filed = Application.objects.filter(applicant=profile).select_related("cycle", "nominee")
    nominations = (
        Application.objects.filter(nominee=profile)
        .exclude(applicant=profile)
        .exclude(status=Application.Status.DRAFT)
        .select_related("cycle", "applicant")
    )
    return render(
        request,
        "awards/my_applications.html",
        {"filed": filed, "nominations": nominations},
    )


def _own_application(request, pk: int) -> Application:
    """The application if the viewer filed it, is its nominee (once submitted) or is an
    editor; otherwise 404."""
    application = get_object_or_404(
        Application.objects.select_related(
            "cycle", "category", "nominee", "organisation", "applicant"
        ),
        pk=pk,
    )
    profile = getattr(request.user, "profile", None)
    if selectors.is_award_editor(request.user):
        return application
    if profile is not None and (
        application.applicant_id == profile.pk
        or (application.nominee_id == profile.pk and application.status != Application.Status.DRAFT)
    ):
        return application
    raise Http404


@login_required
def application_detail(request, pk: int):
    application = _own_application(request, pk)
    profile = request.user.profile
    editable = (
        application.applicant_id == profile.pk
        and application.status == Application.Status.DRAFT
        and application.cycle.current_phase() == Phase.APPLICATIONS
    )
    if editable and request.method == "POST":
        return _application_form(request, cycle=application.cycle, application=application)
    laureate = Laureate.objects.filter(application=application).first()
    return render(
        request,
        "awards/application.html",
        {
            "application": application,
            "editable": editable,
            "form": (
                ApplicationForm(
                    cycle=application.cycle,
                    viewer=request.user,
                    initial={
                        "category": application.category_id,
                        "nominee": application.nominee_id if application.is_nomination else None,
                        "organisation": application.organisation_id,
                        "title": application.title,
                        "success_story": application.success_story,
                        "figures": application.figures,
                    },
                )
                if editable
                else None
            ),
            "problems": services.eligibility_problems(application) if editable else [],
            "result_known": application.cycle.announced_at is not None,
            "laureate": laureate,
            "documents": _document_rows(application, blind=False),
        },
    )


def _document_rows(application: Application, *, blind: bool) -> list[dict]:
    """The application's documents, numbered in upload order, each with its link. Blind:
    a number and the kind of file only, since an uploaded file's name often carries its
    author's."""
    rows = []
    for number, document in enumerate(application.documents.order_by("pk"), start=1):
        kind = document.file_extension.upper()
        rows.append(
            {
                "document": document,
                "number": number,
                "label": (
                    _("Document %(number)d (%(kind)s)") % {"number": number, "kind": kind}
                    if blind
                    else document.title
                ),
                "url": reverse(
                    "awards:document",
                    kwargs={"pk": application.pk, "document_id": document.pk},
                ),
            }
        )
    return rows


@login_required
def application_document(request, pk: int, document_id: int):
    """One document of an application, for whoever may read it, checked on every request
    (not the Wagtail collection's restriction, which only editors pass); a 404 for everyone
    else. A juror of a blind cycle gets a file named by number, not by its uploader."""
    application = get_object_or_404(
        Application.objects.select_related("cycle", "nominee", "applicant"), pk=pk
    )
    if not selectors.may_read_documents(application=application, user=request.user):
        raise Http404
    ids = list(application.documents.order_by("pk").values_list("pk", flat=True))
    if document_id not in ids:
        raise Http404
    document = application.documents.get(pk=document_id)
    profile = getattr(request.user, "profile", None)
    own = profile is not None and profile.pk in (application.applicant_id, application.nominee_id)
    if application.cycle.blind and not own and not selectors.is_award_editor(request.user):
        number = ids.index(document_id) + 1
        filename = f"application-{application.pk}-document-{number}.{document.file_extension}"
    else:
        filename = document.filename
    try:
        handle = document.file.open("rb")
    except OSError as error:
        raise Http404 from error
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=filename,
        content_type=mimetypes.guess_type(filename)[0] or "application/octet-stream",
    )
    # Every reading is checked again: no cache keeps a copy for the next person.
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def application_document_remove(request, pk: int, document_id: int):
    application = _own_application(request, pk)
    try:
        services.remove_application_document(
            application=application, applicant=request.user.profile, document_id=document_id
        )
        messages.success(request, _("The document was removed."))
    except ObjectDoesNotExist as error:
        raise Http404 from error
    except (PermissionDenied, Conflict) as error:
        messages.error(request, str(error))
    return redirect(application.get_absolute_url())


@login_required
@require_POST
def application_withdraw(request, pk: int):
    application = _own_application(request, pk)
    try:
        services.withdraw_application(application=application, by=request.user.profile)
        messages.success(request, _("The application was withdrawn."))
    except (PermissionDenied, Conflict) as error:
        messages.error(request, str(error))
    return redirect(application.get_absolute_url())


@login_required
def nomination_consent(request, pk: int):
    """The nominee reads the nomination and agrees or refuses; nobody else sees this page."""
    application = get_object_or_404(
        Application.objects.select_related("cycle", "applicant", "organisation"), pk=pk
    )
    if (
        application.nominee_id != request.user.profile.pk
        or not application.is_nomination
        or application.status == Application.Status.DRAFT
    ):
        raise Http404
    if request.method == "POST":
        try:
            services.answer_nomination(
                application=application,
                nominee=request.user.profile,
                consent=request.POST.get("answer") == "agree",
            )
            messages.success(request, _("Thank you: your answer was recorded."))
        except Conflict as error:
            messages.error(request, str(error))
        return redirect("awards:consent", pk=application.pk)
    return render(request, "awards/consent.html", {"application": application})


# --- jurors ---------------------------------------------------------------------------------


def _juror_or_404(request, cycle):
    juror = selectors.juror_of(cycle=cycle, user=request.user)
    if juror is None:
        raise Http404
    return juror


@login_required
def jury_dashboard(request, slug: str):
    cycle = _cycle(request, slug)
    juror = _juror_or_404(request, cycle)
    applications = list(selectors.applications_for_juror(juror))
    progress = selectors.juror_progress(juror)
    for application in applications:
        application.scored = application.pk in progress["complete"]
    return render(
        request,
        "awards/jury.html",
        {
            "cycle": cycle,
            "juror": juror,
            "applications": applications,
            "progress": progress,
            "phase": cycle.current_phase(),
            "shortlist": Application.objects.filter(cycle=cycle, shortlisted=True).select_related(
                "category"
            ),
        },
    )


def _juror_application(request, pk: int):
    """The application and the viewer as its juror, or 404 when it is not shown to them
    (not assigned, not consented, withdrawn, or conflicted)."""
    application = get_object_or_404(Application.objects.select_related("cycle"), pk=pk)
    juror = _juror_or_404(request, application.cycle)
    if not selectors.applications_for_juror(juror).filter(pk=application.pk).exists():
        raise Http404
    application = selectors.applications_for_juror(juror).get(pk=pk)
    return juror, application


@login_required
def jury_application(request, pk: int):
    juror, application = _juror_application(request, pk)
    cycle = application.cycle
    criteria = list(cycle.criteria.all())
    mine = {s.criterion_id: s for s in Score.objects.filter(juror=juror, application=application)}
    form = ScoreForm(request.POST or None, criteria=criteria, initial_scores=mine)
    if request.method == "POST" and form.is_valid():
        try:
            services.score_application(juror=juror, application=application, marks=form.marks())
        except ValidationError as error:
            _apply_errors(form, error)
        except Conflict as error:
            form.add_error(None, str(error))
        except Application.DoesNotExist as error:
            raise Http404 from error
        else:
            messages.success(request, _("Your scores were saved."))
            return redirect("awards:jury", slug=cycle.slug)
    others = []
    if selectors.may_see_all_scores(cycle=cycle, user=request.user):
        others = (
            Score.objects.filter(application=application)
            .exclude(juror=juror)
            .select_related("juror__member", "criterion")
            .order_by("juror_id", "criterion__sort_order")
        )
    return render(
        request,
        "awards/jury_application.html",
        {
            "cycle": cycle,
            "juror": juror,
            "application": application,
            "blind": cycle.blind,
            "form": form,
            "scoring_open": cycle.current_phase() == Phase.SCORING,
            "others": others,
            "conflict_form": ConflictForm(),
            "documents": _document_rows(application, blind=cycle.blind)
            if selectors.may_read_documents(application=application, user=request.user)
            else [],
        },
    )


@login_required
@require_POST
def jury_conflict(request, pk: int):
    juror, application = _juror_application(request, pk)
    form = ConflictForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    services.declare_conflict(juror=juror, application=application, reason=reason)
    messages.success(
        request,
        _("Your conflict of interest was recorded; the application is no longer shown to you."),
    )
    return redirect("awards:jury", slug=application.cycle.slug)


@login_required
@require_POST
def jury_confirm_shortlist(request, slug: str):
    cycle = _cycle(request, slug)
    juror = _juror_or_404(request, cycle)
    try:
        services.confirm_shortlist(juror=juror)
        messages.success(request, _("You confirmed the shortlist."))
    except Conflict as error:
        messages.error(request, str(error))
    return redirect("awards:jury", slug=cycle.slug)


# --- results and the announcement -----------------------------------------------------------


@login_required
def results(request, slug: str):
    """Editors always, jurors from deliberation on: coverage, ranking, shortlist."""
    cycle = _cycle(request, slug)
    if not selectors.may_see_all_scores(cycle=cycle, user=request.user):
        raise Http404
    is_editor = selectors.is_award_editor(request.user)
    return render(
        request,
        "awards/results.html",
        {
            "cycle": cycle,
            "is_editor": is_editor,
            "ranking": selectors.results(cycle),
            "coverage": selectors.coverage(cycle) if is_editor else [],
            "jurors": cycle.jurors.select_related("member"),
            "assign_form": AssignForm(),
            "phase": cycle.current_phase(),
        },
    )


def _editor_post(view):
    def wrapped(request, *args, **kwargs):
        if not selectors.is_award_editor(request.user):
            raise PermissionDenied(_("Only editors run award cycles."))
        return view(request, *args, **kwargs)

    return login_required(require_POST(wrapped))


@_editor_post
def assign(request, slug: str):
    cycle = _cycle(request, slug)
    form = AssignForm(request.POST)
    if form.is_valid():
        try:
            count = services.assign_applications(
                cycle=cycle,
                mode=form.cleaned_data["mode"],
                per_application=form.cleaned_data["per_application"],
                by=request.user,
            )
            messages.success(request, _("%d assignments were made.") % count)
        except ValidationError as error:
            messages.error(request, " ".join(_error_messages(error)))
    else:
        messages.error(request, _("Choose how to assign the applications."))
    return redirect("awards:results", slug=cycle.slug)


@_editor_post
def remind(request, slug: str):
    cycle = _cycle(request, slug)
    count = services.remind_jurors(cycle=cycle, by=request.user)
    messages.success(request, _("%d jurors were reminded.") % count)
    return redirect("awards:results", slug=cycle.slug)


@_editor_post
def shortlist(request, slug: str):
    cycle = _cycle(request, slug)
    ids = [int(v) for v in request.POST.getlist("application") if v.isdigit()]
    try:
        count = services.set_shortlist(cycle=cycle, application_ids=ids, by=request.user)
        messages.success(request, _("%d applications are on the shortlist.") % count)
    except Conflict as error:
        messages.error(request, str(error))
    return redirect("awards:results", slug=cycle.slug)


@_editor_post
def announce(request, pk: int):
    application = get_object_or_404(Application.objects.select_related("cycle"), pk=pk)
    try:
        laureate = services.announce_laureate(application=application, by=request.user)
        messages.success(request, _("%s was announced.") % laureate)
    except Conflict as error:
        messages.error(request, str(error))
    return redirect("awards:results", slug=application.cycle.slug)
