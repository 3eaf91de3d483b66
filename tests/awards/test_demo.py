"""The awards' demo content: an open cycle with three applications, a jury of three with
one declared conflict, and the 2012 laureate in the archive; a second load changes nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from awards import selectors
from awards.models import Application, AwardCycle, ConflictOfInterest, Juror, Laureate, Score

pytestmark = pytest.mark.django_db


def counts():
    return [
        m.objects.count()
        for m in (AwardCycle, Application, Juror, ConflictOfInterest, Laureate, Score)
    ]


def test_the_demo_runs_an_open_cycle_and_keeps_the_2012_laureate(client):
    call_command("seed_demo", stdout=StringIO())
    first = counts()
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert counts() == first
    assert "awards: 1 cycles, 3 applications, 1 laureates" in out.getvalue()
    cycle = AwardCycle.objects.get()
    assert cycle.current_phase() == "applications"
    assert cycle.jurors.count() == 3
    assert Application.objects.before_the_jury().count() == 3
    conflict = ConflictOfInterest.objects.get()
    assert conflict.juror.member.user.username == "demo-katrin"
    laureate = Laureate.objects.get(year=2012)
    assert laureate.news_page is not None and "Micael Gustafsson" in laureate.news_page.title
    index = client.get("/awards/").content.decode()
    assert "European Cluster Manager of the Year 2027" in index
    assert "Micael Gustafsson" in index
    # Lars follows Anna: the site finds that conflict without his saying so.
    lars = Juror.objects.get(member__user__username="demo-lars")
    anna_application = Application.objects.get(title="Five clusters, one front door")
    assert anna_application.pk in selectors.conflicted_application_ids(juror=lars)
    # Anna's application carries a document, once however often the demo is loaded.
    (document,) = anna_application.documents.all()
    assert document.collection.name == "Award applications"
    with document.file.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"
    api = client.get("/api/awards/laureates/").json()
    assert [item["name"] for item in api["results"]] == ["Micael Gustafsson"]
