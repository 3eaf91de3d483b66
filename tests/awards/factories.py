"""Award cycles, candidates and juries for tests, made through the awards' services."""

import itertools
from datetime import date, timedelta

from django.contrib.auth.models import Group
from django.utils import timezone

from awards import services
from awards.models import (
    PHASE_ORDER,
    Application,
    AwardCategory,
    AwardCycle,
    AwardPhase,
    Criterion,
    Juror,
)
from members.models import Membership, Organisation, QualityLabel
from tests.factories import make_member, make_organisation, make_user

_n = itertools.count(1)
PHASE_LENGTH = timedelta(days=10)


def move_to(cycle: AwardCycle, phase: str) -> AwardCycle:
    """Date the cycle's phases so that ``phase`` runs now (each lasts ten days)."""
    now = timezone.now()
    index = PHASE_ORDER.index(phase)
    start = now - PHASE_LENGTH / 2 - index * PHASE_LENGTH
    for i, kind in enumerate(PHASE_ORDER):
        AwardPhase.objects.update_or_create(
            cycle=cycle,
            kind=kind,
            defaults={
                "starts": start + i * PHASE_LENGTH,
                "ends": start + (i + 1) * PHASE_LENGTH,
            },
        )
    return AwardCycle.objects.get(pk=cycle.pk)


def make_cycle(
    *,
    phase="applications",
    categories=("Cluster manager of the year",),
    criteria=(("Impact", 3), ("Innovation", 1)),
    **fields,
) -> AwardCycle:
    n = next(_n)
    fields.setdefault("title", f"European Cluster Manager of the Year {2026 + n}")
    fields.setdefault("slug", f"ecmy-{2026 + n}-{n}")
    fields.setdefault("year", 2026 + n)
    fields.setdefault("laureate_title", "European Cluster Manager of the Year")
    fields.setdefault("is_published", True)
    fields.setdefault("scores_per_application", 2)
    cycle = AwardCycle.objects.create(**fields)
    for i, name in enumerate(categories):
        AwardCategory.objects.create(cycle=cycle, name=name, sort_order=i)
    for i, (name, weight) in enumerate(criteria):
        Criterion.objects.create(cycle=cycle, name=name, weight=weight, sort_order=i)
    return move_to(cycle, phase)


def make_labelled_organisation(**fields) -> Organisation:
    organisation = make_organisation(**fields)
    QualityLabel.objects.create(
        organisation=organisation,
        level=QualityLabel.Level.GOLD,
        awarded_on=date.today() - timedelta(days=30),
        valid_until=date.today() + timedelta(days=300),
    )
    return organisation


def join(member, organisation) -> None:
    Membership.objects.create(
        member=member, organisation=organisation, status=Membership.Status.APPROVED
    )


def make_candidate(*, name=None, organisation=None, **fields):
    """A member who manages a labelled cluster organisation."""
    member = make_member(display_name=name, **fields)
    join(member, organisation or make_labelled_organisation(name=f"{name or 'Some'} Cluster"))
    return member


def draft(cycle, *, applicant, nominee=None, title="Growing the cluster", **fields):
    nominee = nominee or applicant
    return services.save_application(
        cycle=cycle,
        applicant=applicant,
        nominee=nominee,
        category=fields.pop("category", None) or cycle.categories.first(),
        organisation=fields.pop("organisation", None)
        or services.approved_organisations(nominee).first(),
        title=title,
        success_story=fields.pop("success_story", "From 20 to 200 members in five years."),
        figures=fields.pop("figures", "200 members, 40 projects"),
    )


def submitted(cycle, *, applicant, nominee=None, consent=True, **fields) -> Application:
    """A submitted application; a nomination with the nominee's consent (unless told)."""
    application = draft(cycle, applicant=applicant, nominee=nominee, **fields)
    services.submit_application(application=application, by=applicant)
    if application.nominee_id != applicant.pk and consent:
        services.answer_nomination(
            application=application, nominee=application.nominee, consent=True
        )
    return Application.objects.get(pk=application.pk)


def make_editor():
    editor = make_user(is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    return editor


def make_juror(cycle, member=None, **fields) -> Juror:
    member = member or make_member(**fields)
    return Juror.objects.create(cycle=cycle, member=member)


def make_news_index():
    """The news index the announcement publishes under (the site's home page's child)."""
    from wagtail.models import Page

    from pages.models import NewsIndexPage

    existing = NewsIndexPage.objects.first()
    if existing:
        return existing
    home = Page.get_first_root_node().get_children().first()
    index = NewsIndexPage(title="News", slug="news")
    home.add_child(instance=index)
    return index
