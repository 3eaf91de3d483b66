"""The awards under real concurrency on PostgreSQL: a category gets one laureate however
many editors press "announce" at once, and a juror's marks stay one per criterion."""

import pytest

from awards import services
from awards.models import Assignment, Laureate, Score
from domain.exceptions import Conflict
from tests.awards.factories import (
    make_candidate,
    make_cycle,
    make_editor,
    make_juror,
    make_news_index,
    move_to,
    submitted,
)
from tests.events.test_capacity_races import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_editors_announcing_at_once_give_the_category_one_laureate(wagtail_site_or_none):
    cycle = make_cycle()
    applications = [submitted(cycle, applicant=make_candidate(name=f"C{i}")) for i in range(4)]
    juror = make_juror(cycle, display_name="J")
    cycle = move_to(cycle, "deliberation")
    editor = make_editor()
    services.set_shortlist(cycle=cycle, application_ids=[a.pk for a in applications], by=editor)
    services.confirm_shortlist(juror=juror)
    outcomes = []

    def announce(application):
        try:
            services.announce_laureate(application=application, by=editor)
            outcomes.append("announced")
        except Conflict:
            outcomes.append("refused")

    errors = race([lambda a=a: announce(a) for a in applications])
    assert errors == []
    assert sorted(outcomes) == ["announced", "refused", "refused", "refused"]
    assert Laureate.objects.filter(cycle=cycle).count() == 1


def test_a_juror_saving_from_two_tabs_at_once_keeps_one_mark_per_criterion(wagtail_site_or_none):
    cycle = make_cycle()
    application = submitted(cycle, applicant=make_candidate(name="Anna"))
    juror = make_juror(cycle, display_name="J")
    Assignment.objects.create(juror=juror, application=application)
    move_to(cycle, "scoring")
    criteria = list(cycle.criteria.all())

    def save(value):
        services.score_application(
            juror=juror, application=application, marks={c.pk: (value, "") for c in criteria}
        )

    errors = race([lambda v=v: save(v) for v in range(10)])
    assert errors == []
    assert Score.objects.filter(juror=juror).count() == len(criteria)
    # Each save wrote all criteria at once: the marks come from one save, never a mix.
    assert len(set(Score.objects.filter(juror=juror).values_list("value", flat=True))) == 1


@pytest.fixture
def wagtail_site_or_none(transactional_db):
    """A news index under the site's home page when the flushed database has a tree."""
    from wagtail.models import Page

    if Page.get_first_root_node() is not None and Page.get_first_root_node().get_children():
        make_news_index()
