"""Facet counts of the database engine on PostgreSQL, from bitsets held in memory.

Counting the facets of a broad search in SQL means unnesting the sector and technology
values of every matching entry: the largest part of a broad search, whatever the SQL looks
like (bench/README.md has the figures). Search engines count facets from
per-value sets of documents instead (Lucene's doc values, Solr's UnInvertedField); so does
this module: for every facet value, the set of organisations that have it, as a Python
integer whose bit ``n`` stands for organisation ``n``. The count of a value within a search
is then the popcount of one AND (a few microseconds), and disjunctive facets are ANDs and
ORs of those sets.

The sets are built from the search entries' copies of the facet values in one query, once
per index generation (every indexing change moves it on, see ``database``), and kept in
this process and in the shared cache, so that one process builds them and the others load
them.
"""

import re
import threading
from typing import NamedTuple

from django.core.cache import cache
from django.db import connection

from caching import generations
from search.engines.base import FACETS

#: How long the shared cache keeps one generation's sets (a new generation replaces them).
SHARED_SECONDS = 3600


def bits_of(pks) -> int:
    """The set of ``pks`` as an integer: bit ``n`` is set for organisation ``n``."""
    pks = list(pks)
    if not pks:
        return 0
    flags = bytearray((max(pks) >> 3) + 1)
    for pk in pks:
        flags[pk >> 3] |= 1 << (pk & 7)
    return int.from_bytes(flags, "little")


#: Each facet's values, one row per organisation and value (as ``v``).
_VALUES_SQL = {
    "country": "(SELECT organisation_id, country AS v FROM search_organisationindexentry"
    " WHERE country <> '') countries",
    "sector": "search_organisationindexentry, jsonb_array_elements_text(sectors) v",
    "technology": "search_organisationindexentry, jsonb_array_elements_text(technologies) v",
    "label": "search_organisationindexentry, jsonb_array_elements_text(labels) v",
}


_BITS_OF_BYTE = [tuple(bit for bit in range(8) if byte >> bit & 1) for byte in range(256)]
_SET_BYTE = re.compile(rb"[^\x00]")


def pks_of(bits: int) -> list[int]:
    """The organisations of a set, in increasing order."""
    found = []
    data = bits.to_bytes((bits.bit_length() + 7) // 8, "little")
    for byte in _SET_BYTE.finditer(data):  # skips the empty bytes in C
        base = byte.start() << 3
        found.extend([base + bit for bit in _BITS_OF_BYTE[data[byte.start()]]])
    return found


def sql_array(pks) -> str:
    """``pks`` as a PostgreSQL array literal: one string parameter, where the driver adapts
    a list of thousands element by element (see bench/README.md)."""
    return "{" + ",".join(map(str, pks)) + "}"


class FacetBitsets:
    """Every searchable organisation (``everything``) and, per facet and value, the
    organisations that have that value (``values[facet][value]``)."""

    def __init__(self, everything: int, values: dict[str, dict[str, int]]):
        self.everything = everything
        self.values = values

    @classmethod
    def build(cls) -> "FacetBitsets":
        """Reads the facet values of every search entry (the same copies the SQL filters
        read, so both agree on what an organisation has), grouped by value in SQL."""
        listed = " UNION ALL ".join(
            f"SELECT '{facet}', v, array_agg(organisation_id) FROM {values} GROUP BY v"  # noqa: S608
            for facet, values in _VALUES_SQL.items()
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"{listed} UNION ALL"  # noqa: S608 (this module's constants only)
                " SELECT '', '', array_agg(organisation_id) FROM search_organisationindexentry"
            )
            rows = cursor.fetchall()
        values = {facet: {} for facet in FACETS}
        everything = 0
        for facet, value, pks in rows:
            if facet:
                values[facet][value] = bits_of(pks)
            else:
                everything = bits_of(pks or ())
        return cls(everything=everything, values=values)

    def patched(self, pks) -> "FacetBitsets":
        """A copy in which the organisations ``pks`` are as their entries are now (or gone
        with them): a few big-integer operations per value and one small query, where a
        build reads every entry (bench/README.md compares the two)."""
        keep = ~bits_of(pks)
        everything = self.everything & keep
        values = {
            facet: {value: having & keep for value, having in known.items() if having & keep}
            for facet, known in self.values.items()
        }
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT organisation_id, array_remove(ARRAY[country::text], ''),"
                " ARRAY(SELECT jsonb_array_elements_text(sectors)),"
                " ARRAY(SELECT jsonb_array_elements_text(technologies)),"
                " ARRAY(SELECT jsonb_array_elements_text(labels))"
                " FROM search_organisationindexentry WHERE organisation_id = ANY(%s::bigint[])",
                [sql_array(pks)],
            )
            for pk, *per_facet in cursor.fetchall():
                bit = 1 << pk
                everything |= bit
                for facet, facet_values in zip(FACETS, per_facet, strict=True):
                    for value in facet_values:
                        values[facet][value] = values[facet].get(value, 0) | bit
        return FacetBitsets(everything=everything, values=values)

    def any_of(self, facet: str, values) -> int:
        """The organisations with at least one of ``values`` in ``facet``."""
        found = 0
        for value in values:
            found |= self.values[facet].get(value, 0)
        return found

    def counts(self, facet: str, within: int) -> dict[str, int]:
        """How many organisations of ``within`` have each value of ``facet`` (values that
        none of them has are left out, as SQL's GROUP BY leaves them out)."""
        counted = {}
        if within:
            for value, having in self.values[facet].items():
                n = (within & having).bit_count()
                if n:
                    counted[value] = n
        return counted


def counted(sets) -> list[int]:
    """For each organisation, how many of ``sets`` hold it, as binary digits: bit ``n`` of
    the ``i``-th returned integer is digit ``i`` of organisation ``n``'s count (a ripple
    adder over whole sets: a few big-integer operations per set, whatever their size)."""
    digits: list[int] = []
    for carry in sets:
        for i, digit in enumerate(digits):
            digits[i], carry = digit ^ carry, digit & carry
            if not carry:
                break
        if carry:
            digits.append(carry)
    return digits


def exactly(digits: list[int], n: int, within: int) -> int:
    """The organisations of ``within`` whose count (from ``counted``) is ``n``."""
    if n >> len(digits):
        return 0
    found = within
    for i, digit in enumerate(digits):
        found &= digit if n >> i & 1 else ~digit
    return found


#: How many indexing changes a process catches up on by patching its sets, rather than
#: loading or building the current ones.
PATCHED_CHANGES_AT_MOST = 50
#: How many organisations one change may list for the sets to be patched (one small query
#: and a few integer operations per organisation); past it the sets are read again.
PATCHED_ORGANISATIONS_AT_MOST = 2000


class Held(NamedTuple):
    """The sets this process holds, and the index generation they are of."""

    generation: int
    bitsets: FacetBitsets


_lock = threading.Lock()
_held: Held | None = None


def _shared_key(generation: int) -> str:
    return f"search:database:facet-bitsets:{generation}"


def _changed_key(generation: int) -> str:
    return f"search:database:facet-bitsets-changed:{generation}"


def record_change(generation: int, pks) -> None:
    """Notes the organisations whose entries the change to ``generation`` wrote."""
    cache.set(_changed_key(generation), list(pks), SHARED_SECONDS)


def current(generation_key: str) -> FacetBitsets:
    """The sets of the index's current generation: from this process's memory, else from
    the shared cache, else patched from the ones this process holds (when every change
    since is known), else built; shared in the cache for the other processes."""
    global _held
    generation = generations.current(generation_key)
    held = _held
    if held is not None and held.generation == generation:
        return held.bitsets
    with _lock:
        if _held is not None and _held.generation == generation:
            return _held.bitsets
        bitsets = cache.get(_shared_key(generation))
        if bitsets is None:
            bitsets = _patched(_held, generation) if _held is not None else None
            if bitsets is None:
                bitsets = FacetBitsets.build()
            cache.set(_shared_key(generation), bitsets, SHARED_SECONDS)
        _held = Held(generation, bitsets)
        return bitsets


def _patched(held: Held, generation: int) -> FacetBitsets | None:
    if not 0 < generation - held.generation <= PATCHED_CHANGES_AT_MOST:
        return None
    keys = [_changed_key(g) for g in range(held.generation + 1, generation + 1)]
    changes = cache.get_many(keys)
    if len(changes) != len(keys):  # a change that listed nothing (a rebuild), or expired
        return None
    return held.bitsets.patched({pk for pks in changes.values() for pk in pks})
