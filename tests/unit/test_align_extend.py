"""Fragments → passages: one passage per reuse, through edits, gaps and reordering."""

from __future__ import annotations

import itertools
import random
import time

import dedup
from dedup.alignment.anchors import Seed
from dedup.alignment.edits import WordOp
from dedup.alignment.extend import Fragment, merge
from dedup.model import EditOp


def equal(a0: int, b0: int, size: int) -> Fragment:
    """A run of ``size`` equal words at word ``a0`` of A and ``b0`` of B."""
    return Fragment([WordOp(EditOp.EQUAL, a0, a0 + size, b0, b0 + size)], None)


def words(size: int, offset: int = 0) -> list[int]:
    return list(range(offset, offset + size))


def test_fragments_within_the_gap_in_both_texts_are_one_passage() -> None:
    a, b = words(200), words(200, 1000)
    # 10 words apart in A, 12 in B.
    (passage,) = merge([equal(0, 0, 20), equal(30, 32, 20)], a, b, gap=12)
    assert (passage.a0, passage.a1, passage.b0, passage.b1) == (0, 50, 0, 52)
    assert [op.op for op in passage.ops] == [EditOp.EQUAL, EditOp.REPLACE, EditOp.EQUAL]
    assert passage.moved == ()


def test_fragments_far_apart_in_either_text_stay_apart() -> None:
    a, b = words(400), words(400, 1000)
    far_in_b = merge([equal(0, 0, 20), equal(30, 200, 20)], a, b, gap=12)
    far_in_a = merge([equal(0, 0, 20), equal(200, 30, 20)], a, b, gap=12)
    assert len(far_in_b) == len(far_in_a) == 2


def test_swapped_runs_are_one_passage_with_one_run_moved() -> None:
    a, b = words(100), words(100, 1000)
    # A: x (0-20) then y (20-50); B: y (0-30) then x (30-50).
    (passage,) = merge([equal(0, 30, 20), equal(20, 0, 30)], a, b, gap=12)
    assert (passage.a0, passage.a1, passage.b0, passage.b1) == (0, 50, 0, 50)
    # The longer run is in place, the shorter one moved; the script tiles both texts.
    assert [(m.a0, m.a1, m.b0, m.b1) for m in passage.moved] == [(0, 20, 30, 50)]
    assert [op.op for op in passage.ops] == [EditOp.DELETE, EditOp.EQUAL, EditOp.INSERT]


def test_a_merge_that_would_take_a_better_passages_words_is_left_in_pieces() -> None:
    a, b = words(300), words(300, 1000)
    # Two fragments 10 words apart in A whose merged box in B would cover words 20-60 of B;
    # a heavier fragment elsewhere in A already holds B's words 25-55.
    small = [equal(0, 0, 10), equal(20, 60, 10)]
    heavy = equal(200, 25, 30)
    passages = merge([*small, heavy], a, b, gap=40)
    boxes = sorted((p.a0, p.a1, p.b0, p.b1) for p in passages)
    assert boxes == [(0, 10, 0, 10), (20, 30, 60, 70), (200, 230, 25, 55)]


def test_no_word_is_in_two_passages() -> None:
    rng = random.Random(5)
    a, b = words(2000), words(2000, 10_000)
    fragments = []
    for _ in range(200):
        a0, b0 = rng.randrange(1900), rng.randrange(1900)
        fragments.append(equal(a0, b0, rng.randint(1, 40)))
    passages = merge(fragments, a, b, gap=24)
    for side in ((p.a0, p.a1) for p in passages), ((p.b0, p.b1) for p in passages):
        spans = sorted(side)
        assert all(end <= start for (_, end), (start, _) in itertools.pairwise(spans))


def test_many_fragments_of_one_passage_merge_in_bounded_time() -> None:
    # 20,000 runs of 5 equal words, each pair of neighbours swapped: one long reordered copy.
    size = 100_000
    a, b = words(size), words(size)
    fragments = []
    for start in range(0, size, 10):
        fragments += [equal(start, start + 5, 5), equal(start + 5, start, 5)]
    started = time.perf_counter()
    (passage,) = merge(fragments, a, b, gap=12)
    assert time.perf_counter() - started < 20
    assert (passage.a0, passage.a1) == (0, size)


def test_a_heavily_edited_copy_is_one_passage() -> None:
    rng = random.Random(3)
    source = [f"w{rng.randrange(5000)}" for _ in range(400)]
    copy = [w if rng.random() > 0.25 else f"x{rng.randrange(5000)}" for w in source]
    alignment = dedup.align(" ".join(source), " ".join(copy))
    assert len(alignment.passages) == 1
    assert alignment.coverage.a.total > 0.95


def test_a_short_unchanged_tail_beyond_an_insertion_that_outweighs_it_joins_the_passage() -> None:
    rng = random.Random(9)
    head = [f"h{rng.randrange(10**6)}" for _ in range(20)]
    tail = [f"t{rng.randrange(10**6)}" for _ in range(5)]  # fewer than min_words (8)
    inserted = [f"i{rng.randrange(10**6)}" for _ in range(12)]  # more words than the tail
    a, b = " ".join(head + tail), " ".join(head + inserted + tail)
    (passage,) = dedup.align(a, b).passages
    assert (passage.a_span.end, passage.b_span.end) == (len(a), len(b))
    assert [str(e.op) for e in passage.edits] == ["equal", "insert", "equal"]


def test_weak_runs_join_only_near_a_passage_and_its_diagonal() -> None:
    a, b = words(300), words(300, 1000)
    strong = [equal(0, 0, 20)]
    # 10 words after in both texts, same diagonal: joins. 10 words after in A but 40 in B (a
    # diagonal 30 words away): a stock phrase elsewhere, left out. Far away: left out.
    weak = [Seed(30, 30, 4), Seed(60, 90, 4), Seed(200, 200, 4)]
    (passage,) = merge(strong, a, b, gap=48, weak=weak)
    assert (passage.a0, passage.a1, passage.b0, passage.b1) == (0, 34, 0, 34)
    # Alone, weak runs make no passage.
    assert merge([], a, b, gap=48, weak=weak) == []
