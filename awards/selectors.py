"""Reads of the awards: who is conflicted with what, what a juror may see, the results.

The fairness rules live here, once: every HTML view, the admin and the services ask these
functions, so a conflicted juror is refused the same application everywhere.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from awards.models import (
    Application,
    AwardCycle,
    ConflictOfInterest,
    Criterion,
    Juror,
    Phase,
    Score,
)
from members.models import Follow, Membership, Organisation

# Ranks are compared on totals rounded to this many decimals: two totals that differ only
# by floating-point noise are a tie.
TIE_DECIMALS = 6


# --- conflicts -------------------------------------------------------------------------------


def _approved_organisation_ids(member_id: int) -> set[int]:
    return set(
        Membership.objects.filter(
            member_id=member_id, status=Membership.Status.APPROVED
        ).values_list("organisation_id", flat=True)
    )


def detected_conflicts(*, juror: Juror, application: Application) -> list[str]:
    """The obvious conflicts of ``juror`` with ``application``, each as a sentence: the
    juror is the nominee or the applicant; works for the same organisation as the nominee or
    for the application's organisation; co-administers that organisation; follows the
    nominee or is followed by them. Empty when there is none."""
    reasons = []
    me = juror.member_id
    people = {application.nominee_id, application.applicant_id}
    if me in people:
        reasons.append(_("The juror is the nominee or the applicant."))
    mine = _approved_organisation_ids(me)
    theirs = _approved_organisation_ids(application.nominee_id) | {application.organisation_id}
    if mine & theirs:
        reasons.append(_("The juror works for the same organisation."))
    if Organisation.co_admins.through.objects.filter(
        user_id=juror.member.user_id, organisation_id__in=theirs
    ).exists():
        reasons.append(_("The juror co-administers the nominee's organisation."))
    if Follow.objects.filter(
        Q(follower_id=me, member_id__in=people) | Q(follower_id__in=people, member_id=me)
    ).exists():
        reasons.append(_("The juror and the nominee follow each other or one follows the other."))
    return reasons


def conflicted_application_ids(*, juror: Juror) -> set[int]:
    """Ids of the cycle's applications ``juror`` must never see: declared or detected."""
    declared = set(
        ConflictOfInterest.objects.filter(juror=juror).values_list("application_id", flat=True)
    )
    member = juror.member
    me = member.pk
    my_orgs = _approved_organisation_ids(me)
    coadmin_orgs = set(
        Organisation.co_admins.through.objects.filter(user_id=member.user_id).values_list(
            "organisation_id", flat=True
        )
    )
    following = set(Follow.objects.filter(follower_id=me).values_list("member_id", flat=True))
    followers = set(Follow.objects.filter(member_id=me).values_list("follower_id", flat=True))
    related_people = following | followers | {me}
    close_orgs = my_orgs | coadmin_orgs
    applications = Application.objects.filter(cycle_id=juror.cycle_id)
    detected = set(
        applications.filter(
            Q(nominee_id__in=related_people)
            | Q(applicant_id__in=related_people)
            | Q(organisation_id__in=close_orgs)
            | Q(
                nominee__memberships__organisation_id__in=close_orgs,
                nominee__memberships__status=Membership.Status.APPROVED,
            )
        ).values_list("pk", flat=True)
    )
    return declared | detected


def applications_for_juror(juror: Juror):
    """The applications ``juror`` may see and score: assigned to them, before the jury
    (submitted, consented), and not conflicted in any way."""
    return (
        Application.objects.before_the_jury()
        .filter(assignments__juror=juror)
        .exclude(pk__in=conflicted_application_ids(juror=juror))
        .select_related("category", "nominee", "organisation", "cycle")
        .order_by("category__sort_order", "pk")
    )


def juror_of(*, cycle: AwardCycle, user) -> Juror | None:
    if user is None or not user.is_authenticated:
        return None
    return Juror.objects.filter(cycle=cycle, member__user=user).select_related("member").first()


def is_award_editor(user) -> bool:
    """Editors run the cycles: staff with the right to change cycles in the admin."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_staff
        and user.has_perm("awards.change_awardcycle")
    )


def may_see_all_scores(*, cycle: AwardCycle, user, now=None) -> bool:
    """Editors always; jurors once deliberation has begun (never before); nobody else."""
    if is_award_editor(user):
        return True
    return juror_of(cycle=cycle, user=user) is not None and cycle.phase_has_begun(
        Phase.DELIBERATION, now=now
    )


def may_read_documents(*, application: Application, user, now=None) -> bool:
    """Who may open the documents of ``application``, asked on every download: editors;
    its applicant; its nominee once it is submitted; a juror it is shown to (assigned,
    consented, not conflicted) once jury scoring has begun. Nobody else, whatever the
    Wagtail collection's own restriction says."""
    if user is None or not user.is_authenticated:
        return False
    if is_award_editor(user):
        return True
    profile = getattr(user, "profile", None)
    if profile is None:
        return False
    if application.applicant_id == profile.pk:
        return True
    if application.nominee_id == profile.pk and application.status != Application.Status.DRAFT:
        return True
    juror = juror_of(cycle=application.cycle, user=user)
    return (
        juror is not None
        and application.cycle.phase_has_begun(Phase.SCORING, now=now)
        and applications_for_juror(juror).filter(pk=application.pk).exists()
    )


# --- progress and coverage ------------------------------------------------------------------


def juror_progress(juror: Juror) -> dict:
    """How many of the applications shown to ``juror`` they have scored on every criterion."""
    visible = list(applications_for_juror(juror).values_list("pk", flat=True))
    criteria = Criterion.objects.filter(cycle_id=juror.cycle_id).count()
    scored = _complete_application_ids(juror, visible, criteria)
    return {"total": len(visible), "done": len(scored), "complete": scored}


def _complete_application_ids(juror: Juror, application_ids, criteria: int) -> set[int]:
    counts = defaultdict(int)
    for app_id in Score.objects.filter(juror=juror, application_id__in=application_ids).values_list(
        "application_id", flat=True
    ):
        counts[app_id] += 1
    return {app_id for app_id, n in counts.items() if criteria and n >= criteria}


def coverage(cycle: AwardCycle) -> list[dict]:
    """Each application before the jury with the number of jurors who scored it completely,
    and whether that is fewer than the cycle asks for."""
    criteria = cycle.criteria.count()
    complete = defaultdict(int)
    per_pair = defaultdict(int)
    for juror_id, app_id in Score.objects.filter(application__cycle=cycle).values_list(
        "juror_id", "application_id"
    ):
        per_pair[(juror_id, app_id)] += 1
    for (_juror, app_id), n in per_pair.items():
        if criteria and n >= criteria:
            complete[app_id] += 1
    rows = []
    for application in (
        Application.objects.before_the_jury()
        .filter(cycle=cycle)
        .select_related("category", "nominee", "organisation")
    ):
        n = complete[application.pk]
        rows.append(
            {
                "application": application,
                "scores": n,
                "assigned": application.assignments.count(),
                "short": n < cycle.scores_per_application,
            }
        )
    return rows


def jurors_behind(cycle: AwardCycle) -> list[Juror]:
    """Jurors who have not yet scored every application shown to them."""
    behind = []
    for juror in cycle.jurors.select_related("member__user"):
        progress = juror_progress(juror)
        if progress["done"] < progress["total"]:
            behind.append(juror)
    return behind


# --- results --------------------------------------------------------------------------------


def weighted_total(values: dict[int, int], weights: dict[int, int]) -> float | None:
    """The weighted mean of one juror's marks for one application (criterion id → mark);
    None unless every criterion is marked."""
    if not weights or set(weights) - set(values):
        return None
    return sum(values[c] * w for c, w in weights.items()) / sum(weights.values())


def normalise(totals: dict[int, float]) -> dict[int, float]:
    """One juror's totals as z-scores (their mean 0, their spread 1): a strict juror's
    best application weighs as much as a lenient juror's. A juror who gave everything the
    same total, or scored one application only, says nothing about order: all 0."""
    if len(totals) < 2:
        return dict.fromkeys(totals, 0.0)
    mean = sum(totals.values()) / len(totals)
    spread = math.sqrt(sum((t - mean) ** 2 for t in totals.values()) / len(totals))
    if spread == 0:
        return dict.fromkeys(totals, 0.0)
    return {app: (t - mean) / spread for app, t in totals.items()}


@dataclass
class Result:
    application: Application
    score: float | None
    jurors: int
    rank: int | None = None
    tied: bool = False
    per_juror: dict = field(default_factory=dict)


def results(cycle: AwardCycle, *, normalised: bool | None = None) -> dict:
    """The ranking per category: {category: [Result, ...]} best first.

    Each juror's complete marks for an application give a weighted total; with
    ``normalised`` (by default the cycle's setting) each juror's totals become z-scores
    first. An application's score is the mean over its jurors. Ranks are shared by equal
    scores (1, 1, 3), and ``tied`` marks them. Conflicted marks never count: a juror cannot
    have scored a conflicted application, and marks made before a conflict was declared
    are left out here too.
    """
    if normalised is None:
        normalised = cycle.normalise_scores
    weights = {c.pk: c.weight for c in cycle.criteria.all()}
    marks = defaultdict(dict)
    for juror_id, app_id, criterion_id, value in Score.objects.filter(
        application__cycle=cycle
    ).values_list("juror_id", "application_id", "criterion_id", "value"):
        marks[(juror_id, app_id)][criterion_id] = value
    declared = set(
        ConflictOfInterest.objects.filter(application__cycle=cycle).values_list(
            "juror_id", "application_id"
        )
    )
    by_juror = defaultdict(dict)
    for (juror_id, app_id), values in marks.items():
        if (juror_id, app_id) in declared:
            continue
        total = weighted_total(values, weights)
        if total is not None:
            by_juror[juror_id][app_id] = total
    if normalised:
        by_juror = {juror_id: normalise(totals) for juror_id, totals in by_juror.items()}
    per_application = defaultdict(dict)
    for juror_id, totals in by_juror.items():
        for app_id, total in totals.items():
            per_application[app_id][juror_id] = total
    ranking = {}
    applications = (
        Application.objects.before_the_jury()
        .filter(cycle=cycle)
        .select_related("category", "nominee", "organisation")
    )
    for application in applications:
        given = per_application.get(application.pk, {})
        score = sum(given.values()) / len(given) if given else None
        ranking.setdefault(application.category, []).append(
            Result(application=application, score=score, jurors=len(given), per_juror=given)
        )
    for rows in ranking.values():
        rank_rows(rows)
    return ranking


def rank_rows(rows: list[Result]) -> list[Result]:
    """Sort best first and give shared ranks to equal scores; unscored rows come last."""
    rows.sort(key=lambda r: (r.score is None, -(r.score or 0), r.application.pk))
    scored = [r for r in rows if r.score is not None]
    keys = [round(r.score, TIE_DECIMALS) for r in scored]
    for i, row in enumerate(scored):
        row.rank = 1 + sum(1 for k in keys if k > keys[i])
        row.tied = keys.count(keys[i]) > 1
    return rows
