"""Reads of matchmaking: the participants with partner search's facets, suggested matches
with their reasons (search's complementary matching), agendas and free slots."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from taggit.models import Tag

from matchmaking.models import Matchmaking, Meeting, MeetingSeat, MeetingSlot, Participant
from members.models import (
    MemberProfile,
    Organisation,
    QualityLabel,
    Sector,
    TaggedOrganisationTechnology,
)
from search.engines.base import FACETS as SEARCH_FACETS
from search.engines.base import country_names
from search.engines.database import facet_filter
from search.indexing import (
    LABEL_LEVELS,
    OrganisationData,
    current_label_filter,
    current_label_levels,
    organisation_data_batch,
)
from search.ranking import like_match, like_score
from translating import in_active_language

#: The facets of partner search, in its order: the participants' organisations' values.
FACETS = SEARCH_FACETS


@dataclass
class Card:
    """A participant as other participants see them."""

    participant: Participant
    name: str
    organisation: OrganisationData | None
    score: float = 0.0
    reasons: list[str] = field(default_factory=list)

    @property
    def member_id(self) -> int:
        return self.participant.member_id

    @property
    def label(self) -> str | None:
        """The best quality label the organisation holds today, as partner search shows it."""
        if self.organisation is None:
            return None
        levels = current_label_levels(self.organisation.labels, timezone.localdate())
        return levels[0] if levels else None

    @property
    def label_name(self) -> str:
        return str(QualityLabel.Level(self.label).label) if self.label else ""


def participant_of(matchmaking: Matchmaking, member: MemberProfile | None) -> Participant | None:
    if member is None:
        return None
    return matchmaking.participants.filter(member=member, active=True).first()


def _cards(matchmaking: Matchmaking, viewer_user, participants=None) -> list[Card]:
    """Cards of ``participants`` (a queryset; default: every active participant) in their
    order, in four queries plus those of ``organisation_data_batch``."""
    if participants is None:
        participants = matchmaking.participants.filter(active=True)
    participants = list(
        participants.select_related("member__user").order_by("member__display_name", "pk")
    )
    visible = set(
        MemberProfile.objects.visible_to(viewer_user)
        .filter(pk__in=[p.member_id for p in participants])
        .values_list("pk", flat=True)
    )
    data = {
        item.pk: item
        for item in organisation_data_batch(
            Organisation.objects.filter(
                pk__in=[p.organisation_id for p in participants if p.organisation_id]
            )
        )
    }
    cards = []
    for participant in participants:
        organisation = data.get(participant.organisation_id)
        if participant.member_id in visible:
            name = participant.member.name
        elif organisation is not None:
            name = _("A participant from %s") % organisation.name
        else:
            name = _("A participant")
        cards.append(Card(participant=participant, name=name, organisation=organisation))
    return cards


def _text_condition(q: str, viewer_user) -> Q:
    """Every word of ``q`` in the participant's offer or search, their organisation's name,
    sectors or technologies, or their name where the viewer may see it."""
    visible = MemberProfile.objects.visible_to(viewer_user).values("pk")
    condition = Q()
    for word in q.split():
        condition &= (
            Q(offer__icontains=word)
            | Q(looking_for__icontains=word)
            | Q(organisation__name__icontains=word)
            | Q(
                Exists(
                    Organisation.sectors.through.objects.filter(
                        organisation_id=OuterRef("organisation_id"),
                        sector__name__icontains=word,
                    )
                )
            )
            | Q(
                Exists(
                    TaggedOrganisationTechnology.objects.filter(
                        content_object_id=OuterRef("organisation_id"),
                        tag__name__icontains=word,
                    )
                )
            )
            | Q(
                Q(member__in=visible)
                & (
                    Q(member__display_name__icontains=word)
                    | Q(member__user__first_name__icontains=word)
                    | Q(member__user__last_name__icontains=word)
                )
            )
        )
    return condition


#: For each facet: the value and its name reached from a participant, and extra filter
#: keyword arguments on the same join (a label counts while it is valid).
_FACET_COLUMNS = {
    "country": ("organisation__country", None),
    "sector": ("organisation__sectors__slug", "organisation__sectors__name"),
    "technology": (
        "organisation__tagged_technologies__tag__slug",
        "organisation__tagged_technologies__tag__name",
    ),
    "label": ("organisation__labels__level", None),
}


def _facet_counts(facet: str, participants) -> tuple[dict[str, int], dict[str, str]]:
    """How many of ``participants`` (a queryset) have each value of ``facet``, and the
    values' names where the database holds them: one aggregate query."""
    value, name = _FACET_COLUMNS[facet]
    rows = participants.exclude(**{f"{value}__isnull": True})
    if facet == "label":
        rows = rows.filter(**current_label_filter("organisation__labels__"))
    rows = rows.order_by()
    if name is None:
        counted = rows.values(value).annotate(n=Count("pk", distinct=True))
        return {row[value]: row["n"] for row in counted}, {}
    counted = (
        rows.annotate(facet_name=in_active_language(name) if facet == "sector" else F(name))
        .values(value, "facet_name")
        .annotate(n=Count("pk", distinct=True))
    )
    return (
        {row[value]: row["n"] for row in counted},
        {row[value]: row["facet_name"] for row in counted},
    )


def _facet_names(facet: str, values: set[str], known: dict[str, str]) -> dict[str, str]:
    if facet == "country":
        return country_names(values)
    if facet == "label":
        return {level: str(label) for level, label in QualityLabel.Level.choices}
    missing = values - set(known)
    if not missing:
        return known
    # Only a ticked value that no participant has any more: named for its checkbox.
    named = Sector.objects if facet == "sector" else Tag.objects
    return {**known, **dict(named.filter(slug__in=missing).values_list("slug", "name"))}


def browse(
    *,
    matchmaking: Matchmaking,
    viewer_user,
    q: str = "",
    filters: dict[str, list[str]] | None = None,
) -> tuple[list[Card], dict[str, list[dict]]]:
    """The active participants matching the text ``q`` and the facet ``filters`` ({facet:
    values}, values of one facet or-ed, facets and-ed), and the facets: each value with how
    many participants it gives, as partner search counts them (a facet's own filter left
    out of its counts, ticked values always listed, labels best first).

    Filtered and counted in the database: one aggregate query per facet and the queries
    of ``_cards``, whatever the number of participants."""
    filters = {
        name: values for name, values in (filters or {}).items() if values and name in FACETS
    }
    texted = matchmaking.participants.filter(active=True).filter(_text_condition(q, viewer_user))
    conditions = {
        # The organisations that partner search's filter selects, so both agree.
        facet: Q(organisation__in=Organisation.objects.filter(facet_filter(facet, tuple(values))))
        for facet, values in filters.items()
    }

    def filtered(*, skip: str | None = None):
        queryset = texted
        for facet, condition in conditions.items():
            if facet != skip:
                queryset = queryset.filter(condition)
        return queryset

    facets = {}
    for facet in FACETS:
        counts, known = _facet_counts(facet, filtered(skip=facet))
        chosen = list(dict.fromkeys(filters.get(facet, [])))
        for value in chosen:
            counts.setdefault(value, 0)
        names = _facet_names(facet, set(counts), known)
        if facet == "label":
            order = {level: rank for rank, level in enumerate(reversed(LABEL_LEVELS))}
            ordered = sorted(counts.items(), key=lambda item: order.get(item[0], len(order)))
        else:
            ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        facets[facet] = [
            {
                "value": value,
                "name": names.get(value, value),
                "count": count,
                "checked": value in chosen,
            }
            for value, count in ordered
        ]
    return _cards(matchmaking, viewer_user, filtered()), facets


def card_of(*, participant: Participant, viewer_user) -> Card:
    """The card of one participant, as ``viewer_user`` sees it."""
    return _cards(
        participant.matchmaking, viewer_user, Participant.objects.filter(pk=participant.pk)
    )[0]


def suggestions(
    *, matchmaking: Matchmaking, viewer: Participant, viewer_user, limit: int = 10
) -> list[Card]:
    """Participants whose organisations complement the viewer's, best first, each with the
    reasons (search's like-matching: shared and complementary sectors and technologies,
    another country)."""
    cards = _cards(matchmaking, viewer_user)
    mine = next((c for c in cards if c.participant.pk == viewer.pk), None)
    if mine is None or mine.organisation is None:
        return []
    like = mine.organisation
    ranked = []
    for card in cards:
        other = card.organisation
        if card.participant.pk == viewer.pk or other is None or other.pk == like.pk:
            continue
        match = like_match(
            like,
            sectors=other.sector_slugs,
            technologies=other.technology_slugs,
            country=other.country,
        )
        if not match.shares_something:
            continue
        card.score = like_score(match)
        sector_names = dict(zip(other.sector_slugs, other.sector_names, strict=True))
        technology_names = dict(zip(other.technology_slugs, other.technology_names, strict=True))
        reasons = []
        if match.shared_technologies:
            reasons.append(
                _("Shares technologies: %s")
                % ", ".join(technology_names[s] for s in match.shared_technologies)
            )
        if match.shared_sectors:
            reasons.append(
                _("Shares sectors: %s") % ", ".join(sector_names[s] for s in match.shared_sectors)
            )
        complements = [sector_names[s] for s in match.complementary_sectors] + [
            technology_names[s] for s in match.complementary_technologies
        ]
        if complements:
            reasons.append(_("Brings: %s") % ", ".join(complements[:4]))
        if match.other_country:
            reasons.append(_("From another country: %s") % other.country_name)
        card.reasons = reasons
        ranked.append(card)
    ranked.sort(key=lambda card: (-card.score, card.name))
    return ranked[:limit]


def meetings_of(*, matchmaking: Matchmaking, member: MemberProfile):
    """The member's meetings at this event (every status), soonest first, requests last."""
    return (
        matchmaking.meetings.filter(Q(requester=member) | Q(recipient=member))
        .select_related("requester__user", "recipient__user", "slot", "table", "matchmaking__event")
        .order_by("slot__start", "-created", "pk")
    )


def agenda(*, matchmaking: Matchmaking, member: MemberProfile) -> list[Meeting]:
    """The member's accepted meetings, in time order."""
    return list(meetings_of(matchmaking=matchmaking, member=member).filter(status="accepted"))


def free_slots(*, meeting: Meeting) -> list[MeetingSlot]:
    """Slots in which neither side of ``meeting`` has a meeting yet and a table is free."""
    matchmaking = meeting.matchmaking
    busy = MeetingSeat.objects.filter(
        slot__matchmaking=matchmaking, member__in=[meeting.requester_id, meeting.recipient_id]
    ).values("slot_id")
    tables = matchmaking.tables.count()
    slots = matchmaking.slots.exclude(pk__in=busy).order_by("start")
    full = set(
        Meeting.objects.filter(slot__matchmaking=matchmaking, status="accepted")
        .values("slot_id")
        .annotate(n=Count("pk"))
        .filter(n__gte=tables)
        .values_list("slot_id", flat=True)
    )
    return [slot for slot in slots if slot.pk not in full]


def name_for(member: MemberProfile, viewer_user) -> str:
    """The member's name as ``viewer_user`` may see it (a hidden profile stays hidden)."""
    if viewer_user is not None and (
        viewer_user.is_staff
        or viewer_user.pk == member.user_id
        or member.visibility != MemberProfile.Visibility.HIDDEN
    ):
        return member.name
    return _("A participant (name hidden)")


def others_names(meetings, viewer_user, member: MemberProfile) -> None:
    """Set ``other_name`` and ``other_id`` on each meeting, for ``member``'s agenda."""
    for meeting in meetings:
        other = meeting.other(member)
        meeting.other_name = name_for(other, viewer_user)
        meeting.other_id = other.pk
        meeting.incoming = meeting.recipient_id == member.pk


@dataclass
class Figures:
    """The brokerage in numbers: meetings booked, held (booked and not marked no-show),
    the organisations and countries that met in them, and the meetings booked per slot."""

    accepted: int
    held: int
    no_shows: int
    organisations_met: int
    countries: list[str]
    per_slot: list[tuple[MeetingSlot, int]]


def figures(*, matchmaking: Matchmaking) -> Figures:
    """The ``Figures`` of ``matchmaking``, counted in the database (four queries)."""
    slots = list(matchmaking.slots.order_by("start"))
    accepted = matchmaking.meetings.filter(status=Meeting.Status.ACCEPTED)
    counts = dict(accepted.values("slot_id").annotate(n=Count("pk")).values_list("slot_id", "n"))
    held = accepted.filter(no_show=False)
    met = (
        matchmaking.participants.filter(active=True, organisation__isnull=False)
        .filter(
            Q(member__in=held.values("requester_id")) | Q(member__in=held.values("recipient_id"))
        )
        .values_list("organisation_id", "organisation__country")
        .distinct()
    )
    met = list(met)
    booked = sum(counts.values())
    held_count = held.count() if booked else 0
    return Figures(
        accepted=booked,
        held=held_count,
        no_shows=booked - held_count,
        organisations_met=len({organisation for organisation, _country in met}),
        countries=sorted({str(country) for _organisation, country in met if country}),
        per_slot=[(slot, counts.get(slot.pk, 0)) for slot in slots],
    )


@dataclass
class Overview:
    """What organisers see of a brokerage: the table plan per slot, who has no meeting
    yet, and the figures."""

    tables: list
    plan: list[tuple[MeetingSlot, list[Meeting | None]]]
    without_meeting: list[Participant]
    figures: Figures


def overview(*, matchmaking: Matchmaking) -> Overview:
    numbers = figures(matchmaking=matchmaking)
    slots = [slot for slot, _count in numbers.per_slot]
    tables = list(matchmaking.tables.order_by("sort_order", "pk"))
    accepted = list(
        matchmaking.meetings.filter(status="accepted").select_related(
            "requester__user", "recipient__user", "slot", "table"
        )
    )
    cell = {(m.slot_id, m.table_id): m for m in accepted}
    plan = [(slot, [cell.get((slot.pk, table.pk)) for table in tables]) for slot in slots]
    busy = {m.requester_id for m in accepted} | {m.recipient_id for m in accepted}
    participants = matchmaking.participants.filter(active=True).select_related(
        "member__user", "organisation"
    )
    return Overview(
        tables=tables,
        plan=plan,
        without_meeting=[p for p in participants if p.member_id not in busy],
        figures=numbers,
    )
