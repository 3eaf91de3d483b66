"""How partner search ranks: the one definition every engine builds its scoring from.

A partner search orders its results by, in turn:

1. with ``like`` (the organisation whose partners are sought), the like score below;
2. text relevance, where a word in the name counts more than one in the sectors and
   technologies, which counts more than one in the description or the place
   (``TEXT_WEIGHTS``);
3. the best label valid today (gold > silver > bronze);
4. profile completeness;
5. the name.

The like score of an organisation: ``SHARED_TECHNOLOGY`` per technology it has in common
with ``like``, ``SHARED_SECTOR`` per sector in common, ``OTHER_COUNTRY`` when it is in
another country (partners abroad are what the club is for), and ``COMPLEMENT`` per
complementary item, counting at most ``COMPLEMENTS_COUNTED``: a sector ``like`` lacks in
an organisation sharing a technology (the technology applied elsewhere), or a technology
``like`` lacks in an organisation sharing a sector (what a partner would bring). Only
organisations sharing a sector or a technology are listed, never ``like`` itself.

The database engines compute it in SQL, and the Elasticsearch engine in a sort script, from
these constants; ``like_score`` is the same rule over one organisation in Python, which the
contract test (tests/search/test_ranking_contract.py) holds every engine to.
"""

from collections.abc import Sequence
from typing import NamedTuple

#: Added for each technology an organisation has in common with ``like``.
SHARED_TECHNOLOGY = 3.0
#: Added for each sector in common.
SHARED_SECTOR = 2.0
#: Added when the organisation is in another country than ``like``.
OTHER_COUNTRY = 1.5
#: Added for each complementary sector or technology, ...
COMPLEMENT = 0.5
#: ... of which this many count at most.
COMPLEMENTS_COUNTED = 4
#: The most that complements add to a like score.
LIKE_COMPLEMENTS_AT_MOST = COMPLEMENT * COMPLEMENTS_COUNTED

#: Text relevance of a word by where it occurs: the organisation's name; its sectors,
#: technologies and value chains ("topics"); its description and place ("body"). These
#: are PostgreSQL's weights A, B and C (its defaults, which ``ts_rank`` is given
#: explicitly), and Elasticsearch's field boosts in the same proportions.
TEXT_WEIGHTS = {"name": 1.0, "topics": 0.4, "body": 0.2}
#: PostgreSQL's ``ts_rank`` weights array, in its order {D, C, B, A} (D is unused).
TS_RANK_WEIGHTS = [0.1, TEXT_WEIGHTS["body"], TEXT_WEIGHTS["topics"], TEXT_WEIGHTS["name"]]


def text_boost(part: str) -> float:
    """An Elasticsearch field boost: the weight of ``part`` relative to the body's."""
    return TEXT_WEIGHTS[part] / TEXT_WEIGHTS["body"]


class LikeMatch(NamedTuple):
    """What an organisation has in common with ``like``, and what it adds (slugs, in the
    order given)."""

    shared_sectors: list[str]
    shared_technologies: list[str]
    complementary_sectors: list[str]
    complementary_technologies: list[str]
    other_country: bool

    @property
    def shares_something(self) -> bool:
        """Whether the organisation can be listed at all in a like-search."""
        return bool(self.shared_sectors or self.shared_technologies)


def like_match(
    like, *, sectors: Sequence[str], technologies: Sequence[str], country: str
) -> LikeMatch:
    """How an organisation with these ``sectors`` and ``technologies`` (slugs) in
    ``country`` matches ``like`` (an ``OrganisationData``)."""
    shared_sectors = [slug for slug in sectors if slug in like.sector_slugs]
    shared_technologies = [slug for slug in technologies if slug in like.technology_slugs]
    return LikeMatch(
        shared_sectors=shared_sectors,
        shared_technologies=shared_technologies,
        complementary_sectors=[slug for slug in sectors if slug not in like.sector_slugs]
        if shared_technologies
        else [],
        complementary_technologies=[
            slug for slug in technologies if slug not in like.technology_slugs
        ]
        if shared_sectors
        else [],
        other_country=country != like.country,
    )


def like_score_of(
    *, shared_technologies: int, shared_sectors: int, other_country: bool, complements: int = 0
) -> float:
    """The like score from its counts."""
    return (
        SHARED_TECHNOLOGY * shared_technologies
        + SHARED_SECTOR * shared_sectors
        + (OTHER_COUNTRY if other_country else 0.0)
        + COMPLEMENT * min(complements, COMPLEMENTS_COUNTED)
    )


def like_score(match: LikeMatch) -> float:
    """The like score of an organisation that matches ``like`` as ``match`` says."""
    return like_score_of(
        shared_technologies=len(match.shared_technologies),
        shared_sectors=len(match.shared_sectors),
        other_country=match.other_country,
        complements=len(match.complementary_sectors) + len(match.complementary_technologies),
    )
