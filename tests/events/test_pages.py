"""The HTML side: event list and page, register/cancel forms, my registrations, check-in,
the attendee CSV and the admin, for anonymous visitors, members and staff."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core import mail

from events import services
from events.models import Registration
from tests.factories import make_member, make_user

pytestmark = pytest.mark.django_db


def staff_with(*codenames):
    user = make_user(is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


def test_the_event_list_shows_upcoming_first_and_filters(client, event_factory):
    index_events = [
        event_factory(
            title="Training in Bucharest",
            kind="training",
            country="RO",
            starts_in=timedelta(days=40),
        ),
        event_factory(
            title="Conference in Copenhagen",
            kind="conference",
            country="DK",
            starts_in=timedelta(days=4),
        ),
        event_factory(
            title="Old ceremony", kind="ceremony", country="DK", starts_in=timedelta(days=-90)
        ),
    ]
    url = index_events[0].get_parent().url
    page = client.get(url).content.decode()
    positions = [
        page.index(title)
        for title in ("Conference in Copenhagen", "Training in Bucharest", "Old ceremony")
    ]
    assert positions == sorted(positions)
    filtered = client.get(url, {"kind": "training"}).content.decode()
    assert "Training in Bucharest" in filtered and "Conference in Copenhagen" not in filtered
    by_country = client.get(url, {"country": "DK"}).content.decode()
    assert "Training in Bucharest" not in by_country and "Old ceremony" in by_country
    month = index_events[1].start.strftime("%Y-%m")
    by_month = client.get(url, {"month": month}).content.decode()
    assert "Conference in Copenhagen" in by_month and "Old ceremony" not in by_month


@pytest.mark.parametrize(
    "query", ["month=2012-13", "month=abc", "kind=party", "country=ZZ", "page=999"]
)
def test_bad_filters_on_the_event_list_never_fail(client, event, query):
    response = client.get(f"{event.get_parent().url}?{query}")
    assert response.status_code == 200


def test_the_event_page_shows_seats_left_and_a_register_button(client, event, member):
    client.force_login(member.user)
    page = client.get(event.url).content.decode()
    assert "2 of 2 seats left" in page
    assert f'action="/events/{event.pk}/register/"' in page


def test_anonymous_visitors_are_asked_to_sign_in(client, event):
    page = client.get(event.url).content.decode()
    assert "Sign in to register" in page
    response = client.post(f"/events/{event.pk}/register/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Registration.objects.exists()


def test_registering_and_cancelling_through_the_page(client, event, member):
    client.force_login(member.user)
    response = client.post(f"/events/{event.pk}/register/", follow=True)
    assert response.status_code == 200
    registration = Registration.objects.get(member=member)
    assert registration.status == "confirmed"
    page = response.content.decode()
    assert registration.ticket_code in page and "Cancel my registration" in page
    client.post(f"/events/{event.pk}/cancel/")
    registration.refresh_from_db()
    assert registration.status == "cancelled"


def test_the_registration_form_asks_the_events_questions(client, event_factory, member):
    event = event_factory(
        questions=[
            {
                "label": "Dietary needs",
                "key": "diet",
                "kind": "choice",
                "choices": "None\nVegan",
                "required": True,
            }
        ]
    )
    client.force_login(member.user)
    assert "Dietary needs" in client.get(event.url).content.decode()
    client.post(f"/events/{event.pk}/register/", {"q_diet": "Fish"})
    assert not Registration.objects.exists()
    client.post(f"/events/{event.pk}/register/", {"q_diet": "Vegan"})
    assert Registration.objects.get().answers == {"diet": "Vegan"}


def test_a_closed_event_page_says_so_and_stores_nothing(client, event_factory, member):
    event = event_factory(starts_in=timedelta(days=-2))
    client.force_login(member.user)
    assert "This event has taken place." in client.get(event.url).content.decode()
    response = client.post(f"/events/{event.pk}/register/", follow=True)
    assert "already taken place" in response.content.decode()
    assert not Registration.objects.exists()


def test_my_registrations_lists_my_own_with_a_qr_code(client, event, member, other_member):
    services.register_for_event(event=event, member=member)
    other = make_member()
    services.register_for_event(event=event, member=other)
    client.force_login(member.user)
    page = client.get("/events/my-registrations/").content.decode()
    assert event.title in page and "<svg" in page
    mine = Registration.objects.get(member=member)
    assert mine.ticket_code in page
    assert Registration.objects.get(member=other).ticket_code not in page


def test_my_registrations_needs_a_sign_in(client):
    assert client.get("/events/my-registrations/").status_code == 302


def test_another_member_cannot_cancel_through_the_page(client, event, member, other_member):
    services.register_for_event(event=event, member=member)
    client.force_login(other_member.user)
    client.post(f"/events/{event.pk}/cancel/")
    assert Registration.objects.get(member=member).status == "confirmed"


def test_check_in_by_typed_code_marks_attendance_once(client, event, member):
    registration = services.register_for_event(event=event, member=member)[0]
    client.force_login(staff_with("change_registration"))
    desk = f"/events/{event.pk}/check-in/"
    response = client.post(desk, {"ticket_code": registration.ticket_code.lower()})
    assert response.status_code == 200 and "Welcome" in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == "attended" and registration.checked_in_at
    again = client.post(desk, {"ticket_code": registration.ticket_code})
    assert "already checked in" in again.content.decode()


def test_the_qr_code_link_opens_the_check_in_page_with_the_code(client, event, member):
    registration = services.register_for_event(event=event, member=member)[0]
    client.force_login(staff_with("change_registration"))
    page = client.get("/events/check-in/", {"code": registration.ticket_code}).content.decode()
    assert registration.ticket_code in page and member.name in page


@pytest.mark.parametrize("code", ["", "NOPE", "x" * 500])
def test_unknown_ticket_codes_are_a_form_error(client, event, code):
    client.force_login(staff_with("change_registration"))
    response = client.post(f"/events/{event.pk}/check-in/", {"ticket_code": code})
    assert response.status_code == 200 and "errorlist" in response.content.decode()


def test_a_waitlisted_ticket_cannot_be_checked_in(event):
    for _ in range(2):
        services.register_for_event(event=event, member=make_member())
    waiting = services.register_for_event(event=event, member=make_member())[0]
    from domain.exceptions import Conflict

    with pytest.raises(Conflict):
        services.check_in(ticket_code=waiting.ticket_code)


@pytest.mark.parametrize("who", ["anonymous", "member"])
def test_check_in_and_exports_are_for_staff_only(client, event, member, who):
    if who == "member":
        client.force_login(member.user)
    for url in (
        "/events/check-in/",
        f"/events/{event.pk}/check-in/",
        f"/events/{event.pk}/attendees.csv",
    ):
        response = client.get(url)
        assert response.status_code in (302, 403)


def test_the_attendee_csv_lists_registrations_with_answers(client, event_factory):
    event = event_factory(
        capacity=1,
        questions=[{"label": "Organisation", "key": "org", "kind": "text"}],
    )
    first = make_member(display_name="Ana Popescu")
    services.register_for_event(event=event, member=first, answers={"org": "=HYPERLINK(1)"})
    services.register_for_event(event=event, member=make_member(display_name="Lars Jensen"))
    client.force_login(staff_with("view_registration"))
    response = client.get(f"/events/{event.pk}/attendees.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][-1] == "Organisation"
    assert [row[1] for row in rows[1:]] == ["Ana Popescu", "Lars Jensen"]
    assert rows[1][3] == "Confirmed" and rows[2][3:5] == ["Waitlisted", "1"]
    assert rows[1][-1] == "'=HYPERLINK(1)"


def test_the_admin_lists_filters_and_exports_registrations(client, event, superuser):
    services.register_for_event(event=event, member=make_member())
    client.force_login(superuser)
    index = "/admin/events/registration/"
    assert client.get(index).status_code == 200
    assert (
        client.get(index, {"status": "confirmed", "event__page_ptr__exact": event.pk}).status_code
        == 200
    )
    export = client.get(index, {"export": "csv"})
    content = b"".join(export.streaming_content).decode()
    assert export.status_code == 200 and "confirmed" in content.lower()
    assert event.title in content
    overview = client.get("/admin/events/eventpage/")
    assert overview.status_code == 200 and event.title in overview.content.decode()


def test_admin_status_actions_go_through_the_services(client, event, superuser):
    regs = [services.register_for_event(event=event, member=make_member())[0] for _ in range(3)]
    client.force_login(superuser)
    url = f"/admin/events/registration/status/{regs[0].pk}/"
    assert client.get(url, {"status": "cancelled"}).status_code == 200
    client.post(url, {"status": "cancelled"})
    statuses = [Registration.objects.get(pk=r.pk).status for r in regs]
    assert statuses == ["cancelled", "confirmed", "confirmed"]
    mail.outbox.clear()
    full = client.post(f"/admin/events/registration/status/{regs[0].pk}/", {"status": "nonsense"})
    assert full.status_code == 302


def test_the_admin_refuses_to_confirm_beyond_capacity(client, event, superuser):
    for _ in range(2):
        services.register_for_event(event=event, member=make_member())
    waiting = services.register_for_event(event=event, member=make_member())[0]
    client.force_login(superuser)
    client.post(f"/admin/events/registration/status/{waiting.pk}/", {"status": "confirmed"})
    assert Registration.objects.get(pk=waiting.pk).status == "waitlisted"


def test_status_actions_need_the_change_permission(client, event, member):
    registration = services.register_for_event(event=event, member=member)[0]
    client.force_login(staff_with("view_registration"))
    response = client.post(
        f"/admin/events/registration/status/{registration.pk}/", {"status": "cancelled"}
    )
    assert response.status_code in (302, 403)
    assert Registration.objects.get(pk=registration.pk).status == "confirmed"
