"""Generations of cached data.

A generation is a counter kept in the cache and written into the key of everything stored
under it. Moving it on makes all of those entries stale at once, without listing or deleting
keys; the stale entries expire on their own.

A counter starts at a random number, not at 1: after the cache is emptied (a Redis restart,
a flush between tests), a process that remembers something under an old generation must
not take the new counter for the same one.
"""

import secrets

from django.core.cache import cache


def current(key: str) -> int:
    """The generation counted under ``key`` (a new random one when none was counted yet)."""
    generation = cache.get(key)
    if generation is None:
        first = _first()
        cache.add(key, first, timeout=None)
        generation = cache.get(key, first)
    return generation


def advance(key: str) -> int | None:
    """Move the generation under ``key`` on: whatever was stored under it is stale.
    Returns the new generation, or None when there was none yet."""
    try:
        return cache.incr(key)
    except ValueError:  # no generation yet: nothing was stored under one
        cache.add(key, _first(), timeout=None)
        return None


def _first() -> int:
    return secrets.randbits(48)
