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


def current_many(keys: tuple[str, ...]) -> tuple[int, ...]:
    """The generations counted under ``keys``, in their order, in one cache round trip
    (a new random one for each key that had none)."""
    found = cache.get_many(keys)
    return tuple(found[key] if key in found else current(key) for key in keys)


def saves_only(update_fields, fields: frozenset[str]) -> bool:
    """Whether a save wrote nothing but ``fields`` (a sign-in writes only ``last_login``)."""
    return bool(update_fields) and set(update_fields) <= fields


def advance_on_change(key: str, models, *, except_saves_of: frozenset[str] = frozenset()) -> None:
    """Move the generation under ``key`` on whenever a row of one of ``models`` is saved or
    deleted, or one of their many-to-many relations changes; not for a save that writes
    only fields of ``except_saves_of`` (bookkeeping no copy shows)."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    def advance_generation(update_fields=None, **kwargs) -> None:
        if not saves_only(update_fields, except_saves_of):
            advance(key)

    # weak=False: the receiver is a closure that nothing else keeps alive.
    for model in models:
        for signal, name in ((post_save, "saved"), (post_delete, "deleted")):
            uid = f"generation:{key}:{name}:{model._meta.label}"
            signal.connect(advance_generation, sender=model, weak=False, dispatch_uid=uid)
        for field in model._meta.many_to_many:
            through = field.remote_field.through
            uid = f"generation:{key}:m2m:{through._meta.label}"
            m2m_changed.connect(advance_generation, sender=through, weak=False, dispatch_uid=uid)
