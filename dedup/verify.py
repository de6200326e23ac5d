"""Candidate pairs → exact scores on the shingle sets → a relation, or nothing.

LSH only proposes; every reported pair is scored here on the actual shingle sets, so a pair
is never reported on an estimate.
"""

from __future__ import annotations

from typing import Protocol

import attrs
import numpy as np
import numpy.typing as npt

from dedup.config import ScanConfig
from dedup.model import Containment, Relation
from dedup.normalize import normalize
from dedup.shingle import shingle

U64 = npt.NDArray[np.uint64]
I64 = npt.NDArray[np.int64]


@attrs.frozen
class Overlap:
    """Exact overlap of two shingle sets."""

    jaccard: float
    containment: Containment


def intersection_size(a: U64, b: U64) -> int:
    """Size of the intersection of two sorted, unique arrays."""
    small, large = (a, b) if a.size <= b.size else (b, a)
    if small.size == 0:
        return 0
    where = np.searchsorted(large, small)
    where[where == large.size] = 0
    return int(np.count_nonzero(large[where] == small))


def overlap(a: U64, b: U64) -> Overlap:
    """Jaccard similarity and containment both ways of two sorted, unique shingle arrays."""
    return _overlap_of_sizes(intersection_size(a, b), a.size, b.size)


def classify(
    score: Overlap, threshold: float, containment_threshold: float, min_jaccard: float = 0.0
) -> Relation | None:
    """The relation a verified overlap supports, or None when it supports none."""
    if score.jaccard < min_jaccard:
        return None
    if score.jaccard >= threshold:
        return Relation.NEAR_DUPLICATE
    if max(score.containment.a_in_b, score.containment.b_in_a) >= containment_threshold:
        return Relation.CONTAINED
    return None


class ShingleSets(Protocol):
    """Anything that gives document ``i``'s sorted, unique shingles as ``sets[i]``."""

    def __getitem__(self, index: int, /) -> U64: ...


def verify_pairs(
    candidates: npt.NDArray[np.int64],
    shingle_sets: ShingleSets,
    threshold: float,
    containment_threshold: float,
    min_jaccard: float = 0.0,
) -> list[tuple[int, int, Relation, Overlap]]:
    """The candidates that hold up on their shingle sets, with relation and scores."""
    pairs = candidates.reshape(-1, 2)
    shared = intersection_sizes(pairs, shingle_sets)
    sizes = _sizes(pairs, shingle_sets)
    verified = []
    for (i, j), common, (size_a, size_b) in zip(
        pairs.tolist(), shared.tolist(), sizes.tolist(), strict=True
    ):
        score = _overlap_of_sizes(common, size_a, size_b)
        relation = classify(score, threshold, containment_threshold, min_jaccard)
        if relation is not None:
            verified.append((i, j, relation, score))
    return verified


def intersection_sizes(pairs: npt.NDArray[np.int64], shingle_sets: ShingleSets) -> I64:
    """``intersection_size`` of every pair, one numpy search per run of pairs that share their
    first document (LSH candidates come sorted, so that is one per document with candidates)."""
    shared = np.zeros(len(pairs), dtype=np.int64)
    if not len(pairs):
        return shared
    firsts = pairs[:, 0]
    starts = np.flatnonzero(np.r_[True, firsts[1:] != firsts[:-1]])
    stops = np.r_[starts[1:], len(pairs)]
    for start, stop in zip(starts.tolist(), stops.tolist(), strict=True):
        target = shingle_sets[int(firsts[start])]
        if target.size:
            others = [shingle_sets[j] for j in pairs[start:stop, 1].tolist()]
            shared[start:stop] = _hits_per_array(target, others)
    return shared


def _hits_per_array(target: U64, others: list[U64]) -> I64:
    """How many values of each array in ``others`` are in the sorted array ``target``."""
    probe = np.concatenate(others)
    where = np.searchsorted(target, probe)
    np.minimum(where, target.size - 1, out=where)
    hits = np.zeros(probe.size + 1, dtype=np.int64)
    np.cumsum(target[where] == probe, out=hits[1:])
    sizes = np.fromiter((a.size for a in others), np.int64, len(others))
    ends = np.cumsum(sizes)
    found: I64 = hits[ends] - hits[ends - sizes]
    return found


def _sizes(pairs: npt.NDArray[np.int64], shingle_sets: ShingleSets) -> I64:
    sizes = {i: shingle_sets[i].size for i in np.unique(pairs).tolist()}
    return np.array([[sizes[i], sizes[j]] for i, j in pairs.tolist()], dtype=np.int64).reshape(
        -1, 2
    )


def _overlap_of_sizes(shared: int, size_a: int, size_b: int) -> Overlap:
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
