"""Generations of cached data.

A generation is a counter kept in the cache and written into the key of everything stored
under it. Moving it on makes all of those entries stale at once, without listing or deleting
keys; the stale entries expire on their own.
"""

from django.core.cache import cache


def current(key: str) -> int:
    """The generation counted under ``key`` (1 when none was counted yet)."""
    generation = cache.get(key)
    if generation is None:
        cache.add(key, 1, timeout=None)
        generation = cache.get(key, 1)
    return generation


def advance(key: str) -> None:
    """Move the generation under ``key`` on: whatever was stored under it is stale."""
    try:
        cache.incr(key)
    except ValueError:  # no generation yet: nothing was stored under one
        cache.add(key, 1, timeout=None)
