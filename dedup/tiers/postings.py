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
from collections.abc import Callable, Iterator, Sequence

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
_CHUNK = 1 << 19
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


def shingle_postings(sets: ShingleSets, units: Sequence[int]) -> Iterator[Postings]:
    """The postings of the shingle sets of ``units`` (indices into ``sets``; unit ``u`` of the
    result is ``units[u]``), one range of fingerprints at a time (``_PARTS`` of them): a
    range's sort holds an eighth of the corpus's shingles, not all of them at once."""
    arrays = [np.asarray(sets[i], dtype=np.uint32) for i in units]
    prints = np.concatenate(arrays) if arrays else np.empty(0, np.uint32)
    owner = _owners(arrays)
    del arrays
    for part in _partitions(prints):
        # One sort of (fingerprint, unit) keys: holders of one fingerprint come out in order.
        keys = np.sort((prints[part].astype(np.uint64) << _SHIFT) | owner[part].astype(np.uint64))
        yield _grouped((keys >> _SHIFT).astype(np.uint32), (keys & _LOW).astype(np.int64), None,
                       len(units))


def word_postings(store: WordSets, units: Sequence[int]) -> Iterator[Postings]:
    """The postings of the content words of ``units``, with each holder's first position, one
    range of words at a time."""
    arrays = [store[i] for i in units]
    keys = np.concatenate(arrays) if arrays else np.empty(0, np.uint64)
    owner = _owners(arrays)
    del arrays
    for part in _partitions((keys >> _SHIFT).astype(np.uint32)):
        mine = keys[part]
        order = np.argsort(((mine >> _SHIFT) << _SHIFT) | owner[part].astype(np.uint64))
        ordered = mine[order]
        yield _grouped((ordered >> _SHIFT).astype(np.uint32), owner[part][order].astype(np.int64),
                       (ordered & _LOW).astype(np.int64), len(units))


#: Fingerprint ranges sorted one at a time (by their top bits).
_PARTS = 8


def _partitions(prints: U32) -> Iterator[I64]:
    """The indices of ``prints`` in each of ``_PARTS`` ranges of values."""
    part = prints >> np.uint32(32 - _PARTS.bit_length() + 1)
    order = np.argsort(part, kind="stable")
    bounds = np.searchsorted(part[order], np.arange(_PARTS + 1))
    for at in range(_PARTS):
        yield order[bounds[at] : bounds[at + 1]]


def _owners(arrays: Sequence[U32] | Sequence[U64]) -> U32:
    """For the arrays concatenated, the index of the array each value came from."""
    sizes = np.fromiter((a.size for a in arrays), np.int64, len(arrays))
    return np.repeat(np.arange(len(arrays), dtype=np.uint32), sizes)


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


def above(parts: Sequence[Postings], cap: int) -> Postings:
    """The groups of more than ``cap`` holders (boilerplate) of all parts, as one Postings."""
    kept = [(p, np.flatnonzero(p.df > cap)) for p in parts]
    prints = np.concatenate([p.prints[g] for p, g in kept]) if kept else np.empty(0, np.uint32)
    df = np.concatenate([p.df[g] for p, g in kept]) if kept else np.empty(0, np.int64)
    holders = [p.holders[p.starts[i] : p.starts[i + 1]] for p, g in kept for i in g.tolist()]
    starts = np.zeros(df.size + 1, dtype=np.int64)
    np.cumsum(df, out=starts[1:])
    units = parts[0].units if parts else 0
    flat = np.concatenate(holders) if holders else np.empty(0, np.int64)
    return Postings(prints, df, starts, flat, units)


@attrs.frozen(eq=False)
class PairTotals:
    """Pairs of units (``a < b``) that share at least one fingerprint below the cap: how many
    they share and the summed weight of what they share."""

    a: I64
    b: I64
    count: I64
    weight: F64


def pair_totals(
    found: Postings, cap: int, weights: Callable[[I64], F64] | None = None
) -> tuple[I64, list[F64]]:
    """Every pair of units sharing a fingerprint of document frequency ``2..cap``, keyed
    ``a * units + b`` (sorted), with the number of such fingerprints and the sum of their
    ``weights`` (a function of document frequency; 1 each when None)."""
    parts = [
        _summed(key, [np.ones(key.size) if weights is None else weights(found.df[group])])
        for key, group, _, _ in _chunks(found, cap)
    ]
    return _merged(parts, 2)


def totals_of(parts: Sequence[tuple[I64, list[F64]]], units: int) -> PairTotals:
    """The ``pair_totals`` of several ranges of fingerprints, added up."""
    unique, (count, weight) = _merged(list(parts), 2)
    return PairTotals(unique // units, unique % units, count.astype(np.int64), weight)


def pair_order(parts: Sequence[Postings], cap: int, keys: I64) -> F64:
    """For the pairs keyed ``a * units + b`` in the sorted ``keys``: the correlation of where
    their shared fingerprints stand in ``a`` and in ``b`` (``found`` needs positions): near 1
    when both texts use the shared words in the same order; 0 when undefined."""
    sums = []
    for found in parts:
        if found.positions is None:
            raise ValueError("pair_order needs postings with positions")
        for key, _, first, second in _chunks(found, cap):
            at = np.minimum(np.searchsorted(keys, key), max(keys.size - 1, 0))
            wanted = keys[at] == key if keys.size else np.zeros(key.size, dtype=bool)
            x = found.positions[first[wanted]].astype(np.float64)
            y = found.positions[second[wanted]].astype(np.float64)
            sums.append(_summed(key[wanted], [x, y, x * y, x * x, y * y]))
    unique, moments = _merged(sums, 6)
    result = np.zeros(keys.size)
    result[np.searchsorted(keys, unique)] = correlation(*moments)
    return result


def correlation(n: F64, sx: F64, sy: F64, sxy: F64, sxx: F64, syy: F64) -> F64:
    """Pearson's correlation of positions from their sums (``n`` pairs of positions ``x, y``);
    0 where undefined (fewer than two distinct positions)."""
    cov = n * sxy - sx * sy
    spread = np.sqrt(np.maximum(n * sxx - sx * sx, 0) * np.maximum(n * syy - sy * sy, 0))
    order: F64 = np.divide(cov, spread, out=np.zeros(np.shape(n)), where=spread > 0)
    return order


def _summed(keys: I64, columns: list[F64]) -> tuple[I64, list[F64]]:
    """The distinct keys (sorted), how often each occurs, and each column summed per key: one
    sort and a ``bincount`` a column (``np.unique`` hashes int64 keys, slower here)."""
    order = np.argsort(keys)
    ordered = keys[order]
    first = np.r_[True, ordered[1:] != ordered[:-1]][: ordered.size]
    group = np.cumsum(first) - 1
    size = int(group[-1]) + 1 if group.size else 0
    sums = [np.bincount(group, minlength=size).astype(np.float64)]
    sums += [np.bincount(group, weights=c[order], minlength=size).astype(np.float64)
             for c in columns]
    distinct: I64 = ordered[first]
    return distinct, sums


def _merged(parts: list[tuple[I64, list[F64]]], width: int) -> tuple[I64, list[F64]]:
    """The parts' sums added up per key (the first column, a count, included)."""
    if not parts:
        return np.empty(0, np.int64), [np.empty(0) for _ in range(width)]
    keys = np.concatenate([k for k, _ in parts])
    columns = [np.concatenate([c[at] for _, c in parts]) for at in range(width)]
    unique, sums = _summed(keys, columns)
    return unique, sums[1:]


def _chunks(found: Postings, cap: int) -> Iterator[tuple[I64, I64, I64, I64]]:
    """Pair keys ``a * units + b`` of every group of ``2..cap`` holders, with each entry's group
    and where its two holders are in ``holders``, about ``_CHUNK`` entries at a time: the groups
    of one size together, their pairs made by one index table per size."""
    sizes = found.df
    for size in np.unique(sizes[(sizes >= 2) & (sizes <= cap)]).tolist():
        groups = np.flatnonzero(sizes == size)
        first, second = _pairs_within(size)
        per_chunk = max(1, _CHUNK // first.size)
        for start in range(0, groups.size, per_chunk):
            part = groups[start : start + per_chunk]
            at = found.starts[part][:, None] + np.arange(size)
            left, right = at[:, first].ravel(), at[:, second].ravel()
            key = found.holders[left] * found.units + found.holders[right]
            yield key, np.repeat(part, first.size), left, right


@functools.cache
def _pairs_within(size: int) -> tuple[I64, I64]:
    first, second = np.triu_indices(size, k=1)
    return first.astype(np.int64), second.astype(np.int64)
