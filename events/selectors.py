"""Reads of the events app that span several relations: page contexts and lists."""

import calendar as calendar_module
from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from django import forms
from django.core.paginator import Paginator
from django.db.models import Case, Count, F, OuterRef, Subquery, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from events.models import SEAT_STATUSES, EventPage, Registration


class EventFilterForm(forms.Form):
    """The filters of the event list; a bad value is reported and ignored, never a 500."""

    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *EventPage.Kind.choices]
    )
    country = forms.ChoiceField(label=_("Country"), required=False)
    month = forms.RegexField(
        label=_("Month"),
        required=False,
        regex=r"^\d{4}-(0[1-9]|1[0-2])$",
        error_messages={"invalid": _("Give a month as YYYY-MM.")},
        widget=forms.TextInput(attrs={"type": "month"}),
    )

    def __init__(self, *args, country_codes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("All countries"))] + [
            (code, countries.name(code)) for code in country_codes
        ]


def month_range(value: str) -> tuple[datetime, datetime]:
    year, month = (int(part) for part in value.split("-"))
    first = date(year, month, 1)
    last_day = calendar_module.monthrange(year, month)[1]
    start = timezone.make_aware(datetime.combine(first, time.min))
    end = timezone.make_aware(datetime.combine(first + timedelta(days=last_day), time.min))
    return start, end


def visible_events(index=None):
    """Published, public events: under ``index``, or else those of the active locale."""
    queryset = EventPage.objects.live().public()
    if index is not None:
        return queryset.child_of(index)
    return queryset.in_active_locale()


def event_index_context(*, index, request) -> dict:
    events = visible_events(index)
    codes = sorted(
        {code for code in events.values_list("country", flat=True) if code},
        key=lambda code: countries.name(code),
    )
    form = EventFilterForm(request.GET or None, country_codes=codes)
    if form.is_valid():
        data = form.cleaned_data
        if data.get("kind"):
            events = events.filter(kind=data["kind"])
        if data.get("country"):
            events = events.filter(country=data["country"])
        if data.get("month"):
            start, end = month_range(data["month"])
            events = events.filter(start__lt=end, end__gte=start)
    events = events.with_seat_counts().upcoming_first().select_related("organiser")
    paginator = Paginator(events, 20)
    page = paginator.get_page(request.GET.get("page"))
    now = timezone.now()
    return {
        "filter_form": form,
        "events": page,
        "now": now,
        "query_string": _query_without_page(request),
    }


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def online_link_audience(user) -> Callable[[EventPage], bool]:
    """Whether ``user`` may see an event's online link, for as many events as needed at
    the cost of one query: staff always; a member for the events where they hold a seat
    (confirmed or attended), not where they are waitlisted or cancelled; anonymous readers
    never. The page, both APIs, the calendar files and the e-mails all ask this."""
    if user is None or not user.is_authenticated or not user.is_active:
        return lambda event: False
    if user.is_staff or user.is_superuser:
        return lambda event: True
    # Registrations belong to the event in the default locale; its translations and
    # aliases share its translation key.
    keys = set(
        Registration.objects.filter(member__user=user, status__in=SEAT_STATUSES).values_list(
            "event__translation_key", flat=True
        )
    )
    return lambda event: event.translation_key in keys


def online_link_for(*, event, user) -> str:
    """The online link of ``event`` as ``user`` may see it: the link, or ""."""
    if not event.online_link:
        return ""
    return event.online_link if online_link_audience(user)(event) else ""


def online_link_in(context: dict, event) -> str:
    """``online_link_for`` the reader of an API answer, asking the database once per
    answer however many events it lists (the audience is kept in the serializer's
    context)."""
    if not event.online_link:
        return ""
    audience = context.get("online_link_audience")
    if audience is None:
        request = context.get("request")
        audience = online_link_audience(getattr(request, "user", None))
        context["online_link_audience"] = audience
    return event.online_link if audience(event) else ""


def ticket_types_with_seats(event) -> list:
    """The ticket types of ``event`` (its canonical page), each with ``seats_taken`` and
    its questions, in one query plus one for the questions."""
    from events.models import GuestRegistration, TicketType

    def count(model, statuses):
        return Coalesce(
            Subquery(
                model.objects.filter(ticket_type=OuterRef("pk"), status__in=statuses)
                .order_by()
                .values("ticket_type")
                .annotate(n=Count("pk"))
                .values("n")
            ),
            0,
        )

    return list(
        TicketType.objects.filter(event_id=event.pk)
        .annotate(
            seats_taken=count(Registration, SEAT_STATUSES)
            + count(GuestRegistration, [GuestRegistration.Status.CONFIRMED])
        )
        .prefetch_related("questions")
        .order_by("sort_order", "pk")
    )


def event_page_context(*, event, request) -> dict:
    """What an event page shows every reader alike: the ticket types with their seats, the
    programme and the speakers. The reader's own part (their registration or its form, the
    online link) is filled in as the page is served (``events.site``), so that members
    share one copy of the page."""
    return {
        "ticket_types": ticket_types_with_seats(event.canonical),
        "sessions": programme(event=event, user=request.user),
        "speakers": speakers_for(event=event, user=request.user),
    }


def registration_context(*, event, request) -> dict:
    """The reader's own part of an event page: their registration, or the form to
    register (a guest's for anonymous readers where guests may come), and the online link
    once their seat is confirmed."""
    from events.forms import GuestRegistrationForm, RegistrationForm

    registration = None
    user = request.user
    canonical = event.canonical
    if user.is_authenticated:
        registration = Registration.objects.filter(event=canonical, member__user=user).first()
    active = registration is not None and registration.status != Registration.Status.CANCELLED
    registration_state = event.registration_state()
    if user.is_staff or user.is_superuser:
        online_link = online_link_for(event=event, user=user)
    else:
        # The registration in hand says what online_link_audience would ask again.
        holds_seat = registration is not None and registration.status in SEAT_STATUSES
        online_link = event.online_link if holds_seat else ""
    context = {
        "page": event,
        "online_link": online_link,
        "registration": registration if active else None,
        "registration_state": registration_state,
        "registration_form": None,
        "guest_form": None,
    }
    if active or registration_state != "open":
        return context
    questions = list(canonical.questions.all())
    ticket_types = ticket_types_with_seats(canonical)
    if user.is_authenticated:
        context["registration_form"] = RegistrationForm(
            questions=questions, ticket_types=ticket_types
        )
    elif canonical.guests_allowed and not canonical.members_only:
        context["guest_form"] = GuestRegistrationForm(
            questions=questions, ticket_types=[t for t in ticket_types if t.open_to_guests]
        )
    return context


def profiles_seen_on_shared_pages(user):
    """The member profiles a page may name or link for ``user``: for a signed-in member,
    those every member sees (not their own hidden one), so that the page is the same for
    all members; staff see all, anonymous readers the public ones."""
    from members.models import MemberProfile

    if user is not None and user.is_authenticated and not user.is_staff:
        return MemberProfile.objects.visible_to_every_member()
    return MemberProfile.objects.visible_to(user)


def programme(*, event, user) -> list[tuple]:
    """The sessions of ``event``, each with the names of its speakers whose profiles
    ``user`` may see (``profiles_seen_on_shared_pages``): one query asks which of all the
    programme's speakers are visible, however many sessions there are."""
    sessions = list(event.sessions.all().prefetch_related("speakers"))
    speaker_ids = {speaker.pk for session in sessions for speaker in session.speakers.all()}
    visible = set(
        profiles_seen_on_shared_pages(user).filter(pk__in=speaker_ids).values_list("pk", flat=True)
    )
    return [
        (session, [speaker.name for speaker in session.speakers.all() if speaker.pk in visible])
        for session in sessions
    ]


def speakers_for(*, event, user) -> list[tuple]:
    """The speakers of ``event`` in their order, each with the member profile it is linked
    to when ``user`` may see that profile (else None: the speaker shows without the link)."""
    speakers = list(event.speakers.select_related("photo").order_by("sort_order", "pk"))
    linked = {speaker.member_id for speaker in speakers if speaker.member_id}
    visible = {
        profile.pk: profile for profile in profiles_seen_on_shared_pages(user).filter(pk__in=linked)
    }
    return [(speaker, visible.get(speaker.member_id)) for speaker in speakers]


def registrations_of(user):
    """The member's registrations: upcoming events soonest first, then past ones."""
    now = timezone.now()
    return (
        Registration.objects.for_user(user)
        .select_related("event")
        .order_by(
            Case(When(event__end__gte=now, then=F("event__start"))).asc(nulls_last=True),
            Case(When(event__end__lt=now, then=F("event__start"))).desc(nulls_last=True),
            "pk",
        )
    )


def check_in_counts(event) -> dict[str, int]:
    """The desk's figures for ``event``: seats ``confirmed`` (checked in or not), those
    ``checked_in``, and those ``expected`` still (confirmed, not yet arrived); members'
    registrations and confirmed guests alike."""
    from django.db.models import Count, Q

    from events.models import GuestRegistration

    counts = Registration.objects.filter(event=event.canonical).aggregate(
        confirmed=Count("pk", filter=Q(status__in=SEAT_STATUSES)),
        checked_in=Count("pk", filter=Q(status=Registration.Status.ATTENDED)),
    )
    guests = GuestRegistration.objects.filter(
        event=event.canonical, status=GuestRegistration.Status.CONFIRMED
    ).aggregate(
        confirmed=Count("pk"),
        checked_in=Count("pk", filter=Q(checked_in_at__isnull=False)),
    )
    counts = {key: counts[key] + guests[key] for key in ("confirmed", "checked_in")}
    counts["expected"] = counts["confirmed"] - counts["checked_in"]
    return counts


def arrivals(event, *, limit: int = 50) -> list[tuple]:
    """The latest arrivals at ``event``'s desk, most recent first: (time, name, is_guest)."""
    from events.models import GuestRegistration

    members = (
        Registration.objects.filter(event=event.canonical, status=Registration.Status.ATTENDED)
        .select_related("member__user")
        .order_by("-checked_in_at", "-pk")[:limit]
    )
    guests = GuestRegistration.objects.filter(
        event=event.canonical,
        status=GuestRegistration.Status.CONFIRMED,
        checked_in_at__isnull=False,
    ).order_by("-checked_in_at", "-pk")[:limit]
    rows = [(r.checked_in_at, r.member.name, False) for r in members]
    rows += [(g.checked_in_at, g.name, True) for g in guests]
    rows.sort(key=lambda row: row[0], reverse=True)
    return rows[:limit]


def desk_events(*, now: datetime | None = None):
    """Events whose check-in desk may be opened: not ended more than a day ago, soonest
    first (the event in the default locale, which holds the registrations)."""
    from wagtail.models import Locale

    now = now or timezone.now()
    return (
        EventPage.objects.filter(locale=Locale.get_default(), end__gte=now - timedelta(days=1))
        .order_by("start", "pk")
        .select_related("locale")
    )
