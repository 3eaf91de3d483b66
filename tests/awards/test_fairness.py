"""The jury's fairness rules: conflicted jurors never see an application, jurors never see
each other's scores before deliberation, blind review hides who applied, and marks are
taken only when and where they may be."""

import pytest
from django.core.exceptions import ValidationError

from awards import selectors, services
from awards.models import Application, Assignment, ConflictOfInterest, Score
from domain.exceptions import Conflict
from members.models import Follow
from tests.awards.factories import (
    join,
    make_candidate,
    make_cycle,
    make_editor,
    make_juror,
    move_to,
    submitted,
)

pytestmark = pytest.mark.django_db


def marks(cycle, impact=8, innovation=6):
    impact_c, innovation_c = cycle.criteria.all()
    return {impact_c.pk: (impact, "Strong impact"), innovation_c.pk: (innovation, "")}


def score_form(cycle, impact=8, innovation=6):
    data = {}
    for criterion, value in zip(cycle.criteria.all(), (impact, innovation), strict=True):
        data[f"score_{criterion.pk}"] = value
        data[f"comment_{criterion.pk}"] = f"comment on {criterion.name}"
    return data


@pytest.fixture
def jury_world():
    """A cycle in scoring with one application and jurors conflicted in each way."""
    cycle = make_cycle()
    anna = make_candidate(name="Anna Zebrafinch")
    organisation = anna.memberships.get().organisation
    application = submitted(cycle, applicant=anna)
    jurors = {
        "free": make_juror(cycle, display_name="Free Juror"),
        "colleague": make_juror(cycle, display_name="Colleague Juror"),
        "coadmin": make_juror(cycle, display_name="Coadmin Juror"),
        "follower": make_juror(cycle, display_name="Follower Juror"),
        "followed": make_juror(cycle, display_name="Followed Juror"),
    }
    join(jurors["colleague"].member, organisation)
    organisation.co_admins.add(jurors["coadmin"].member.user)
    Follow.objects.create(follower=jurors["follower"].member, member=anna)
    Follow.objects.create(follower=anna, member=jurors["followed"].member)
    cycle = move_to(cycle, "scoring")
    # Assign by hand, conflicted jurors included: the rule must hold whatever the assignment.
    for juror in jurors.values():
        Assignment.objects.create(juror=juror, application=application)
    return cycle, application, jurors


@pytest.mark.parametrize("who", ["colleague", "coadmin", "follower", "followed"])
def test_a_juror_with_an_obvious_conflict_never_sees_the_application(client, jury_world, who):
    cycle, application, jurors = jury_world
    juror = jurors[who]
    assert selectors.detected_conflicts(juror=juror, application=application)
    client.force_login(juror.member.user)
    dashboard = client.get(f"/awards/{cycle.slug}/jury/")
    assert dashboard.status_code == 200
    assert "Growing the cluster" not in dashboard.content.decode()
    assert "zebrafinch" not in dashboard.content.decode().lower()
    detail = client.get(f"/awards/jury/applications/{application.pk}/")
    assert detail.status_code == 404
    assert "zebrafinch" not in detail.content.decode().lower()
    post = client.post(f"/awards/jury/applications/{application.pk}/", score_form(cycle))
    assert post.status_code == 404
    with pytest.raises(Application.DoesNotExist):
        services.score_application(juror=juror, application=application, marks=marks(cycle))
    assert not Score.objects.filter(juror=juror).exists()


def test_the_unconflicted_juror_sees_and_scores(client, jury_world):
    cycle, application, jurors = jury_world
    juror = jurors["free"]
    assert selectors.detected_conflicts(juror=juror, application=application) == []
    client.force_login(juror.member.user)
    assert "Growing the cluster" in client.get(f"/awards/{cycle.slug}/jury/").content.decode()
    response = client.post(f"/awards/jury/applications/{application.pk}/", score_form(cycle, 9, 4))
    assert response.status_code == 302
    assert sorted(Score.objects.filter(juror=juror).values_list("value", flat=True)) == [4, 9]
    assert selectors.juror_progress(juror)["done"] == 1


def test_assignment_never_gives_a_conflicted_juror_the_application(jury_world):
    cycle, application, jurors = jury_world
    Assignment.objects.all().delete()
    services.assign_applications(cycle=cycle, mode="all", by=make_editor())
    assert list(Assignment.objects.values_list("juror_id", flat=True)) == [jurors["free"].pk]


def test_a_declared_conflict_hides_the_application_and_drops_its_marks(client, jury_world):
    cycle, application, jurors = jury_world
    juror = jurors["free"]
    services.score_application(juror=juror, application=application, marks=marks(cycle))
    client.force_login(juror.member.user)
    response = client.post(
        f"/awards/jury/applications/{application.pk}/conflict/", {"reason": "Former colleague"}
    )
    assert response.status_code == 302
    assert ConflictOfInterest.objects.get(juror=juror).reason == "Former colleague"
    assert not Score.objects.filter(juror=juror).exists()
    assert client.get(f"/awards/jury/applications/{application.pk}/").status_code == 404
    assert "Growing the cluster" not in client.get(f"/awards/{cycle.slug}/jury/").content.decode()


def test_a_juror_scores_only_assigned_applications_during_scoring(client, jury_world):
    cycle, application, jurors = jury_world
    outsider = make_juror(cycle, display_name="Unassigned Juror")
    client.force_login(outsider.member.user)
    assert client.get(f"/awards/jury/applications/{application.pk}/").status_code == 404
    # Not a juror at all: not even the dashboard.
    client.force_login(make_candidate(name="Someone").user)
    assert client.get(f"/awards/{cycle.slug}/jury/").status_code == 404
    juror = jurors["free"]
    move_to(cycle, "deliberation")
    with pytest.raises(Conflict):
        services.score_application(juror=juror, application=application, marks=marks(cycle))
    move_to(cycle, "applications")
    with pytest.raises(Conflict):
        services.score_application(juror=juror, application=application, marks=marks(cycle))


def test_marks_are_whole_numbers_from_0_to_10_for_every_criterion(client, jury_world):
    cycle, application, jurors = jury_world
    juror = jurors["free"]
    impact, innovation = cycle.criteria.all()
    with pytest.raises(ValidationError):
        services.score_application(
            juror=juror,
            application=application,
            marks={impact.pk: (11, ""), innovation.pk: (5, "")},
        )
    with pytest.raises(ValidationError):
        services.score_application(juror=juror, application=application, marks={impact.pk: (5, "")})
    client.force_login(juror.member.user)
    response = client.post(
        f"/awards/jury/applications/{application.pk}/", score_form(cycle, impact=-1, innovation="x")
    )
    assert response.status_code == 200
    assert not Score.objects.exists()


def test_jurors_see_each_others_scores_only_from_deliberation_on(client, jury_world):
    cycle, application, jurors = jury_world
    juror = jurors["free"]
    second = make_juror(cycle, display_name="Second Juror")
    Assignment.objects.create(juror=second, application=application)
    services.score_application(
        juror=second,
        application=application,
        marks={c.pk: (3, "quokka remark") for c in cycle.criteria.all()},
    )
    client.force_login(juror.member.user)
    page = client.get(f"/awards/jury/applications/{application.pk}/").content.decode()
    assert "quokka remark" not in page
    assert client.get(f"/awards/{cycle.slug}/results/").status_code == 404
    move_to(cycle, "deliberation")
    page = client.get(f"/awards/jury/applications/{application.pk}/").content.decode()
    assert "quokka remark" in page
    assert client.get(f"/awards/{cycle.slug}/results/").status_code == 200


def test_applicants_and_members_never_see_scores(client, jury_world):
    cycle, application, jurors = jury_world
    services.score_application(juror=jurors["free"], application=application, marks=marks(cycle))
    move_to(cycle, "deliberation")
    client.force_login(application.applicant.user)
    assert client.get(f"/awards/{cycle.slug}/results/").status_code == 404
    own = client.get(f"/awards/applications/{application.pk}/").content.decode()
    assert "Strong impact" not in own
    client.force_login(make_editor())
    assert client.get(f"/awards/{cycle.slug}/results/").status_code == 200


def test_blind_review_hides_the_name_and_organisation_from_jurors(client, jury_world):
    cycle, application, jurors = jury_world
    cycle.blind = True
    cycle.save()
    client.force_login(jurors["free"].member.user)
    organisation = application.organisation.name
    for url in (f"/awards/{cycle.slug}/jury/", f"/awards/jury/applications/{application.pk}/"):
        page = client.get(url).content.decode()
        assert "Growing the cluster" in page
        assert "Zebrafinch" not in page
        assert organisation not in page
    cycle.blind = False
    cycle.save()
    assert "Zebrafinch" in client.get(f"/awards/{cycle.slug}/jury/").content.decode()


def test_balanced_assignment_shares_the_work(client):
    cycle = make_cycle(scores_per_application=2)
    applications = [submitted(cycle, applicant=make_candidate(name=f"Cand {i}")) for i in range(6)]
    jurors = [make_juror(cycle, display_name=f"Juror {i}") for i in range(3)]
    created = services.assign_applications(cycle=cycle, mode="balanced", by=make_editor())
    assert created == 12
    loads = sorted(Assignment.objects.filter(juror=j).count() for j in jurors)
    assert loads == [4, 4, 4]
    for application in applications:
        assert Assignment.objects.filter(application=application).count() == 2
    # A second run adds nothing.
    assert services.assign_applications(cycle=cycle, mode="balanced", by=make_editor()) == 0


def test_only_editors_assign_and_see_coverage(client):
    cycle = make_cycle()
    submitted(cycle, applicant=make_candidate(name="Anna"))
    juror = make_juror(cycle, display_name="J")
    client.force_login(juror.member.user)
    assert client.post(f"/awards/{cycle.slug}/assign/", {"mode": "all"}).status_code == 403
    assert not Assignment.objects.exists()
    client.force_login(make_editor())
    assert client.post(f"/awards/{cycle.slug}/assign/", {"mode": "all"}).status_code == 302
    assert Assignment.objects.count() == 1
    page = client.get(f"/awards/{cycle.slug}/results/").content.decode()
    assert "too few" in page


def test_editors_remind_only_the_jurors_who_are_behind(client):
    from django.core import mail
    from django.test import TestCase

    cycle = make_cycle()
    application = submitted(cycle, applicant=make_candidate(name="Anna"))
    done = make_juror(cycle, display_name="Done Juror")
    behind = make_juror(cycle, display_name="Behind Juror")
    for juror in (done, behind):
        Assignment.objects.create(juror=juror, application=application)
    cycle = move_to(cycle, "scoring")
    services.score_application(juror=done, application=application, marks=marks(cycle))
    mail.outbox.clear()
    client.force_login(make_editor())
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(f"/awards/{cycle.slug}/remind/")
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[behind.member.user.email]]
    assert "0 of 1" in mail.outbox[0].body
    client.force_login(behind.member.user)
    assert client.post(f"/awards/{cycle.slug}/remind/").status_code == 403
