"""Weighted scores, normalisation per juror, ties, the shortlist and the announcement."""

import pytest
from django.core.exceptions import PermissionDenied

from awards import selectors, services
from awards.models import Assignment, Laureate
from domain.exceptions import Conflict
from pages.models import NewsPage
from tests.awards.factories import (
    make_candidate,
    make_cycle,
    make_editor,
    make_juror,
    make_news_index,
    move_to,
    submitted,
)
from tests.factories import make_member

pytestmark = pytest.mark.django_db


def scored_cycle(table, *, criteria=(("Impact", 1),), **fields):
    """A cycle in deliberation whose jurors gave the marks of ``table``:
    {juror name: {application title: (marks per criterion)}}."""
    cycle = make_cycle(criteria=criteria, **fields)
    titles = sorted({title for row in table.values() for title in row})
    applications = {
        title: submitted(cycle, applicant=make_candidate(name=f"Candidate {title}"), title=title)
        for title in titles
    }
    cycle = move_to(cycle, "scoring")
    criteria_rows = list(cycle.criteria.all())
    for name, row in table.items():
        juror = make_juror(cycle, display_name=name)
        for title, values in row.items():
            Assignment.objects.create(juror=juror, application=applications[title])
            services.score_application(
                juror=juror,
                application=applications[title],
                marks={c.pk: (v, "") for c, v in zip(criteria_rows, values, strict=True)},
            )
    return move_to(cycle, "deliberation"), applications


def ranking_of(cycle, **kwargs):
    (rows,) = selectors.results(cycle, **kwargs).values()
    return [
        (r.application.title, r.rank, r.tied, None if r.score is None else round(r.score, 4))
        for r in rows
    ]


def test_a_jurors_total_is_the_weighted_mean_of_the_criteria():
    cycle, _apps = scored_cycle(
        {"J": {"A": (10, 0), "B": (0, 10)}},
        criteria=(("Impact", 3), ("Innovation", 1)),
        normalise_scores=False,
    )
    # A: (10*3 + 0*1) / 4 = 7.5; B: (0*3 + 10*1) / 4 = 2.5
    assert ranking_of(cycle) == [("A", 1, False, 7.5), ("B", 2, False, 2.5)]


def test_normalisation_makes_a_strict_juror_weigh_as_much_as_a_lenient_one():
    # The strict juror prefers A (4 against 1); the lenient one prefers B (10 against 8).
    table = {"Strict": {"A": (4,), "B": (1,)}, "Lenient": {"A": (8,), "B": (10,)}}
    cycle, _apps = scored_cycle(table, normalise_scores=False)
    # Raw means let the lenient juror's wide marks decide: A 6.0, B 5.5.
    assert ranking_of(cycle) == [("A", 1, False, 6.0), ("B", 2, False, 5.5)]
    # As z-scores each juror's preference counts the same: +1/-1 against -1/+1, a tie.
    assert ranking_of(cycle, normalised=True) == [("A", 1, True, 0.0), ("B", 1, True, 0.0)]


def test_equal_scores_share_a_rank_and_are_shown_as_ties(client):
    table = {"J": {"A": (7,), "B": (7,), "C": (5,)}}
    cycle, _apps = scored_cycle(table, normalise_scores=False)
    assert ranking_of(cycle) == [("A", 1, True, 7.0), ("B", 1, True, 7.0), ("C", 3, False, 5.0)]
    client.force_login(make_editor())
    page = client.get(f"/awards/{cycle.slug}/results/").content.decode()
    assert page.count(">tie<") == 2


def test_marks_given_before_a_declared_conflict_do_not_count():
    table = {"J1": {"A": (9,), "B": (1,)}, "J2": {"A": (5,), "B": (5,)}}
    cycle, apps = scored_cycle(table, normalise_scores=False)
    from awards.models import ConflictOfInterest, Juror

    ConflictOfInterest.objects.create(
        juror=Juror.objects.get(member__display_name="J1"), application=apps["A"]
    )
    scores = {title: score for title, _r, _t, score in ranking_of(cycle)}
    assert scores["A"] == 5.0


def announce_ready(cycle, applications, editor):
    services.set_shortlist(cycle=cycle, application_ids=[a.pk for a in applications], by=editor)
    for juror in cycle.jurors.all():
        services.confirm_shortlist(juror=juror)


def test_the_announcement_publishes_news_and_titles_the_laureate(client):
    make_news_index()
    cycle, apps = scored_cycle({"J": {"A": (9,), "B": (4,)}})
    editor = make_editor()
    winner = apps["A"]
    with pytest.raises(Conflict):
        # Not on the shortlist yet.
        services.announce_laureate(application=winner, by=editor)
    announce_ready(cycle, [winner, apps["B"]], editor)
    client.force_login(editor)
    response = client.post(f"/awards/applications/{winner.pk}/announce/")
    assert response.status_code == 302
    laureate = Laureate.objects.get()
    title = f"European Cluster Manager of the Year {cycle.year}"
    assert laureate.title == title
    news = NewsPage.objects.get(pk=laureate.news_page_id)
    assert news.live and news.kind == "award" and title in news.title
    cycle.refresh_from_db()
    assert cycle.announced_at is not None
    # The title on the member's profile and the organisation's page.
    client.logout()
    profile = client.get(winner.nominee.get_absolute_url()).content.decode()
    assert title in profile
    organisation = client.get(winner.organisation.get_absolute_url()).content.decode()
    assert title in organisation
    # The applicant sees the result on their application.
    client.force_login(winner.applicant.user)
    assert "Congratulations" in client.get(winner.get_absolute_url()).content.decode()
    client.force_login(apps["B"].applicant.user)
    assert "not among them" in client.get(apps["B"].get_absolute_url()).content.decode()
    # One laureate per category.
    with pytest.raises(Conflict):
        services.announce_laureate(application=apps["B"], by=editor)


def test_the_jury_confirms_the_shortlist_before_the_announcement():
    cycle, apps = scored_cycle({"J1": {"A": (9,)}, "J2": {"A": (8,)}})
    editor = make_editor()
    services.set_shortlist(cycle=cycle, application_ids=[apps["A"].pk], by=editor)
    first, second = cycle.jurors.all()
    services.confirm_shortlist(juror=first)
    with pytest.raises(Conflict):
        services.announce_laureate(application=apps["A"], by=editor)
    services.confirm_shortlist(juror=second)
    services.announce_laureate(application=apps["A"], by=editor)
    assert Laureate.objects.count() == 1


def test_only_editors_announce_and_not_before_deliberation(client):
    cycle = make_cycle()
    application = submitted(cycle, applicant=make_candidate(name="Anna"))
    with pytest.raises(PermissionDenied):
        services.announce_laureate(application=application, by=make_member().user)
    with pytest.raises(Conflict):
        services.set_shortlist(cycle=cycle, application_ids=[application.pk], by=make_editor())
    client.force_login(application.applicant.user)
    assert client.post(f"/awards/applications/{application.pk}/announce/").status_code == 403
    assert not Laureate.objects.exists()
