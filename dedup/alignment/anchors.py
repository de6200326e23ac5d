"""Anchors and seeds: where two token sequences share a word n-gram.

An anchor is a pair of positions ``(i, j)`` where the n-gram starting at word ``i`` of A equals
the n-gram starting at word ``j`` of B (by the pipeline's n-gram hashes). Consecutive anchors on
one diagonal (``j - i`` constant) merge into a *seed*: a maximal run of equal words at least
``n`` long. Everything here is array arithmetic, so the cost is near-linear in the text length.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from dedup.shingling import ngram_hashes

U64 = npt.NDArray[np.uint64]
I64 = npt.NDArray[np.int64]


class Seed(NamedTuple):
    """A run of ``length`` equal words at word ``a`` of A and word ``b`` of B."""

    a: int
    b: int
    length: int


def _rare_positions(grams: U64, max_occurrences: int) -> I64:
    """Positions whose n-gram occurs at most ``max_occurrences`` times in its own text."""
    _, inverse, counts = np.unique(grams, return_inverse=True, return_counts=True)
    return np.flatnonzero(counts[inverse] <= max_occurrences).astype(np.int64)


def anchors(ha: U64, hb: U64, n: int, max_occurrences: int) -> tuple[I64, I64]:
    """Positions ``(i, j)`` of every shared word n-gram, rare n-grams only.

    An n-gram found more than ``max_occurrences`` times in either text is left out: a run of one
    word repeated 100,000 times would otherwise give 10^10 anchors. So the anchor count is at most
    ``max_occurrences`` times the length of A.
    """
    if ha.size < n or hb.size < n:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty
    grams_a, grams_b = ngram_hashes(ha, n), ngram_hashes(hb, n)
    keep_a = _rare_positions(grams_a, max_occurrences)
    keep_b = _rare_positions(grams_b, max_occurrences)
    order = keep_b[np.argsort(grams_b[keep_b], kind="stable")]
    sorted_b = grams_b[order]
    wanted = grams_a[keep_a]
    lo = np.searchsorted(sorted_b, wanted, side="left")
    hi = np.searchsorted(sorted_b, wanted, side="right")
    counts = hi - lo
    # Each A position repeats once per matching B position; ``within`` numbers those repeats.
    a_pos = np.repeat(keep_a, counts)
    starts = np.repeat(lo, counts)
    within = np.arange(a_pos.size, dtype=np.int64) - np.repeat(np.cumsum(counts) - counts, counts)
    b_pos = order[starts + within].astype(np.int64)
    return a_pos, b_pos


def seeds(ha: U64, hb: U64, n: int, max_occurrences: int) -> list[Seed]:
    """Maximal runs of shared n-grams along diagonals, sorted by position in A, then in B."""
    a_pos, b_pos = anchors(ha, hb, n, max_occurrences)
    if a_pos.size == 0:
        return []
    diagonal = b_pos - a_pos
    order = np.lexsort((a_pos, diagonal))
    a_pos, diagonal = a_pos[order], diagonal[order]
    # A seed breaks where the diagonal changes or the next anchor on it is not the next word.
    breaks = np.flatnonzero((np.diff(diagonal) != 0) | (np.diff(a_pos) != 1)) + 1
    first = np.concatenate(([0], breaks))
    last = np.concatenate((breaks - 1, [a_pos.size - 1]))
    starts, ends = a_pos[first], a_pos[last] + n
    b_starts = starts + diagonal[first]
    by_position = np.lexsort((b_starts, starts))
    return [
        Seed(a, b, end - a)
        for a, b, end in zip(
            starts[by_position].tolist(),
            b_starts[by_position].tolist(),
            ends[by_position].tolist(),
            strict=True,
        )
    ]
