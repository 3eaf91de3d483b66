"""A call takes applications until its deadline, in its own time zone, and never after."""

import datetime
from unittest import mock

import pytest

from pages.models import CallApplication
from tests.pages.conftest import make_call

pytestmark = pytest.mark.django_db

VALID = {"full_name": "Micael Gustafsson", "e_mail": "micael@example.org"}


def submissions(page):
    return CallApplication.objects.filter(page=page).count()


def at(moment):
    return mock.patch("pages.models.timezone.now", return_value=moment)


def test_a_valid_application_before_the_deadline_is_stored_and_thanked(client, open_call):
    response = client.post(open_call.url, VALID)
    assert response.status_code == 200
    assert "Application received." in response.content.decode()
    assert submissions(open_call) == 1
    stored = CallApplication.objects.get(page=open_call).get_data()
    assert stored["e_mail"] == "micael@example.org"


def test_an_application_after_the_deadline_gets_the_form_error_and_stores_nothing(
    client, closed_call
):
    response = client.post(closed_call.url, VALID)
    assert response.status_code == 200
    html = response.content.decode()
    assert "This call closed at 17:00 CEST, Friday 24 August 2012" in html
    assert "data-error-summary" in html
    assert submissions(closed_call) == 0


@pytest.mark.parametrize(
    "data",
    [{}, {"full_name": "Micael"}, {"full_name": "Micael", "e_mail": "not-an-address"}],
)
def test_invalid_fields_store_nothing_and_say_why(client, open_call, data):
    response = client.post(open_call.url, data)
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert submissions(open_call) == 0


def test_invalid_fields_after_the_deadline_store_nothing(client, closed_call):
    client.post(closed_call.url, {"full_name": ""})
    assert submissions(closed_call) == 0


def test_the_deadline_is_the_instant_on_the_wall_clock_of_its_time_zone(home):
    summer = make_call(home, slug="summer", deadline_date=datetime.date(2012, 8, 24))
    winter = make_call(home, slug="winter", deadline_date=datetime.date(2014, 1, 31))
    assert summer.deadline == datetime.datetime(2012, 8, 24, 15, 0, tzinfo=datetime.UTC)
    assert winter.deadline == datetime.datetime(2014, 1, 31, 16, 0, tzinfo=datetime.UTC)
    assert winter.deadline_display == "17:00 CET, Friday 31 January 2014"


def test_a_form_opened_before_the_deadline_and_sent_after_it_is_refused(client, home):
    call = make_call(home, slug="edge", deadline_date=datetime.date(2030, 6, 1))
    just_before = call.deadline - datetime.timedelta(seconds=1)
    with at(just_before):
        form_page = client.get(call.url)
        assert 'name="full_name"' in form_page.content.decode()
    with at(call.deadline):
        response = client.post(call.url, VALID)
    assert "applications are no longer accepted" in response.content.decode()
    assert submissions(call) == 0
    with at(just_before):
        client.post(call.url, VALID)
    assert submissions(call) == 1


def test_changing_the_deadline_moves_the_stored_instant(home):
    call = make_call(home, slug="moving", deadline_date=datetime.date(2030, 6, 1))
    call.deadline_timezone = "Europe/London"
    call.save_revision().publish()
    call.refresh_from_db()
    assert call.deadline == datetime.datetime(2030, 6, 1, 16, 0, tzinfo=datetime.UTC)


def test_a_time_zone_outside_the_list_is_refused_by_validation(home):
    from django.core.exceptions import ValidationError

    call = make_call(home, slug="tz", deadline_date=datetime.date(2030, 6, 1))
    call.deadline_timezone = "Mars/Olympus_Mons"
    with pytest.raises(ValidationError):
        call.full_clean()
