"""The PAN text-alignment measure: precision, recall, granularity and plagdet.

Potthast, Stein, Barrón-Cedeño & Rosso, "An evaluation framework for plagiarism detection"
(COLING 2010). A case and a detection are each a pair of character ranges, one in the
suspicious text and one in the source text. A detection *detects* a case when they overlap in
both texts. Over a set of cases S and detections R:

- precision = mean over detections r of |∪ (s ∩ r), s detected by r| / |r|;
- recall = mean over cases s of |∪ (s ∩ r), r detecting s| / |s|;
- granularity = mean over detected cases of how many detections detect each;
- plagdet = F1(precision, recall) / log2(1 + granularity).

|x| counts the characters of both ranges. Cases and detections only meet within one document
pair, so the measure is accumulated pair by pair (``Plagdet.add``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import NamedTuple


class Range2(NamedTuple):
    """A case or detection: ``[this_start, this_end)`` in the suspicious text and
    ``[source_start, source_end)`` in the source text."""

    this_start: int
    this_end: int
    source_start: int
    source_end: int

    @property
    def size(self) -> int:
        return (self.this_end - self.this_start) + (self.source_end - self.source_start)


def _overlap(lo1: int, hi1: int, lo2: int, hi2: int) -> tuple[int, int] | None:
    lo, hi = max(lo1, lo2), min(hi1, hi2)
    return (lo, hi) if lo < hi else None


def _detects(r: Range2, s: Range2) -> bool:
    return bool(
        _overlap(r.this_start, r.this_end, s.this_start, s.this_end)
        and _overlap(r.source_start, r.source_end, s.source_start, s.source_end)
    )


def _union_length(ranges: Sequence[tuple[int, int]]) -> int:
    total, reach = 0, -1
    for lo, hi in sorted(ranges):
        lo = max(lo, reach)
        if hi > lo:
            total += hi - lo
            reach = hi
    return total


def _covered(target: Range2, others: Sequence[Range2]) -> int:
    """Characters of ``target`` (both texts) inside any of ``others``."""
    this = [_overlap(target.this_start, target.this_end, o.this_start, o.this_end) for o in others]
    source = [
        _overlap(target.source_start, target.source_end, o.source_start, o.source_end)
        for o in others
    ]
    return _union_length([x for x in this if x]) + _union_length([x for x in source if x])


class Plagdet:
    """The PAN measure accumulated over document pairs."""

    def __init__(self) -> None:
        self.precisions: list[float] = []
        self.recalls: list[float] = []
        self.granularities: list[int] = []

    def add(self, cases: Sequence[Range2], detections: Sequence[Range2]) -> None:
        """The cases of one document pair and what a method detected in it."""
        for r in detections:
            hits = [s for s in cases if _detects(r, s)]
            self.precisions.append(_covered(r, hits) / r.size if r.size else 0.0)
        for s in cases:
            hits = [r for r in detections if _detects(r, s)]
            self.recalls.append(_covered(s, hits) / s.size if s.size else 0.0)
            if hits:
                self.granularities.append(len(hits))

    @property
    def precision(self) -> float:
        return sum(self.precisions) / len(self.precisions) if self.precisions else 1.0

    @property
    def recall(self) -> float:
        return sum(self.recalls) / len(self.recalls) if self.recalls else 1.0

    @property
    def granularity(self) -> float:
        return sum(self.granularities) / len(self.granularities) if self.granularities else 1.0

    @property
    def plagdet(self) -> float:
        p, r = self.precision, self.recall
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        return f1 / math.log2(1 + self.granularity)
