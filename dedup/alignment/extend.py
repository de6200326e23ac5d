"""Fragments → passages: what belongs to one reuse is reported as one passage.

A reused passage that was edited, paraphrased or reordered reaches this step as several
fragments: runs of equal words cut apart by heavy edits, sentence pairs, runs of sentences
put in another order. As in the extension step of Sanchez-Perez, Gelbukh & Sidorov (PAN 2014),
fragments that lie within ``gap`` words of each other in both texts, in either order, are one
passage; what a passage covers then runs from its first fragment to its last in each text.
Overlapping passages are resolved best first: each word of either text stays in at most one.

Inside a passage the edit script follows the heaviest run of fragments in order in both texts;
what lies between them is aligned word by word when small, else one replacement, so a moved
sentence reads as deleted in one place and inserted in the other. Work is bounded: fragments
are compared only with those within ``gap`` words in A, and no dynamic programme exceeds
``_FILL_CELLS`` cells.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from dedup.alignment.anchors import Seed
from dedup.alignment.chain import IntervalSet
from dedup.alignment.edits import WordOp, global_steps, merge_adjacent, to_ops
from dedup.model import EditOp

# Largest gap (words of A × words of B) aligned word by word inside a passage.
_FILL_CELLS = 4096
# Fragments looked at around each weak run (bounded work per run).
_LOOK_BACK = 8
# Passages of more fragments than this order them greedily instead of by dynamic programming.
_CHAIN_DP_LIMIT = 64


class Fragment(NamedTuple):
    """Word-level ops of one piece of evidence, and its similarity (None: from the ops)."""

    ops: list[WordOp]
    similarity: float | None
    #: equal runs taken in another order than ``ops`` (see ``Passage.moved``)
    moved: tuple[WordOp, ...] = ()
    #: too short to be a passage alone: only joins one, in order with it
    weak: bool = False

    @property
    def a0(self) -> int:
        return self.ops[0].a0

    @property
    def a1(self) -> int:
        return self.ops[-1].a1

    @property
    def b0(self) -> int:
        return self.ops[0].b0

    @property
    def b1(self) -> int:
        return self.ops[-1].b1

    @property
    def weight(self) -> int:
        """Equal words, at least one: a paraphrased sentence pair still counts."""
        return max(1, sum(op.equal_words for op in self.ops))


def _distance(lo1: int, hi1: int, lo2: int, hi2: int) -> int:
    """Words between two half-open ranges (0 when they touch or overlap)."""
    return max(0, lo2 - hi1, lo1 - hi2)


def _clusters(fragments: Sequence[Fragment], gap: int) -> list[list[Fragment]]:
    """Fragments within ``gap`` words of each other in both texts, joined transitively."""
    order = sorted(range(len(fragments)), key=lambda k: (fragments[k].a0, fragments[k].b0))
    parent = list(range(len(fragments)))

    def root(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    active: list[int] = []
    for k in order:
        f = fragments[k]
        active = [j for j in active if fragments[j].a1 + gap >= f.a0]
        for j in active:
            g = fragments[j]
            if _distance(g.b0, g.b1, f.b0, f.b1) <= gap:
                parent[root(j)] = root(k)
        active.append(k)
    groups: dict[int, list[Fragment]] = {}
    for k in order:
        groups.setdefault(root(k), []).append(fragments[k])
    return list(groups.values())


def _box(group: Sequence[Fragment]) -> tuple[int, int, int, int]:
    return (
        min(f.a0 for f in group),
        max(f.a1 for f in group),
        min(f.b0 for f in group),
        max(f.b1 for f in group),
    )


def _free(taken: IntervalSet, lo: int, hi: int) -> bool:
    """Whether no word of ``[lo, hi)`` is taken (an empty range is free)."""
    return hi <= lo or taken.free_parts(lo, hi) == [(lo, hi)]


def merge(
    fragments: Sequence[Fragment],
    a: Sequence[int],
    b: Sequence[int],
    gap: int,
    weak: Sequence[Seed] = (),
) -> list[Fragment]:
    """Passages from fragments (``a``/``b`` the token hashes of each text): disjoint.

    ``weak`` runs of equal words (too short to be a passage alone: an unchanged clause beyond
    a long insertion) join the passage near them, near its diagonal; they never link two
    passages or make one alone.
    """
    if not fragments:
        return []
    groups = _clusters(fragments, gap)
    _attach(groups, weak, gap)
    groups.sort(key=lambda g: (-sum(f.weight for f in g), _box(g)))
    taken_a, taken_b = IntervalSet(len(a)), IntervalSet(len(b))
    passages: list[Fragment] = []
    for group in groups:
        a0, a1, b0, b1 = _box(group)
        if _free(taken_a, a0, a1) and _free(taken_b, b0, b1):
            parts = [group]
        else:
            # The whole would take words of a better passage: its fragments one by one.
            strong = [f for f in group if not f.weak]
            parts = [[f] for f in sorted(strong, key=lambda f: (-f.weight, f.a0, f.b0))]
        for part in parts:
            a0, a1, b0, b1 = _box(part)
            if _free(taken_a, a0, a1) and _free(taken_b, b0, b1):
                taken_a.add(a0, a1)
                taken_b.add(b0, b1)
                passages.append(_joined(part, a, b))
    return passages


def _attach(groups: list[list[Fragment]], weak: Sequence[Seed], gap: int) -> None:
    """Each weak run joins the nearest group within ``gap`` words in both texts whose nearest
    fragment lies on a diagonal at most ``gap // 4`` words away (a changed word or clause
    shifts the diagonal a little; a stock phrase elsewhere shifts it a lot)."""
    members = sorted(
        ((f.a0, f.a1, f.b0, f.b1, index) for index, group in enumerate(groups) for f in group)
    )
    if not weak or not members:
        return
    starts = np.array([m[0] for m in members], dtype=np.int64)
    reach = np.maximum.accumulate(np.array([m[1] for m in members], dtype=np.int64))
    seed_a = np.array([w.a for w in weak], dtype=np.int64)
    seed_end = seed_a + np.array([w.length for w in weak], dtype=np.int64)
    # Only runs with a fragment within ``gap`` words in A are looked at further (most runs
    # between unrelated texts are not).
    last = np.searchsorted(starts, seed_end + gap, side="right") - 1
    near = (last >= 0) & (reach[np.maximum(last, 0)] + gap >= seed_a)
    for k in np.flatnonzero(near).tolist():
        w = weak[k]
        best = _nearest(members[max(0, int(last[k]) + 1 - _LOOK_BACK) : int(last[k]) + 1], w, gap)
        if best is not None:
            a0, b0 = w.a, w.b
            run = WordOp(EditOp.EQUAL, a0, a0 + w.length, b0, b0 + w.length)
            groups[best].append(Fragment([run], None, (), True))


def _nearest(
    members: Sequence[tuple[int, int, int, int, int]], w: Seed, gap: int
) -> int | None:
    """The group of the nearest member a weak run may join, if any."""
    best: tuple[int, int] | None = None
    w_a1, w_b1 = w.a + w.length, w.b + w.length
    for a0, a1, b0, b1, index in reversed(members):
        if _overlap(a0, a1, w.a, w_a1) or _overlap(b0, b1, w.b, w_b1):
            return None  # words a fragment has: nothing to add
        in_a, in_b = _distance(a0, a1, w.a, w_a1), _distance(b0, b1, w.b, w_b1)
        diagonal = (b1 - a1) if w.a >= a1 else (b0 - a0)
        fits = in_a <= gap and in_b <= gap and abs((w.b - w.a) - diagonal) <= gap // 4
        if fits and (best is None or (in_a + in_b, index) < best):
            best = (in_a + in_b, index)
    return None if best is None else best[1]


def _overlap(lo1: int, hi1: int, lo2: int, hi2: int) -> bool:
    return max(lo1, lo2) < min(hi1, hi2)


def _joined(group: Sequence[Fragment], a: Sequence[int], b: Sequence[int]) -> Fragment:
    """One passage over a group's box: its ordered fragments, and the gaps filled."""
    if len(group) == 1:
        return group[0]
    a0, a1, b0, b1 = _box(group)
    chain = _in_order(group)
    off = _moved(group, chain, len(a), len(b))
    off_a, off_b = IntervalSet(len(a)), IntervalSet(len(b))
    for g in off:
        off_a.add(g.a0, g.a1)
        off_b.add(g.b0, g.b1)
    ops: list[WordOp] = []
    cursor_a, cursor_b = a0, b0
    for f in [*chain, None]:
        end_a, end_b = (a1, b1) if f is None else (f.a0, f.b0)
        # Words of a moved fragment are not aligned again where they were left.
        clear = _free(off_a, cursor_a, end_a) and _free(off_b, cursor_b, end_b)
        ops += _fill(a, b, cursor_a, end_a, cursor_b, end_b, word_by_word=clear)
        if f is not None:
            ops += f.ops
            cursor_a, cursor_b = f.a1, f.b1
    moved = [op for f in off for op in f.ops if op.op is EditOp.EQUAL]
    moved += [op for f in chain for op in f.moved]
    moved.sort(key=lambda op: (op.a0, op.b0))
    return Fragment(merge_adjacent(ops), _similarity(group), tuple(moved))


def _moved(
    group: Sequence[Fragment], chain: Sequence[Fragment], size_a: int, size_b: int
) -> list[Fragment]:
    """The fragments off the chain that hold words of their own: moved text. One that shares
    words with the chain (a sentence pair over a run of equal words) is the same evidence."""
    taken_a, taken_b = IntervalSet(size_a), IntervalSet(size_b)
    for f in chain:
        taken_a.add(f.a0, f.a1)
        taken_b.add(f.b0, f.b1)
    on_chain = set(map(id, chain))
    moved: list[Fragment] = []
    for f in sorted(group, key=lambda f: (-f.weight, f.a0, f.b0)):
        free = _free(taken_a, f.a0, f.a1) and _free(taken_b, f.b0, f.b1)
        if not f.weak and id(f) not in on_chain and free:
            taken_a.add(f.a0, f.a1)
            taken_b.add(f.b0, f.b1)
            moved.append(f)
    return moved


def _similarity(group: Sequence[Fragment]) -> float | None:
    """Sentence similarities averaged by size; None (from the ops) for word passages."""
    if all(f.similarity is None for f in group):
        return None
    total = weighted = 0.0
    for f in group:
        size = (f.a1 - f.a0) + (f.b1 - f.b0)
        equal = sum(op.equal_words for op in f.ops)
        similarity = f.similarity if f.similarity is not None else 2 * equal / size
        total += size
        weighted += similarity * size
    return weighted / total if total else 0.0


def _in_order(group: Sequence[Fragment]) -> list[Fragment]:
    """The heaviest run of fragments that follow one another in both texts."""
    ordered = sorted(group, key=lambda f: (f.a0, f.b0))
    if len(ordered) > _CHAIN_DP_LIMIT:
        chosen: list[Fragment] = []
        for f in ordered:
            if not chosen or (f.a0 >= chosen[-1].a1 and f.b0 >= chosen[-1].b1):
                chosen.append(f)
        return chosen
    best = [f.weight for f in ordered]
    parent = [-1] * len(ordered)
    for k, f in enumerate(ordered):
        for j in range(k):
            g = ordered[j]
            if g.a1 <= f.a0 and g.b1 <= f.b0 and best[j] + f.weight > best[k]:
                best[k], parent[k] = best[j] + f.weight, j
    k = max(range(len(ordered)), key=lambda i: (best[i], -i))
    chain: list[Fragment] = []
    while k != -1:
        chain.append(ordered[k])
        k = parent[k]
    return chain[::-1]


def _fill(
    a: Sequence[int],
    b: Sequence[int],
    a_lo: int,
    a_hi: int,
    b_lo: int,
    b_hi: int,
    *,
    word_by_word: bool,
) -> list[WordOp]:
    """Ops between two fragments of a passage: word by word when small, else one op."""
    if a_hi <= a_lo and b_hi <= b_lo:
        return []
    if a_hi <= a_lo:
        return [WordOp(EditOp.INSERT, a_lo, a_lo, b_lo, b_hi)]
    if b_hi <= b_lo:
        return [WordOp(EditOp.DELETE, a_lo, a_hi, b_lo, b_lo)]
    if word_by_word and (a_hi - a_lo) * (b_hi - b_lo) <= _FILL_CELLS:
        return to_ops(global_steps(a[a_lo:a_hi], b[b_lo:b_hi]), a_lo, b_lo)
    return [WordOp(EditOp.REPLACE, a_lo, a_hi, b_lo, b_hi)]
