"""Reads across the forum's relations that several surfaces share (the API, the HTML pages,
the consumers and the services' answers)."""

from collections.abc import Iterable

from forum.models import Post, Reaction


def count_reactions(reactions: Iterable[Reaction]) -> dict[str, int]:
    """Each reaction kind, with how many of ``reactions`` are of it (zero included)."""
    counts = dict.fromkeys(Reaction.Kind.values, 0)
    for reaction in reactions:
        counts[reaction.kind] += 1
    return counts


def reaction_counts(post: Post) -> dict[str, int]:
    """The counts of ``post``'s reactions by kind. Reads the prefetched reactions when the
    caller prefetched them (``prefetch_related("reactions")``), so a page of posts costs
    one query, not one per post."""
    return count_reactions(post.reactions.all())
