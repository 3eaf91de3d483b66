"""Reads of matchmaking: the participants with partner search's facets, suggested matches
with their reasons (search's complementary matching), agendas and free slots."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from matchmaking.models import Matchmaking, Meeting, MeetingSeat, MeetingSlot, Participant
from members.models import MemberProfile, Organisation
from search.engines.base import country_names
from search.indexing import OrganisationData, organisation_data_batch
from search.ranking import like_match, like_score

FACETS = ("country", "sector", "technology")


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


def participant_of(matchmaking: Matchmaking, member: MemberProfile | None) -> Participant | None:
    if member is None:
        return None
    return matchmaking.participants.filter(member=member, active=True).first()


def _cards(matchmaking: Matchmaking, viewer_user) -> list[Card]:
    participants = list(
        matchmaking.participants.filter(active=True)
        .select_related("member__user")
        .order_by("member__display_name", "pk")
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


def _facet_values(card: Card, facet: str) -> list[str]:
    organisation = card.organisation
    if organisation is None:
        return []
    if facet == "country":
        return [organisation.country] if organisation.country else []
    if facet == "sector":
        return organisation.sector_slugs
    return organisation.technology_slugs


def _facet_names(cards: list[Card], facet: str) -> dict[str, str]:
    if facet == "country":
        codes = {code for card in cards for code in _facet_values(card, facet)}
        return country_names(codes)
    names = {}
    for card in cards:
        if card.organisation is None:
            continue
        if facet == "sector":
            names.update(
                zip(card.organisation.sector_slugs, card.organisation.sector_names, strict=True)
            )
        else:
            names.update(
                zip(
                    card.organisation.technology_slugs,
                    card.organisation.technology_names,
                    strict=True,
                )
            )
    return names


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
    out of its counts)."""
    filters = {name: values for name, values in (filters or {}).items() if values}
    cards = _cards(matchmaking, viewer_user)
    words = [word.casefold() for word in q.split()]

    def text_match(card: Card) -> bool:
        if not words:
            return True
        organisation = card.organisation
        haystack = " ".join(
            [
                card.name,
                card.participant.offer,
                card.participant.looking_for,
                organisation.name if organisation else "",
                " ".join(organisation.sector_names) if organisation else "",
                " ".join(organisation.technology_names) if organisation else "",
            ]
        ).casefold()
        return all(word in haystack for word in words)

    def passes(card: Card, *, skip: str | None = None) -> bool:
        return all(
            set(values) & set(_facet_values(card, name))
            for name, values in filters.items()
            if name != skip
        )

    texted = [card for card in cards if text_match(card)]
    facets = {}
    for facet in FACETS:
        counts = Counter(
            value
            for card in texted
            if passes(card, skip=facet)
            for value in _facet_values(card, facet)
        )
        names = _facet_names(texted, facet)
        chosen = set(filters.get(facet, []))
        facets[facet] = [
            {
                "value": value,
                "name": names.get(value, value),
                "count": count,
                "checked": value in chosen,
            }
            for value, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        ]
    return [card for card in texted if passes(card)], facets


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
class Overview:
    """What organisers see of a brokerage: the table plan per slot, who has no meeting
    yet, and the figures after the event."""

    slots: list[MeetingSlot]
    tables: list
    plan: list[tuple[MeetingSlot, list[Meeting | None]]]
    without_meeting: list[Participant]
    accepted: int
    held: int
    no_shows: int
    organisations_met: int
    countries: list[str]
    per_slot: list[tuple[MeetingSlot, int]]


def overview(*, matchmaking: Matchmaking) -> Overview:
    slots = list(matchmaking.slots.order_by("start"))
    tables = list(matchmaking.tables.order_by("sort_order", "pk"))
    accepted = list(
        matchmaking.meetings.filter(status="accepted").select_related(
            "requester__user", "recipient__user", "slot", "table"
        )
    )
    cell = {(m.slot_id, m.table_id): m for m in accepted}
    plan = [(slot, [cell.get((slot.pk, table.pk)) for table in tables]) for slot in slots]
    busy = {m.requester_id for m in accepted} | {m.recipient_id for m in accepted}
    participants = list(
        matchmaking.participants.filter(active=True).select_related("member__user", "organisation")
    )
    organisation_of = {p.member_id: p.organisation for p in participants}
    held = [m for m in accepted if not m.no_show]
    organisations = {
        organisation_of[member_id].pk
        for m in held
        for member_id in (m.requester_id, m.recipient_id)
        if organisation_of.get(member_id) is not None
    }
    countries = sorted(
        {
            str(organisation_of[member_id].country)
            for m in held
            for member_id in (m.requester_id, m.recipient_id)
            if organisation_of.get(member_id) is not None and organisation_of[member_id].country
        }
    )
    counts = Counter(m.slot_id for m in accepted)
    return Overview(
        slots=slots,
        tables=tables,
        plan=plan,
        without_meeting=[p for p in participants if p.member_id not in busy],
        accepted=len(accepted),
        held=len(held),
        no_shows=len(accepted) - len(held),
        organisations_met=len(organisations),
        countries=countries,
        per_slot=[(slot, counts.get(slot.pk, 0)) for slot in slots],
    )
