"""Word-level edit scripts: small dynamic programmes, and the best-scoring stretches of a script.

Scores are those of a local alignment: +1 for an equal word, -1 for a replaced, inserted or
deleted word. The programmes only ever run on short stretches (the gaps between seeds and the
ends of a chain, at most ``max_gap`` words a side), which is what keeps alignment near-linear.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import groupby
from typing import NamedTuple

from dedup.model import EditOp

# One step of a script; each consumes one word of A, of B, or of both.
EQUAL, REPLACE, DELETE, INSERT = 0, 1, 2, 3
_ADVANCES = {EQUAL: (1, 1), REPLACE: (1, 1), DELETE: (1, 0), INSERT: (0, 1)}


class WordOp(NamedTuple):
    """An edit over word indices: ``A[a0:a1]`` becomes ``B[b0:b1]``."""

    op: EditOp
    a0: int
    a1: int
    b0: int
    b1: int

    @property
    def equal_words(self) -> int:
        """Words this op keeps unchanged (in each text)."""
        return self.a1 - self.a0 if self.op is EditOp.EQUAL else 0

    @property
    def score(self) -> int:
        """+1 per equal word, -1 per word changed on the longer side."""
        if self.op is EditOp.EQUAL:
            return self.a1 - self.a0
        return -max(self.a1 - self.a0, self.b1 - self.b0)


def _table(a: Sequence[int], b: Sequence[int]) -> list[list[int]]:
    """Best scores of aligning prefixes ``a[:i]`` and ``b[:j]``, both anchored at the start."""
    rows = [[-j for j in range(len(b) + 1)]]
    for i, word in enumerate(a, start=1):
        above, row = rows[-1], [-i]
        for j, other in enumerate(b, start=1):
            diagonal = above[j - 1] + (1 if word == other else -1)
            row.append(max(diagonal, above[j] - 1, row[j - 1] - 1))
        rows.append(row)
    return rows


def _backtrack(
    rows: list[list[int]], a: Sequence[int], b: Sequence[int], i: int, j: int
) -> list[int]:
    """The steps of a best alignment ending at cell ``(i, j)``, in forward order."""
    steps: list[int] = []
    while i > 0 or j > 0:
        # Prefer a diagonal step, so that a changed word reads as "replace", not delete + insert.
        if i > 0 and j > 0:
            same = a[i - 1] == b[j - 1]
            if rows[i][j] == rows[i - 1][j - 1] + (1 if same else -1):
                steps.append(EQUAL if same else REPLACE)
                i, j = i - 1, j - 1
                continue
        if i > 0 and rows[i][j] == rows[i - 1][j] - 1:
            steps.append(DELETE)
            i -= 1
        else:
            steps.append(INSERT)
            j -= 1
    steps.reverse()
    return steps


def global_steps(a: Sequence[int], b: Sequence[int]) -> list[int]:
    """A best alignment of all of ``a`` with all of ``b``."""
    if not a or not b:
        return [DELETE] * len(a) + [INSERT] * len(b)
    rows = _table(a, b)
    return _backtrack(rows, a, b, len(a), len(b))


def prefix_steps(a: Sequence[int], b: Sequence[int]) -> list[int]:
    """The best-scoring alignment of a prefix of ``a`` with a prefix of ``b`` (maybe empty).

    This is how a passage grows past its last anchor: through a changed word, as long as
    equal words follow, and no further.
    """
    if not a or not b:
        return []
    rows = _table(a, b)
    best, cell = 0, (0, 0)
    for i, row in enumerate(rows):
        for j, score in enumerate(row):
            # Strictly better only: among ties the shortest extension wins.
            if score > best:
                best, cell = score, (i, j)
    return _backtrack(rows, a, b, *cell)


def consumed(steps: Iterable[int]) -> tuple[int, int]:
    """How many words of A and of B the steps use."""
    a = b = 0
    for step in steps:
        da, db = _ADVANCES[step]
        a, b = a + da, b + db
    return a, b


def to_ops(steps: Iterable[int], a_start: int, b_start: int) -> list[WordOp]:
    """Group steps into ops: runs of equal words, and runs of changes between them."""
    ops: list[WordOp] = []
    a, b = a_start, b_start
    for is_equal, run in groupby(steps, key=lambda step: step == EQUAL):
        da, db = consumed(run)
        ops.append(WordOp(_op_of(is_equal, da, db), a, a + da, b, b + db))
        a, b = a + da, b + db
    return ops


def _op_of(is_equal: bool, a_words: int, b_words: int) -> EditOp:
    if is_equal:
        return EditOp.EQUAL
    if a_words and b_words:
        return EditOp.REPLACE
    return EditOp.DELETE if a_words else EditOp.INSERT


def merge_adjacent(ops: Iterable[WordOp]) -> list[WordOp]:
    """Join neighbouring ops of the same kind, and neighbouring changes into one."""
    merged: list[WordOp] = []
    for op in ops:
        if op.a0 == op.a1 and op.b0 == op.b1:
            continue
        if merged and _joinable(merged[-1], op):
            last = merged[-1]
            is_equal = op.op is EditOp.EQUAL
            kind = _op_of(is_equal, op.a1 - last.a0, op.b1 - last.b0)
            merged[-1] = WordOp(kind, last.a0, op.a1, last.b0, op.b1)
        else:
            merged.append(op)
    return merged


def _joinable(left: WordOp, right: WordOp) -> bool:
    return (left.op is EditOp.EQUAL) == (right.op is EditOp.EQUAL)


def best_segments(ops: Sequence[WordOp], min_words: int) -> list[list[WordOp]]:
    """The maximal-scoring stretches of a script that hold at least ``min_words`` equal words.

    The best stretch is kept, then the best of what lies left and right of it, and so on: a
    passage never ends in changes, and a badly matched middle splits it in two.
    """
    found: list[list[WordOp]] = []
    pending = [(0, len(ops))]
    while pending:
        lo, hi = pending.pop()
        start, end = _max_segment(ops, lo, hi)
        if start == end or sum(op.equal_words for op in ops[start:end]) < min_words:
            continue
        found.append(list(ops[start:end]))
        pending += [(lo, start), (end, hi)]
    return sorted(found, key=lambda segment: segment[0].a0)


def _max_segment(ops: Sequence[WordOp], lo: int, hi: int) -> tuple[int, int]:
    """Kadane's maximum-sum subarray of op scores in ``ops[lo:hi]``, as a half-open range."""
    best, best_range = 0, (lo, lo)
    running, start = 0, lo
    for index in range(lo, hi):
        if running <= 0:
            running, start = 0, index
        running += ops[index].score
        if running > best:
            best, best_range = running, (start, index + 1)
    return best_range
