"""Actions of the awards: applying, consenting, forming and assigning the jury, declaring
conflicts, scoring, the shortlist and the announcement.

Every function is one transaction. The phases decide what may happen when: applications
are submitted only while the applications phase runs, marks only while jury scoring
runs, laureates are announced once deliberation has begun. Fairness rules (who may see and
score what) are read from ``awards.selectors``. E-mails are enqueued in the change's own
transaction (``awards.tasks``).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction

from awards import selectors, tasks
from awards.models import (
    Application,
    AwardCategory,
    AwardCycle,
    ConflictOfInterest,
    Criterion,
    Juror,
    Laureate,
    Phase,
    ReminderLog,
    Score,
)
from domain.exceptions import Conflict
from members.models import MemberProfile, Membership, Organisation
from pages.models import NewsIndexPage, NewsKind, NewsPage
from taskqueue.tasks import enqueue

PRIVATE_COLLECTION = "Award applications"
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
# Enough for a story's evidence, few enough that a juror reads them all.
MAX_DOCUMENTS = 10


def _require_editor(user) -> None:
    if not selectors.is_award_editor(user):
        raise PermissionDenied(_("Only editors run award cycles."))


def _lock_cycle(cycle: AwardCycle) -> AwardCycle:
    return AwardCycle.objects.select_for_update().get(pk=cycle.pk)


def _require_phase(cycle: AwardCycle, kind: str, message: str, *, now=None) -> None:
    if cycle.current_phase(now=now) != kind:
        raise Conflict(message)


# --- applications ---------------------------------------------------------------------------


def approved_organisations(member: MemberProfile):
    return Organisation.objects.filter(
        memberships__member=member, memberships__status=Membership.Status.APPROVED
    ).distinct()


def save_application(
    *,
    cycle: AwardCycle,
    applicant: MemberProfile,
    category: AwardCategory,
    organisation: Organisation,
    title: str,
    success_story: str,
    figures: str = "",
    nominee: MemberProfile | None = None,
    application: Application | None = None,
    now=None,
) -> Application:
    """Create or update a draft (``application``) while the applications phase runs.

    A nomination (``nominee`` another member) waits for the nominee's consent. The
    organisation is one the nominee belongs to. Locks the application row when updating.
    """
    nominee = nominee or applicant
    _require_phase(cycle, Phase.APPLICATIONS, _("Applications are closed for this cycle."), now=now)
    if category.cycle_id != cycle.pk:
        raise ValidationError({"category": _("Choose a category of this cycle.")})
    if not approved_organisations(nominee).filter(pk=organisation.pk).exists():
        raise ValidationError(
            {"organisation": _("Choose an organisation the nominee is an approved member of.")}
        )
    with transaction.atomic():
        if application is None:
            application = Application(cycle=cycle, applicant=applicant)
        else:
            application = Application.objects.select_for_update().get(pk=application.pk)
            if application.applicant_id != applicant.pk:
                raise PermissionDenied(_("Only the applicant edits an application."))
            if application.status != Application.Status.DRAFT:
                raise Conflict(_("Only a draft can be changed."))
        application.category = category
        application.organisation = organisation
        application.nominee = nominee
        application.title = title.strip()
        application.success_story = success_story.strip()
        application.figures = figures.strip()
        application.consent = (
            Application.Consent.PENDING
            if nominee.pk != applicant.pk
            else Application.Consent.NOT_NEEDED
        )
        application.full_clean(exclude=["documents"])
        application.save()
    return application


def private_collection() -> Collection:
    """The collection of the applications' documents, seen by editors only."""
    collection = Collection.get_first_root_node().get_children().filter(name=PRIVATE_COLLECTION)
    collection = collection.first()
    if collection is None:
        collection = Collection.get_first_root_node().add_child(name=PRIVATE_COLLECTION)
    if not CollectionViewRestriction.objects.filter(collection=collection).exists():
        restriction = CollectionViewRestriction.objects.create(
            collection=collection, restriction_type=CollectionViewRestriction.GROUPS
        )
        restriction.groups.add(Group.objects.get_or_create(name="Editors")[0])
    return collection


def _document_problems(upload) -> list[str]:
    problems = []
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    allowed = [e.lower() for e in settings.WAGTAILDOCS_EXTENSIONS]
    if extension not in allowed:
        problems.append(
            _("%(name)s: only these kinds of file are taken: %(kinds)s.")
            % {"name": upload.name, "kinds": ", ".join(allowed)}
        )
    if upload.size > MAX_DOCUMENT_BYTES:
        problems.append(_("%(name)s: a document is at most 10 MB.") % {"name": upload.name})
    return problems


def _lock_draft(application: Application, applicant: MemberProfile, *, now=None) -> Application:
    """The application row, locked, if ``applicant`` filed it and it is a draft of a cycle
    whose applications phase runs; the caller holds a transaction."""
    application = (
        Application.objects.select_for_update().select_related("cycle").get(pk=application.pk)
    )
    if application.applicant_id != applicant.pk:
        raise PermissionDenied(_("Only the applicant edits an application."))
    if application.status != Application.Status.DRAFT:
        raise Conflict(_("Only a draft can be changed."))
    _require_phase(
        application.cycle, Phase.APPLICATIONS, _("Applications are closed for this cycle."), now=now
    )
    return application


def add_application_documents(
    *, application: Application, applicant: MemberProfile, uploads, now=None
) -> list:
    """Attach uploaded files to a draft, in the private collection: all of them or, when
    one is refused (kind, size, more than ``MAX_DOCUMENTS`` in all), none. Locks the
    application row, so two tabs cannot together go past the limit."""
    uploads = list(uploads)
    problems = [problem for upload in uploads for problem in _document_problems(upload)]
    if problems:
        raise ValidationError({"documents": problems})
    with transaction.atomic():
        application = _lock_draft(application, applicant, now=now)
        if application.documents.count() + len(uploads) > MAX_DOCUMENTS:
            raise ValidationError(
                {
                    "documents": _("An application carries at most %(count)d documents.")
                    % {"count": MAX_DOCUMENTS}
                }
            )
        documents = []
        for upload in uploads:
            document = get_document_model().objects.create(
                title=f"{application.title} – {upload.name}"[:255],
                file=upload,
                collection=private_collection(),
                uploaded_by_user=applicant.user,
            )
            application.documents.add(document)
            documents.append(document)
    return documents


def remove_application_document(
    *, application: Application, applicant: MemberProfile, document_id: int, now=None
) -> None:
    """Take a document off a draft and delete it (its file goes once the deletion commits).
    A document of another application does not exist here (``Document.DoesNotExist``).
    Locks the application row."""
    with transaction.atomic():
        application = _lock_draft(application, applicant, now=now)
        document = application.documents.get(pk=document_id)
        application.documents.remove(document)
        document.delete()


def eligibility_problems(
    application: Application, *, today: datetime.date | None = None
) -> list[str]:
    """Why ``application`` may not be submitted under its cycle's rules (empty: eligible)."""
    cycle, organisation, nominee = application.cycle, application.organisation, application.nominee
    problems = []
    if not Membership.objects.filter(
        member=nominee, organisation=organisation, status=Membership.Status.APPROVED
    ).exists():
        problems.append(_("The nominee is not an approved member of %s.") % organisation)
    if (
        cycle.require_cluster_manager
        and organisation.kind != Organisation.Kind.CLUSTER_ORGANISATION
    ):
        problems.append(
            _("%s is not a cluster organisation: the award is for cluster managers.") % organisation
        )
    if cycle.require_label and organisation.current_label(today=today) is None:
        problems.append(_("%s holds no valid cluster-management quality label.") % organisation)
    codes = cycle.country_codes()
    if codes:
        country = (nominee.country.code if nominee.country else "") or organisation.country.code
        if country not in codes:
            problems.append(
                _("The nominee must come from a member country (%s).") % ", ".join(codes)
            )
    if not application.success_story.strip():
        problems.append(_("Tell the success story."))
    return problems


def submit_application(*, application: Application, by: MemberProfile, now=None) -> Application:
    """Submit a draft before the deadline, if eligible; the applicant gets a confirmation
    and a nominee a request for consent. Locks the application row."""
    with transaction.atomic():
        application = (
            Application.objects.select_for_update()
            .select_related("cycle", "organisation", "nominee")
            .get(pk=application.pk)
        )
        if application.applicant_id != by.pk:
            raise PermissionDenied(_("Only the applicant submits an application."))
        if application.status != Application.Status.DRAFT:
            raise Conflict(_("This application is not a draft."))
        _require_phase(
            application.cycle,
            Phase.APPLICATIONS,
            _("The deadline for applications has passed."),
            now=now,
        )
        problems = eligibility_problems(application)
        if problems:
            raise ValidationError(problems)
        application.status = Application.Status.SUBMITTED
        application.submitted_at = now or timezone.now()
        application.save(update_fields=["status", "submitted_at", "updated"])
        enqueue(tasks.send_application_email, application_id=application.pk, kind="submitted")
        if application.consent == Application.Consent.PENDING:
            enqueue(tasks.send_application_email, application_id=application.pk, kind="consent")
    return application


def withdraw_application(*, application: Application, by: MemberProfile) -> Application:
    """The applicant (or the nominee) withdraws, until the announcement. Locks the row."""
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if by.pk not in (application.applicant_id, application.nominee_id):
            raise PermissionDenied(_("Only the applicant or the nominee withdraws."))
        if application.status == Application.Status.WITHDRAWN:
            raise Conflict(_("This application is already withdrawn."))
        if application.cycle.announced_at:
            raise Conflict(_("The laureates have been announced."))
        application.status = Application.Status.WITHDRAWN
        application.withdrawn_at = timezone.now()
        application.shortlisted = False
        application.save(update_fields=["status", "withdrawn_at", "shortlisted", "updated"])
    return application


def answer_nomination(*, application: Application, nominee: MemberProfile, consent: bool):
    """The nominee agrees (the jury may then see the application) or refuses (it never
    will). Locks the application row."""
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.nominee_id != nominee.pk or not application.is_nomination:
            raise PermissionDenied(_("Only the nominee answers a nomination."))
        if application.consent != Application.Consent.PENDING:
            raise Conflict(_("This nomination has already been answered."))
        application.consent = Application.Consent.GIVEN if consent else Application.Consent.REFUSED
        application.consent_at = timezone.now()
        application.save(update_fields=["consent", "consent_at", "updated"])
    return application


# --- the jury -------------------------------------------------------------------------------


def add_juror(*, cycle: AwardCycle, member: MemberProfile, by) -> Juror:
    _require_editor(by)
    juror, _created = Juror.objects.get_or_create(cycle=cycle, member=member)
    return juror


def assign_applications(*, cycle: AwardCycle, mode: str, by, per_application: int | None = None):
    """Assign the applications before the jury to jurors: ``mode`` "all" (every juror every
    application) or "balanced" (``per_application`` jurors each, default the cycle's
    ``scores_per_application``, the least loaded first). A conflicted juror is never
    assigned. Existing assignments stay. Locks the cycle row. Returns the number created."""
    from awards.models import Assignment

    _require_editor(by)
    if mode not in {"all", "balanced"}:
        raise ValidationError({"mode": _("Choose all-to-all or balanced.")})
    with transaction.atomic():
        cycle = _lock_cycle(cycle)
        jurors = list(cycle.jurors.select_related("member"))
        if not jurors:
            raise ValidationError(_("Form the jury first."))
        conflicts = {j.pk: selectors.conflicted_application_ids(juror=j) for j in jurors}
        applications = list(Application.objects.before_the_jury().filter(cycle=cycle))
        existing = set(
            Assignment.objects.filter(juror__cycle=cycle).values_list("juror_id", "application_id")
        )
        load = {j.pk: sum(1 for jid, _a in existing if jid == j.pk) for j in jurors}
        want = per_application or cycle.scores_per_application
        created = []
        for application in applications:
            free = [j for j in jurors if application.pk not in conflicts[j.pk]]
            have = [j for j in free if (j.pk, application.pk) in existing]
            others = [j for j in free if (j.pk, application.pk) not in existing]
            if mode == "balanced":
                others.sort(key=lambda j: (load[j.pk], j.pk))
                others = others[: max(0, want - len(have))]
            for juror in others:
                created.append(Assignment(juror=juror, application=application))
                load[juror.pk] += 1
        Assignment.objects.bulk_create(created, ignore_conflicts=True)
    return len(created)


def declare_conflict(
    *, juror: Juror, application: Application, reason: str = ""
) -> ConflictOfInterest:
    """The juror declares a conflict: the application disappears from their pages and any
    marks they gave it stop counting. Locks the juror row."""
    with transaction.atomic():
        Juror.objects.select_for_update().get(pk=juror.pk)
        if application.cycle_id != juror.cycle_id:
            raise ValidationError(_("This application belongs to another cycle."))
        conflict, _created = ConflictOfInterest.objects.get_or_create(
            juror=juror, application=application, defaults={"reason": reason.strip()[:500]}
        )
        Score.objects.filter(juror=juror, application=application).delete()
    return conflict


def score_application(
    *, juror: Juror, application: Application, marks: dict[int, tuple[int, str]], now=None
) -> list[Score]:
    """Record ``juror``'s marks (criterion id → (0-10, comment)) for ``application``, only
    while jury scoring runs and only on an application shown to them (assigned, consented,
    not conflicted: otherwise it does not exist for them, ``Application.DoesNotExist``).
    Every criterion of the cycle is marked at once. Locks the juror row, so two tabs of the
    same juror are written one after the other."""
    with transaction.atomic():
        juror = Juror.objects.select_for_update().select_related("cycle", "member").get(pk=juror.pk)
        if not selectors.applications_for_juror(juror).filter(pk=application.pk).exists():
            raise Application.DoesNotExist
        _require_phase(juror.cycle, Phase.SCORING, _("Jury scoring is not open."), now=now)
        criteria = {c.pk: c for c in Criterion.objects.filter(cycle_id=juror.cycle_id)}
        errors = {}
        if set(marks) != set(criteria):
            errors["__all__"] = [_("Score every criterion.")]
        for criterion_id, (value, _comment) in marks.items():
            if not isinstance(value, int) or not 0 <= value <= 10:
                errors[f"criterion_{criterion_id}"] = [_("Give a whole number from 0 to 10.")]
        if errors:
            raise ValidationError(errors)
        saved = []
        for criterion_id, (value, comment) in marks.items():
            score, _created = Score.objects.update_or_create(
                juror=juror,
                application=application,
                criterion=criteria[criterion_id],
                defaults={"value": value, "comment": (comment or "").strip()[:4000]},
            )
            saved.append(score)
    return saved


def remind_jurors(*, cycle: AwardCycle, by) -> int:
    """E-mail every juror who has not finished scoring; returns how many were reminded."""
    _require_editor(by)
    with transaction.atomic():
        behind = selectors.jurors_behind(cycle)
        for juror in behind:
            enqueue(tasks.send_juror_reminder, juror_id=juror.pk)
        ReminderLog.objects.create(cycle=cycle, jurors=len(behind), sent_by=by)
    return len(behind)


# --- shortlist and announcement -------------------------------------------------------------


def set_shortlist(*, cycle: AwardCycle, application_ids, by, now=None) -> int:
    """Editors put the best applications on the shortlist once deliberation has begun; the
    jurors' earlier confirmations are cleared. Locks the cycle row."""
    _require_editor(by)
    with transaction.atomic():
        cycle = _lock_cycle(cycle)
        if not cycle.phase_has_begun(Phase.DELIBERATION, now=now):
            raise Conflict(_("The shortlist is drawn up in deliberation."))
        if cycle.announced_at:
            raise Conflict(_("The laureates have been announced."))
        chosen = Application.objects.before_the_jury().filter(cycle=cycle, pk__in=application_ids)
        Application.objects.filter(cycle=cycle).update(shortlisted=False)
        count = chosen.update(shortlisted=True)
        cycle.jurors.update(shortlist_confirmed_at=None)
    return count


def confirm_shortlist(*, juror: Juror, now=None) -> Juror:
    """A juror confirms the shortlist during deliberation. Locks the juror row."""
    with transaction.atomic():
        juror = Juror.objects.select_for_update().select_related("cycle").get(pk=juror.pk)
        _require_phase(
            juror.cycle, Phase.DELIBERATION, _("The jury confirms in deliberation."), now=now
        )
        if not Application.objects.filter(cycle=juror.cycle, shortlisted=True).exists():
            raise Conflict(_("There is no shortlist yet."))
        juror.shortlist_confirmed_at = now or timezone.now()
        juror.save(update_fields=["shortlist_confirmed_at"])
    return juror


def _news_index() -> NewsIndexPage | None:
    return NewsIndexPage.objects.live().order_by("path").first()


def announce_laureate(*, application: Application, by, now=None) -> Laureate:
    """Announce the laureate of ``application``'s category: a shortlisted application the
    whole jury confirmed, once deliberation has begun. Publishes a news page under the news
    index and gives the title to the member and the organisation. Locks the cycle row, so a
    category never gets two laureates."""
    _require_editor(by)
    with transaction.atomic():
        cycle = _lock_cycle(application.cycle)
        application = Application.objects.select_related("nominee", "organisation", "category").get(
            pk=application.pk
        )
        if not cycle.phase_has_begun(Phase.DELIBERATION, now=now):
            raise Conflict(_("Laureates are announced after the jury's deliberation."))
        if not application.shortlisted or application.status != Application.Status.SUBMITTED:
            raise Conflict(_("Only a shortlisted application can win."))
        if cycle.jurors.filter(shortlist_confirmed_at__isnull=True).exists():
            raise Conflict(_("Every juror must confirm the shortlist first."))
        if Laureate.objects.filter(cycle=cycle, category=application.category).exists():
            raise Conflict(_("This category already has its laureate."))
        title = cycle.laureate_title
        if len(list(cycle.categories.all())) > 1:
            title = f"{title} – {application.category.name}"
        title = f"{title} {cycle.year}"
        today = timezone.localdate(now or timezone.now(), cycle.tzinfo)
        news = None
        index = _news_index()
        if index is not None:
            name = application.nominee.name
            news = NewsPage(
                title=f"{name}: “{title}”",
                slug=slugify(f"{cycle.slug}-{application.category.name}-{name}")[:200],
                date=today,
                kind=NewsKind.AWARD,
                intro=_("%(name)s of %(organisation)s is %(title)s.")
                % {"name": name, "organisation": application.organisation.name, "title": title},
            )
            while index.get_children().filter(slug=news.slug).exists():
                news.slug = f"{news.slug[:190]}-{application.pk}"
            index.add_child(instance=news)
            news.save_revision(user=by).publish()
        laureate = Laureate.objects.create(
            cycle=cycle,
            category=application.category,
            application=application,
            title=title,
            year=cycle.year,
            name=application.nominee.name,
            member=application.nominee,
            organisation=application.organisation,
            organisation_name=application.organisation.name,
            news_page=news,
            announced_on=today,
        )
        if not cycle.categories.exclude(
            pk__in=Laureate.objects.filter(cycle=cycle).values("category_id")
        ).exists():
            cycle.announced_at = now or timezone.now()
            cycle.save(update_fields=["announced_at"])
    return laureate
