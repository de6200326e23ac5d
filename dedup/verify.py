"""Candidate pairs → exact scores on the shingle sets → a relation, or nothing.

LSH only proposes; every reported pair is scored here on the actual shingle sets, so a pair
is never reported on an estimate.
"""

from __future__ import annotations

import itertools
from typing import Protocol

import attrs
import numpy as np
import numpy.typing as npt

from dedup.config import ScanConfig
from dedup.model import Containment, Relation
from dedup.normalization import normalize
from dedup.relations import RELATIONS, copy_codes, copy_relation
from dedup.shingling import shingle

#: Sorted, unique shingle hashes: 64-bit, or their top 32 bits as a ShingleStore keeps them.
Hashes = npt.NDArray[np.uint64] | npt.NDArray[np.uint32]
I64 = npt.NDArray[np.int64]


@attrs.frozen
class Overlap:
    """Exact overlap of two shingle sets."""

    jaccard: float
    containment: Containment


def intersection_size(a: Hashes, b: Hashes) -> int:
    """Size of the intersection of two sorted, unique arrays."""
    small, large = (a, b) if a.size <= b.size else (b, a)
    if small.size == 0:
        return 0
    where = np.searchsorted(large, small)
    where[where == large.size] = 0
    return int(np.count_nonzero(large[where] == small))


def overlap(a: Hashes, b: Hashes) -> Overlap:
    """Jaccard similarity and containment both ways of two sorted, unique shingle arrays."""
    return overlap_of_sizes(intersection_size(a, b), a.size, b.size)


def classify(
    score: Overlap, threshold: float, containment_threshold: float, min_jaccard: float = 0.0
) -> Relation | None:
    """The copy relation a verified overlap supports (``relations.copy_relation``), or None."""
    return copy_relation(score.jaccard, score.containment, threshold, containment_threshold,
                         min_jaccard)


class ShingleSets(Protocol):
    """Anything that gives document ``i``'s sorted, unique shingles as ``sets[i]``."""

    def __getitem__(self, index: int, /) -> Hashes: ...


def verify_pairs(
    candidates: npt.NDArray[np.int64],
    shingle_sets: ShingleSets,
    threshold: float,
    containment_threshold: float,
    min_jaccard: float = 0.0,
) -> list[tuple[int, int, Relation, Overlap]]:
    """The candidates that hold up on their shingle sets, with relation and scores."""
    pairs = candidates.reshape(-1, 2)
    shared, size_a, size_b = intersection_sizes(pairs, shingle_sets)
    # The relation of every pair in array arithmetic; score objects only for the kept ones.
    union = size_a + size_b - shared
    jaccard = np.divide(shared, union, out=np.ones(len(pairs)), where=union > 0)
    a_in_b = np.divide(shared, size_a, out=np.zeros(len(pairs)), where=size_a > 0)
    b_in_a = np.divide(shared, size_b, out=np.zeros(len(pairs)), where=size_b > 0)
    codes = copy_codes(jaccard, a_in_b, b_in_a, threshold, containment_threshold, min_jaccard)
    return [
        (int(pairs[index, 0]), int(pairs[index, 1]), RELATIONS[codes[index]],
         overlap_of_sizes(int(shared[index]), int(size_a[index]), int(size_b[index])))
        for index in np.flatnonzero(codes >= 0).tolist()
    ]


def intersection_sizes(
    pairs: npt.NDArray[np.int64], shingle_sets: ShingleSets
) -> tuple[I64, I64, I64]:
    """``intersection_size`` of every pair and the sizes of both sets, one numpy search per run
    of pairs that share their first document (LSH candidates come sorted, so that is one per
    document with candidates)."""
    shared = np.zeros(len(pairs), dtype=np.int64)
    size_a = np.zeros(len(pairs), dtype=np.int64)
    size_b = np.zeros(len(pairs), dtype=np.int64)
    if not len(pairs):
        return shared, size_a, size_b
    firsts = pairs[:, 0]
    starts = np.flatnonzero(np.r_[True, firsts[1:] != firsts[:-1]])
    stops = np.r_[starts[1:], len(pairs)]
    for start, stop in zip(starts.tolist(), stops.tolist(), strict=True):
        target = shingle_sets[int(firsts[start])]
        others = [shingle_sets[j] for j in pairs[start:stop, 1].tolist()]
        sizes = [other.size for other in others]
        size_a[start:stop] = target.size
        size_b[start:stop] = sizes
        if target.size and min(sizes):
            shared[start:stop] = _hits_per_array(target, others, sizes)
        elif target.size:
            shared[start:stop] = [intersection_size(target, other) for other in others]
    return shared, size_a, size_b


def _hits_per_array(target: Hashes, others: list[Hashes], sizes: list[int]) -> I64:
    """How many values of each (non-empty) array in ``others`` are in the sorted ``target``."""
    probe = np.concatenate(others)
    found = np.take(target, np.searchsorted(target, probe), mode="clip") == probe
    starts = [0, *itertools.accumulate(sizes[:-1])]
    hits: I64 = np.add.reduceat(found, starts, dtype=np.int64)
    return hits


def overlap_of_sizes(shared: int, size_a: int, size_b: int) -> Overlap:
    union = size_a + size_b - shared
    return Overlap(
        jaccard=shared / union if union else 1.0,
        containment=Containment(
            a_in_b=shared / size_a if size_a else 0.0,
            b_in_a=shared / size_b if size_b else 0.0,
        ),
    )


@attrs.frozen
class Comparison:
    """Two texts scored as a scan scores a pair: exact overlap and the relation it supports."""

    jaccard: float
    containment: Containment
    relation: Relation | None


def compare(text_a: str, text_b: str, config: ScanConfig = ScanConfig()) -> Comparison:
    """Score two texts with the scan's normalisation, shingles and relation rules (no LSH).

    ``relation`` is ``exact-duplicate`` for equal normalised texts, else what ``classify``
    gives, or None when the pair is not a copy by the configured thresholds.
    """
    normal_a = normalize(text_a, config.normalize)
    normal_b = normalize(text_b, config.normalize)
    spec = config.sketch.shingle
    score = overlap(shingle(normal_a, spec), shingle(normal_b, spec))
    if normal_a.tokens and normal_a.tokens == normal_b.tokens:
        relation: Relation | None = Relation.EXACT_DUPLICATE
    else:
        relation = classify(
            score, config.threshold, config.containment_threshold, config.min_jaccard
        )
    return Comparison(score.jaccard, score.containment, relation)
