"""Demo content of the events: the event index, two past events of 2012 the club took part
in, and an upcoming course for trainers with a few seats and registration open.

``seed(*, home, log)`` is called by ``manage.py seed_demo``; each page is found by its slug
before it is made, so running it again changes nothing.
"""

import datetime
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from events.models import EventIndexPage, EventPage, EventSession, RegistrationQuestion
from members.models import Organisation

Log = Callable[[str], None]


@dataclass(frozen=True)
class DemoEvent:
    slug: str
    title: str
    kind: str
    tz: str
    start: datetime.datetime  # wall-clock time in ``tz``
    end: datetime.datetime
    city: str
    country: str
    venue: str = ""
    intro: str = ""
    capacity: int | None = None
    organiser_name: str = ""
    sessions: tuple[tuple[datetime.datetime, datetime.datetime, str, str], ...] = ()
    questions: tuple[dict, ...] = field(default_factory=tuple)


def _wall(year, month, day, hour, minute=0):
    return datetime.datetime(year, month, day, hour, minute)


def _upcoming_course_start() -> datetime.datetime:
    """09:00 on a Monday about six weeks ahead, so the demo always has an open course."""
    day = timezone.localdate() + datetime.timedelta(days=42)
    day += datetime.timedelta(days=(7 - day.weekday()) % 7)
    return datetime.datetime.combine(day, datetime.time(9, 0))


def demo_events() -> list[DemoEvent]:
    course_start = _upcoming_course_start()
    return [
        DemoEvent(
            slug="europe-innova-2012-conference",
            title="Europe INNOVA 2012 Conference",
            kind=EventPage.Kind.CONFERENCE,
            tz="Europe/Copenhagen",
            start=_wall(2012, 10, 23, 9),
            end=_wall(2012, 10, 24, 17),
            city="Copenhagen",
            country="DK",
            intro=(
                "The Europe INNOVA 2012 Conference in Copenhagen on 23-24 October 2012: "
                "cluster managers, policy makers and innovation agencies on the future of "
                "cluster and innovation support in Europe."
            ),
            capacity=400,
            sessions=(
                (
                    _wall(2012, 10, 23, 9),
                    _wall(2012, 10, 23, 10),
                    "Opening plenary",
                    "Plenary hall",
                ),
                (
                    _wall(2012, 10, 23, 11),
                    _wall(2012, 10, 23, 12, 30),
                    "Cluster excellence: labelling and benchmarking",
                    "Room A",
                ),
                (
                    _wall(2012, 10, 24, 14),
                    _wall(2012, 10, 24, 16),
                    "Meeting of the European Cluster Managers' Club",
                    "Room B",
                ),
            ),
        ),
        DemoEvent(
            slug="seeneco-cluster-benchmarking-training-bucharest",
            title="SEENECO cluster benchmarking training",
            kind=EventPage.Kind.TRAINING,
            tz="Europe/Bucharest",
            start=_wall(2012, 4, 26, 9),
            end=_wall(2012, 4, 26, 17),
            city="Bucharest",
            country="RO",
            intro=(
                "SEENECO kicks off the series of cluster excellence trainings: policy experts "
                "of South East Europe learn the cluster benchmarking method."
            ),
            capacity=30,
        ),
        DemoEvent(
            slug="course-for-trainers-cluster-management-excellence",
            title="Course for Trainers of Cluster Management Excellence",
            kind=EventPage.Kind.TRAINING,
            tz="Europe/Madrid",
            start=course_start,
            end=course_start + datetime.timedelta(days=2, hours=8),
            city="Barcelona",
            country="ES",
            intro=(
                "Two and a half days for trainers who want to teach the ECEI modules of "
                "cluster management excellence. Small group: twelve seats."
            ),
            capacity=12,
            organiser_name="Foundation Clusters and Competitiveness",
            questions=(
                {
                    "label": "Dietary needs",
                    "key": "diet",
                    "kind": RegistrationQuestion.Kind.CHOICE,
                    "choices": "None\nVegetarian\nVegan\nGluten-free",
                    "required": True,
                },
                {
                    "label": "Your cluster organisation",
                    "key": "organisation",
                    "kind": RegistrationQuestion.Kind.TEXT,
                },
                {
                    "label": "I agree to appear in the course photos",
                    "key": "photos",
                    "kind": RegistrationQuestion.Kind.CHECKBOX,
                },
            ),
        ),
    ]


def _aware(value: datetime.datetime, tz: str) -> datetime.datetime:
    return timezone.make_aware(value, zoneinfo.ZoneInfo(tz))


def seed_index(*, home, log: Log) -> EventIndexPage:
    index = EventIndexPage.objects.child_of(home).first()
    if index is None:
        index = EventIndexPage(
            title="Events",
            slug="events",
            intro="<p>Conferences, trainings and courses of the club and its partners.</p>",
        )
        home.add_child(instance=index)
        index.save_revision().publish(log_action=False)
        log("events: event index at /events/")
    return index


def seed_event(*, index: EventIndexPage, demo: DemoEvent, log: Log) -> EventPage:
    existing = EventPage.objects.child_of(index).filter(slug=demo.slug).first()
    if existing is not None:
        return existing
    event = EventPage(
        title=demo.title,
        slug=demo.slug,
        kind=demo.kind,
        intro=demo.intro,
        timezone=demo.tz,
        start=_aware(demo.start, demo.tz),
        end=_aware(demo.end, demo.tz),
        venue=demo.venue,
        city=demo.city,
        country=demo.country,
        capacity=demo.capacity,
        organiser=Organisation.objects.filter(name=demo.organiser_name).first()
        if demo.organiser_name
        else None,
    )
    for order, (start, end, title, room) in enumerate(demo.sessions):
        event.sessions.add(
            EventSession(
                sort_order=order,
                start=_aware(start, demo.tz),
                end=_aware(end, demo.tz),
                title=title,
                room=room,
            )
        )
    for order, question in enumerate(demo.questions):
        event.questions.add(RegistrationQuestion(sort_order=order, **question))
    index.add_child(instance=event)
    event.save_revision().publish(log_action=False)
    log(f"events: {demo.title}")
    return event


def seed(*, home, log: Log) -> None:
    """The event index under ``home`` and the demo events (idempotent)."""
    with transaction.atomic():
        index = seed_index(home=home, log=log)
        for demo in demo_events():
            seed_event(index=index, demo=demo, log=log)
