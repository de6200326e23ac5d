"""Postings of fingerprints → the pairs of units that share them, with what they share.

Every unit (a copy family's representative) yields each fingerprint once: its word 5-gram
shingles, or its content words. Sorting all of them groups the units that hold a fingerprint;
a group of ``2 ≤ df ≤ cap`` units pairs its members, and a pair's shared fingerprints are then
counted (or weighed) by one ``bincount`` over all groups. No pair is aligned to find out what it
shares, and a pair's figures depend only on the two units and the document frequencies of what
they share: adding documents that share nothing with them never changes them.

A fingerprint held by more than ``cap`` units is *boilerplate* (page furniture, a template's
fixed words, a word every story uses): it is never evidence that two texts are related, and it
costs nothing, since its group pairs no one.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence

import attrs
import numpy as np
import numpy.typing as npt

from dedup.tiers.words import WordSets
from dedup.verify import ShingleSets

U32 = npt.NDArray[np.uint32]
U64 = npt.NDArray[np.uint64]
I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]

#: Pair entries emitted per step: bounds the temporary arrays of a large corpus.
_CHUNK = 1 << 22
_LOW = np.uint64(0xFFFFFFFF)
_SHIFT = np.uint64(32)


@attrs.frozen(eq=False)
class Postings:
    """The fingerprints held by at least two units, sorted, each with its holders.

    ``holders[starts[g]:starts[g + 1]]`` are the units (ascending) of group ``g``, whose
    fingerprint is ``prints[g]`` and document frequency ``df[g]``; ``positions``, when known,
    says where each holder has it (content words: the first token that is the word).
    """

    prints: U32
    df: I64
    starts: I64
    holders: I64
    units: int
    positions: I64 | None = None


def shingle_postings(sets: ShingleSets, units: Sequence[int]) -> Postings:
    """The postings of the shingle sets of ``units`` (indices into ``sets``); unit ``u`` of the
    result is ``units[u]``."""
    prints, owner = _flat([np.asarray(sets[i], dtype=np.uint32) for i in units])
    # One sort of (fingerprint, unit) keys: holders of one fingerprint come out in unit order.
    keys = np.sort((prints.astype(np.uint64) << _SHIFT) | owner.astype(np.uint64))
    return _grouped((keys >> _SHIFT).astype(np.uint32), (keys & _LOW).astype(np.int64), None,
                    len(units))


def word_postings(store: WordSets, units: Sequence[int]) -> Postings:
    """The postings of the content words of ``units``, with each holder's first position."""
    keys, owner = _flat([store[i] for i in units])
    order = np.argsort(((keys >> _SHIFT) << _SHIFT) | owner.astype(np.uint64))
    ordered = keys[order]
    return _grouped((ordered >> _SHIFT).astype(np.uint32), owner[order],
                    (ordered & _LOW).astype(np.int64), len(units))


def _flat(arrays: Sequence[npt.NDArray[np.uint32] | U64]) -> tuple[U64, I64]:
    sizes = np.fromiter((a.size for a in arrays), np.int64, len(arrays))
    flat = np.concatenate(arrays) if arrays else np.empty(0, np.uint64)
    return flat.astype(np.uint64, copy=False), np.repeat(np.arange(len(arrays)), sizes)


def _grouped(prints: U32, owner: I64, positions: I64 | None, units: int) -> Postings:
    """Sorted prints with their owners → the groups of two or more holders."""
    first = np.flatnonzero(np.r_[True, prints[1:] != prints[:-1]][: prints.size])
    df = np.diff(np.r_[first, prints.size]).astype(np.int64)
    shared = df >= 2
    keep = np.repeat(shared, df)
    starts = np.zeros(int(shared.sum()) + 1, dtype=np.int64)
    np.cumsum(df[shared], out=starts[1:])
    where = None if positions is None else positions[keep]
    return Postings(prints[first[shared]], df[shared], starts, owner[keep], units, where)


@attrs.frozen(eq=False)
class PairTotals:
    """Pairs of units (``a < b``) that share at least one fingerprint below the cap: how many
    they share, the summed weight of what they share, and (with positions) the correlation of
    where the shared fingerprints stand in ``a`` and in ``b``: near 1 when both texts tell
    the shared words in the same order."""

    a: I64
    b: I64
    count: I64
    weight: F64
    order: F64


def pair_totals(found: Postings, cap: int, weights: F64 | None = None) -> PairTotals:
    """Every pair of units sharing a fingerprint of document frequency ``2..cap``, the number of
    such fingerprints and the sum of their ``weights`` (one per group; 1 each when None)."""
    reduced: list[tuple[I64, list[F64]]] = []
    pending: list[tuple[I64, list[F64]]] = []
    held = 0
    for entries in _pair_entries(found, cap, weights):
        pending.append(entries)
        held += entries[0].size
        if held >= _CHUNK:
            reduced.append(_summed(pending))
            pending, held = [], 0
    reduced.append(_summed(pending))
    unique, total = _summed(reduced)
    if not unique.size:
        empty = np.empty(0, np.int64)
        return PairTotals(empty, empty, empty, np.empty(0), np.empty(0))
    order = _correlation(total[2:]) if len(total) > 2 else np.zeros(unique.size)
    units = found.units
    return PairTotals(unique // units, unique % units, total[0].astype(np.int64), total[1],
                      order)


def _summed(parts: list[tuple[I64, list[F64]]]) -> tuple[I64, list[F64]]:
    """The parts' keys, distinct and sorted, with each column summed per key: one sort and a
    ``bincount`` a column (``np.unique`` hashes int64 keys, several times slower here)."""
    if not parts:
        return np.empty(0, np.int64), []
    keys = np.concatenate([k for k, _ in parts])
    order = np.argsort(keys)
    ordered = keys[order]
    first = np.r_[True, ordered[1:] != ordered[:-1]][: ordered.size]
    group = np.cumsum(first) - 1
    size = int(group[-1]) + 1 if group.size else 0
    columns: list[F64] = [
        np.bincount(group, weights=np.concatenate([c[at] for _, c in parts])[order],
                    minlength=size).astype(np.float64)
        for at in range(len(parts[0][1]))
    ]
    distinct: I64 = ordered[first]
    return distinct, columns


def _correlation(sums: list[F64]) -> F64:
    """Pearson correlation from the columns ``n, Σx, Σy, Σxy, Σx², Σy²`` (0 when undefined)."""
    n, sx, sy, sxy, sxx, syy = sums
    cov = n * sxy - sx * sy
    spread = np.sqrt(np.maximum(n * sxx - sx * sx, 0) * np.maximum(n * syy - sy * sy, 0))
    result: F64 = np.divide(cov, spread, out=np.zeros(n.size), where=spread > 0)
    return result


def _pair_entries(
    found: Postings, cap: int, weights: F64 | None
) -> Iterator[tuple[I64, list[F64]]]:
    """Pair keys ``a * units + b`` of every group of ``2..cap`` holders with the columns to sum
    per pair (1, the group's weight, and with positions the order sums), a chunk at a time:
    the groups of one size together, their pairs made by one index table per size."""
    sizes = found.df
    for size in np.unique(sizes[(sizes >= 2) & (sizes <= cap)]).tolist():
        groups = np.flatnonzero(sizes == size)
        first, second = _pairs_within(size)
        per_chunk = max(1, _CHUNK // first.size)
        for start in range(0, groups.size, per_chunk):
            part = groups[start : start + per_chunk]
            at = found.starts[part][:, None] + np.arange(size)
            members = found.holders[at]
            key = (members[:, first] * found.units + members[:, second]).ravel()
            weight = np.ones(part.size) if weights is None else weights[part]
            columns = [np.ones(key.size), np.repeat(weight, first.size)]
            if found.positions is not None:
                columns += _order_columns(found.positions[at], first, second)
            yield key, columns


def _order_columns(positions: I64, first: I64, second: I64) -> list[F64]:
    x = positions[:, first].ravel().astype(np.float64)
    y = positions[:, second].ravel().astype(np.float64)
    return [np.ones(x.size), x, y, x * y, x * x, y * y]


@functools.cache
def _pairs_within(size: int) -> tuple[I64, I64]:
    first, second = np.triu_indices(size, k=1)
    return first.astype(np.int64), second.astype(np.int64)
