"""Candidate pairs → exact scores on the shingle sets → a relation, or nothing.

LSH only proposes; every reported pair is scored here on the actual shingle sets, so a pair
is never reported on an estimate.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs
import numpy as np
import numpy.typing as npt

from dedup.config import ScanConfig
from dedup.model import Containment, Relation
from dedup.normalize import normalize
from dedup.shingle import shingle

U64 = npt.NDArray[np.uint64]


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
    shared = intersection_size(a, b)
    union = a.size + b.size - shared
    return Overlap(
        jaccard=shared / union if union else 1.0,
        containment=Containment(
            a_in_b=shared / a.size if a.size else 0.0,
            b_in_a=shared / b.size if b.size else 0.0,
        ),
    )


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


def verify_pairs(
    candidates: npt.NDArray[np.int64],
    shingle_sets: Sequence[U64],
    threshold: float,
    containment_threshold: float,
    min_jaccard: float = 0.0,
) -> list[tuple[int, int, Relation, Overlap]]:
    """The candidates that hold up on their shingle sets, with relation and scores."""
    verified = []
    for i, j in candidates.tolist():
        score = overlap(shingle_sets[i], shingle_sets[j])
        relation = classify(score, threshold, containment_threshold, min_jaccard)
        if relation is not None:
            verified.append((i, j, relation, score))
    return verified


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
