"""The calls page and the home page list calls by one rule; an accepted application to a
call for a register becomes the applicant's register entry."""

import datetime
import threading

import pytest
from django.db import connection
from django.utils import timezone

from domain.exceptions import Conflict
from members.models import RegisterEntry
from pages import services
from pages.models import CallApplication, CallIndexPage
from pages.selectors import calls_in_order
from tests.factories import make_member
from tests.pages.conftest import make_call, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def calls(home):
    today = timezone.localdate()
    index = publish(home, CallIndexPage(title="Calls", slug="calls"))
    return {
        "index": index,
        "late": make_call(index, slug="late", deadline_date=today + datetime.timedelta(days=40)),
        "soon": make_call(index, slug="soon", deadline_date=today + datetime.timedelta(days=3)),
        "old": make_call(index, slug="old", deadline_date=datetime.date(2012, 8, 24)),
        "recent": make_call(index, slug="recent", deadline_date=today - datetime.timedelta(days=2)),
    }


def test_open_calls_come_first_soonest_deadline_first_then_closed_ones(calls):
    order = [call.slug for call in calls_in_order(locale_id=calls["index"].locale_id)]
    assert order == ["soon", "late", "recent", "old"]


def test_the_calls_page_shows_open_calls_with_a_countdown_then_closed_ones(client, calls):
    html = client.get(calls["index"].url).content.decode()
    positions = [html.index(f"Register {slug}") for slug in ("soon", "late", "recent", "old")]
    assert positions == sorted(positions)
    open_part, closed_part = html.split('id="calls-closed"')
    assert "Closes in 2\xa0days" in open_part or "Closes in 3\xa0days" in open_part
    assert "Closes in" not in closed_part
    # The deadline is said on the call's own clock (Brussels, 17:00).
    assert "17:00 CE" in open_part


def test_the_home_page_lists_the_same_open_calls_in_the_same_order(client, calls, home):
    html = client.get(home.url).content.decode()
    assert html.index("Register soon") < html.index("Register late")
    assert "Register recent" not in html and "Register old" not in html


def test_the_countdown_is_counted_to_the_deadline_in_the_calls_time_zone(home):
    import zoneinfo

    bucharest = zoneinfo.ZoneInfo("Europe/Bucharest")
    closing = (timezone.now() + datetime.timedelta(hours=30)).astimezone(bucharest)
    call = make_call(
        home,
        slug="tz",
        deadline_date=closing.date(),
        deadline_time=closing.time().replace(second=0, microsecond=0),
    )
    call.deadline_timezone = "Europe/Bucharest"
    call.save()
    # The wall-clock time is Bucharest's: the stored instant is that moment.
    assert abs((call.deadline - closing).total_seconds()) < 60
    assert 29 * 3600 < call.seconds_left <= 30 * 3600
    assert call.time_left.startswith("1\xa0day, 5\xa0hours")
    assert "EE" in call.deadline_display  # EET or EEST, the call's own zone


def test_the_api_lists_the_calls_of_the_index_in_the_same_order(client, calls):
    body = client.get(f"/api/v2/pages/{calls['index'].pk}/").json()
    assert [call["title"] for call in body["calls"]] == [
        "Register soon",
        "Register late",
        "Register recent",
        "Register old",
    ]
    soon = body["calls"][0]
    assert soon["is_open"] is True and soon["seconds_left"] > 0 and soon["time_left"]
    assert body["calls"][3]["is_open"] is False and body["calls"][3]["seconds_left"] == 0
    detail = client.get(f"/api/v2/pages/{calls['soon'].pk}/").json()
    assert detail["time_left"] == soon["time_left"]


# --- Applications to a call for a register ------------------------------------------------------


@pytest.fixture
def tutors_call(home):
    call = make_call(home, slug="tutors-2026", deadline_date=datetime.date(2100, 1, 1))
    call.target_register = RegisterEntry.Register.TUTORS
    call.register_validity_years = 3
    call.save_revision().publish()
    return call


def apply(client, call):
    return client.post(call.url, {"full_name": "Ana Tutor", "e_mail": "ana@example.org"})


def test_an_anonymous_visitor_cannot_apply_to_a_call_for_a_register(client, tutors_call):
    page = client.get(tutors_call.url).content.decode()
    assert "sign in to apply" in page
    response = apply(client, tutors_call)
    assert response.status_code == 200
    assert CallApplication.objects.count() == 0


def test_an_accepted_application_becomes_a_register_entry_with_its_validity(
    client, tutors_call, editor
):
    member = make_member(username="ana")
    client.force_login(member.user)
    assert apply(client, tutors_call).status_code == 200
    application = CallApplication.objects.get()
    assert application.applicant == member.user
    assert application.form_data["full_name"] == "Ana Tutor"

    services.accept_call_application(application=application, actor=editor)

    entry = RegisterEntry.objects.get(member=member)
    today = timezone.localdate()
    assert entry.register == "tutors" and entry.status == "certified"
    assert entry.certified_on == today
    assert entry.valid_until == today.replace(year=today.year + 3) - datetime.timedelta(days=1)
    application.refresh_from_db()
    assert application.status == "accepted" and application.register_entry == entry
    assert application.decided_by == editor


def test_accepting_renews_an_existing_entry_and_keeps_its_modules(tutors_call, editor):
    member = make_member(username="ana")
    RegisterEntry.objects.create(
        member=member,
        register="tutors",
        modules="M1, M2",
        status="certified",
        certified_on=datetime.date(2018, 1, 1),
        valid_until=datetime.date(2021, 1, 1),
    )
    application = CallApplication.objects.create(
        page=tutors_call, form_data={}, applicant=member.user
    )
    services.accept_call_application(application=application, actor=editor)
    entry = RegisterEntry.objects.get(member=member)
    assert entry.modules == "M1, M2" and entry.valid_until > timezone.localdate()
    assert RegisterEntry.objects.count() == 1


def test_an_application_is_decided_once(tutors_call, editor):
    member = make_member(username="ana")
    application = CallApplication.objects.create(
        page=tutors_call, form_data={}, applicant=member.user
    )
    services.reject_call_application(application=application, actor=editor)
    with pytest.raises(Conflict):
        services.accept_call_application(application=application, actor=editor)
    assert not RegisterEntry.objects.exists()


def test_only_staff_decide_applications(tutors_call):
    from django.core.exceptions import PermissionDenied

    member = make_member(username="ana")
    application = CallApplication.objects.create(
        page=tutors_call, form_data={}, applicant=member.user
    )
    with pytest.raises(PermissionDenied):
        services.accept_call_application(application=application, actor=member.user)


def test_an_application_without_an_applicant_is_not_entered_in_a_register(tutors_call, editor):
    from django.core.exceptions import ValidationError

    application = CallApplication.objects.create(page=tutors_call, form_data={})
    with pytest.raises(ValidationError):
        services.accept_call_application(application=application, actor=editor)
    application.refresh_from_db()
    assert application.status == "pending"


@pytest.mark.postgres  # SQLite locks the whole file: two writers cannot race there
@pytest.mark.django_db(transaction=True)
def test_two_staff_accepting_at_once_make_one_decision(home, editor, superuser):
    call = make_call(home, slug="race", deadline_date=datetime.date(2100, 1, 1))
    call.target_register = "instructors"
    call.save()
    member = make_member(username="ana")
    application = CallApplication.objects.create(page=call, form_data={}, applicant=member.user)
    outcomes = []
    barrier = threading.Barrier(2)

    def accept(actor):
        try:
            barrier.wait()
            services.accept_call_application(application=application, actor=actor)
            outcomes.append("accepted")
        except Conflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(u,)) for u in (editor, superuser)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["accepted", "conflict"]
    assert RegisterEntry.objects.filter(member=member).count() == 1


def test_staff_accept_an_application_in_the_admin(client, tutors_call, superuser):
    member = make_member(username="ana")
    application = CallApplication.objects.create(
        page=tutors_call, form_data={"full_name": "Ana Tutor"}, applicant=member.user
    )
    client.force_login(superuser)
    index = client.get("/admin/club/callapplication/")
    assert index.status_code == 200
    url = f"/admin/club/callapplication/decide/{application.pk}/"
    page = client.get(url)
    assert page.status_code == 200 and "Ana Tutor" in page.content.decode()
    assert client.post(url, {"action": "accept"}).status_code == 302
    assert RegisterEntry.objects.filter(member=member, status="certified").exists()
    # Decided: the action is gone (Wagtail sends a refusal back to the dashboard).
    assert client.get(url).status_code in (302, 403)
    assert CallApplication.objects.get().status == "accepted"


def test_members_cannot_reach_the_decision_page(client, tutors_call):
    member = make_member(username="ana")
    application = CallApplication.objects.create(
        page=tutors_call, form_data={}, applicant=member.user
    )
    client.force_login(member.user)
    response = client.post(
        f"/admin/club/callapplication/decide/{application.pk}/", {"action": "accept"}
    )
    assert response.status_code in (302, 403)
    assert not RegisterEntry.objects.exists()
