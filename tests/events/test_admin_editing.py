"""Editors create events in the Wagtail admin with times on the venue's clock; the demo
content and the home page's list of upcoming events."""

import datetime
import zoneinfo

import pytest
from wagtail.models import Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from events.models import EventIndexPage, EventPage
from tests.factories import make_index

pytestmark = pytest.mark.django_db

BUCHAREST = zoneinfo.ZoneInfo("Europe/Bucharest")


def event_form(**overrides):
    data = {
        "title": "Cluster benchmarking training",
        "slug": "benchmarking-training",
        "kind": "training",
        "intro": "",
        "start": "2031-04-26 09:00",
        "end": "2031-04-26 17:00",
        "timezone": "Europe/Bucharest",
        "venue": "",
        "city": "Bucharest",
        "country": "RO",
        "online_link": "",
        "organiser": "",
        "body": rich_text(""),
        "capacity": "12",
        "registration_opens": "",
        "registration_closes": "2031-04-20 18:00",
        "speakers": inline_formset([]),
        "sessions": inline_formset(
            [
                {
                    "start": "2031-04-26 09:30",
                    "end": "",
                    "title": "Benchmarking",
                    "room": "A",
                    "description": "",
                    "speakers": [],
                }
            ]
        ),
        "questions": inline_formset(
            [
                {
                    "label": "Dietary needs",
                    "key": "",
                    "kind": "text",
                    "choices": "",
                    "required": "",
                    "help_text": "",
                }
            ]
        ),
        "action-publish": "publish",
    }
    data.update(overrides)
    return nested_form_data(data)


def add_url(index):
    return f"/admin/pages/add/events/eventpage/{index.pk}/"


def test_times_typed_in_the_admin_are_the_venues_wall_clock(client, superuser, settings):
    index = make_index()
    client.force_login(superuser)
    response = client.post(add_url(index), event_form())
    assert response.status_code == 302, response.content.decode()[:2000]
    event = EventPage.objects.get(slug="benchmarking-training", alias_of__isnull=True)
    assert event.start == datetime.datetime(2031, 4, 26, 9, 0, tzinfo=BUCHAREST)
    assert event.registration_closes == datetime.datetime(2031, 4, 20, 18, 0, tzinfo=BUCHAREST)
    assert event.sessions.get().start == datetime.datetime(2031, 4, 26, 9, 30, tzinfo=BUCHAREST)
    assert event.questions.get().key == "dietary_needs"
    edit = client.get(f"/admin/pages/{event.pk}/edit/").content.decode()
    assert "2031-04-26 09:00" in edit


def test_the_admin_refuses_an_event_that_ends_before_it_starts(client, superuser):
    index = make_index()
    client.force_login(superuser)
    response = client.post(add_url(index), event_form(end="2031-04-25 17:00"))
    assert response.status_code == 200
    assert not EventPage.objects.exists()


def test_the_admin_refuses_an_unknown_time_zone(client, superuser):
    index = make_index()
    client.force_login(superuser)
    response = client.post(add_url(index), event_form(timezone="Mars/Olympus"))
    assert response.status_code == 200
    assert not EventPage.objects.exists()


def test_the_admin_refuses_two_questions_with_one_key(client, superuser):
    index = make_index()
    client.force_login(superuser)
    questions = inline_formset(
        [
            {
                "label": "Diet",
                "key": "diet",
                "kind": "text",
                "choices": "",
                "required": "",
                "help_text": "",
            },
            {
                "label": "Diet again",
                "key": "diet",
                "kind": "text",
                "choices": "",
                "required": "",
                "help_text": "",
            },
        ]
    )
    response = client.post(add_url(index), event_form(questions=questions))
    assert response.status_code == 200
    assert not EventPage.objects.exists()


def test_an_event_published_in_the_admin_is_listed_once_and_its_aliases_share_the_seats(
    client, superuser, api_client, member, other_member
):
    from events import services

    index = make_index()
    client.force_login(superuser)
    client.post(add_url(index), event_form(capacity="1", questions=inline_formset([])))
    original = EventPage.objects.get(slug="benchmarking-training", alias_of__isnull=True)
    aliases = EventPage.objects.filter(alias_of=original)
    listed = [e["id"] for e in api_client.get("/api/events/").json()["results"]]
    assert listed == [original.pk]
    # The site keeps the page tree of every language in sync: de, fr and es get aliases.
    assert aliases
    services.register_for_event(event=aliases[0], member=member)
    registration = services.register_for_event(event=aliases[0], member=other_member)[0]
    assert registration.event_id == original.pk and registration.status == "waitlisted"
    assert aliases[0].seats_left == 0 and EventPage.objects.get(pk=original.pk).seats_left == 0


def make_home():
    from wagtail.models import Locale

    from pages.models import HomePage

    Locale.objects.get_or_create(language_code="en")
    root = Page.get_first_root_node()
    home = HomePage(title="Club", slug="club-test-home")
    root.add_child(instance=home)
    return home


def test_the_demo_content_is_idempotent(django_capture_on_commit_callbacks):
    from demo.loader import seed_events as seed
    from demo.loader import seed_members

    home = make_home()
    lines = []
    # A demo speaker is linked to a demo member's profile: the members come first, as in
    # the whole demo.
    seed_members(home=home, log=lines.append)
    seed(home=home, log=lines.append)
    seed(home=home, log=lines.append)
    index = EventIndexPage.objects.child_of(home).get()
    events = {e.slug: e for e in EventPage.objects.child_of(index)}
    assert len(events) == 4
    innova = events["europe-innova-2012-conference"]
    assert innova.timezone == "Europe/Copenhagen" and innova.city == "Copenhagen"
    assert innova.local_start.date() == datetime.date(2012, 10, 23)
    assert innova.local_end.date() == datetime.date(2012, 10, 24)
    seeneco = events["seeneco-cluster-benchmarking-training-bucharest"]
    assert seeneco.local_start.date() == datetime.date(2012, 4, 26) and seeneco.is_past()
    course = events["course-for-trainers-cluster-management-excellence"]
    assert course.capacity == 30 and course.is_registration_open()
    conference = events["cluster-managers-club-annual-conference"]
    assert conference.guests_allowed and conference.is_registration_open()
    tickets = {t.name: t for t in conference.ticket_types.all()}
    assert {name: t.kind for name, t in tickets.items()} == {
        "Member": "member",
        "Non-member": "non_member",
        "Speaker": "speaker",
    }
    assert [q.key for q in tickets["Speaker"].questions.all()] == ["talk_title"]
    assert len([line for line in lines if line.startswith("events:")]) == 5


def test_the_home_page_lists_upcoming_events(client, event_factory):
    from demo.loader import seed_events as seed
    from demo.loader import seed_members

    home = make_home()
    seed_members(home=home, log=lambda line: None)  # a demo speaker is a member
    seed(home=home, log=lambda line: None)
    context_events = home.specific.upcoming_events()
    assert [e.slug for e in context_events] == [
        "course-for-trainers-cluster-management-excellence",
        "cluster-managers-club-annual-conference",
    ]


def test_an_event_picture_shows_on_its_page_and_in_the_api(client, event_factory):
    import io

    from django.core.files.images import ImageFile
    from PIL import Image as PILImage
    from wagtail.images import get_image_model

    buffer = io.BytesIO()
    PILImage.new("RGB", (1600, 900), (11, 79, 156)).save(buffer, format="PNG")
    picture = get_image_model().objects.create(
        title="Venue", file=ImageFile(buffer, name="venue.png")
    )
    event = event_factory(image=picture)
    page = client.get(event.url).content.decode()
    assert 'class="event-picture"' in page and 'loading="lazy"' in page
    item = client.get(f"/api/v2/pages/{event.pk}/?fields=image_rendition,image_thumbnail").json()
    assert item["image_rendition"]["width"] == 1200 and item["image_rendition"]["height"] == 630
    assert item["image_thumbnail"]["url"].endswith(".jpg")
    without = event_factory()
    assert 'class="event-picture"' not in client.get(without.url).content.decode()
