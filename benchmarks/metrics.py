"""Evaluation metrics for copy detection: pairwise precision/recall/F1 and the adjusted Rand index.

A *clustering* is a mapping ``doc_id -> cluster label``; singletons get a label of their own. The
pair metrics count the unordered pairs of documents that share a cluster. Everything is computed
from the contingency table of the two clusterings (sums of C(n, 2)), never by enumerating pairs,
so a million documents cost a few seconds.

Conventions when a side has no pairs at all (all singletons):

- precision is 1.0 when nothing is predicted (no claim, no false claim);
- recall is 1.0 when there is nothing to find;
- F1 is the harmonic mean of the two, 0.0 when both are 0.0. So two all-singleton clusterings
  score P = R = F1 = 1.0, and predicting no pair against true pairs scores P = 1, R = 0, F1 = 0.
- The ARI is 1.0 when its denominator vanishes, which happens exactly when both clusterings are
  the same trivial clustering (all singletons, or everything in one cluster, or fewer than two
  documents): identical partitions, as in scikit-learn.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt


@dataclass(frozen=True, slots=True)
class PRF:
    """Precision, recall and F1 with the counts they come from (true/false positives, misses)."""

    precision: float
    recall: float
    f1: float
    tp: int
    fp: int
    fn: int

    @classmethod
    def from_counts(cls, tp: int, fp: int, fn: int) -> PRF:
        """Scores from counts, with the module's conventions for empty denominators."""
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        total = precision + recall
        f1 = 2 * precision * recall / total if total else 0.0
        return cls(precision, recall, f1, tp, fp, fn)


def _codes(labels: Iterable[Hashable]) -> npt.NDArray[np.int64]:
    """Small integer codes for arbitrary hashable labels, in order of first appearance."""
    index: dict[Hashable, int] = {}
    return np.fromiter((index.setdefault(x, len(index)) for x in labels), dtype=np.int64)


def _pairs(counts: npt.NDArray[np.int64]) -> int:
    """Sum of C(n, 2) over the counts, as an exact Python int."""
    return int((counts * (counts - 1) // 2).sum())


def _pair_counts(
    predicted: Mapping[str, Hashable], truth: Mapping[str, Hashable]
) -> tuple[int, int, int, int]:
    """(pairs together in both, together in predicted, together in truth, all pairs)."""
    if predicted.keys() != truth.keys():
        missing = len(predicted.keys() ^ truth.keys())
        raise ValueError(f"the clusterings cover different documents ({missing} not in both)")
    ids = list(truth)
    pred = _codes(predicted[i] for i in ids)
    true = _codes(truth[i] for i in ids)
    width = int(true.max()) + 1 if len(true) else 1
    cells = np.unique(pred * width + true, return_counts=True)[1].astype(np.int64)
    rows = np.unique(pred, return_counts=True)[1].astype(np.int64)
    cols = np.unique(true, return_counts=True)[1].astype(np.int64)
    n = len(ids)
    return _pairs(cells), _pairs(rows), _pairs(cols), n * (n - 1) // 2


def pairwise_prf(predicted: Mapping[str, Hashable], truth: Mapping[str, Hashable]) -> PRF:
    """Precision, recall and F1 over unordered same-cluster pairs.

    Both mappings must cover the same documents (``ValueError`` otherwise).
    """
    both, pred, true, _ = _pair_counts(predicted, truth)
    return PRF.from_counts(tp=both, fp=pred - both, fn=true - both)


def adjusted_rand_index(predicted: Mapping[str, Hashable], truth: Mapping[str, Hashable]) -> float:
    """Hubert & Arabie's adjusted Rand index; 1.0 for identical partitions (see module doc)."""
    both, pred, true, total = _pair_counts(predicted, truth)
    if total == 0:
        return 1.0
    expected = pred * true / total
    maximum = (pred + true) / 2
    if maximum == expected:
        return 1.0
    return float((both - expected) / (maximum - expected))


def _normalised(pairs: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
    out: set[tuple[str, str]] = set()
    for a, b in pairs:
        if a == b:
            raise ValueError(f"a pair of a document with itself: {a!r}")
        out.add((a, b) if a < b else (b, a))
    return out


def pair_prf(
    predicted_pairs: Iterable[tuple[str, str]], true_pairs: Iterable[tuple[str, str]]
) -> PRF:
    """Precision, recall and F1 of unordered pairs; (a, b) and (b, a) are the same pair.

    A pair of a document with itself is an error (``ValueError``).
    """
    predicted, true = _normalised(predicted_pairs), _normalised(true_pairs)
    tp = len(predicted & true)
    return PRF.from_counts(tp=tp, fp=len(predicted) - tp, fn=len(true) - tp)


def bcubed(
    predicted: Mapping[str, Hashable], truth: Mapping[str, Hashable]
) -> tuple[float, float, float]:
    """B-cubed precision and recall (Bagga & Baldwin 1998): for each document, the share of its
    predicted cluster that shares its true cluster, and of its true cluster that shares its
    predicted cluster, averaged over documents; F1 of the two."""
    if set(predicted) != set(truth):
        raise ValueError("predicted and truth must cover the same documents")
    by_pred: dict[Hashable, set[str]] = {}
    by_true: dict[Hashable, set[str]] = {}
    for doc, label in predicted.items():
        by_pred.setdefault(label, set()).add(doc)
    for doc, label in truth.items():
        by_true.setdefault(label, set()).add(doc)
    precision = recall = 0.0
    for doc in predicted:
        mine, true = by_pred[predicted[doc]], by_true[truth[doc]]
        both = len(mine & true)
        precision += both / len(mine)
        recall += both / len(true)
    count = max(1, len(predicted))
    p, r = precision / count, recall / count
    return p, r, 2 * p * r / (p + r) if p + r else 0.0
