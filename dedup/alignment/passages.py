"""Chains → passages: word-level edit alignment inside each chain, grown at both ends, trimmed.

Chains are taken best first. Each word of either text goes to at most one passage, so a chain
is first clipped to the words no better chain took, and split where what lies between two of
its seeds was taken. Inside a run of seeds the gaps are aligned word by word (each gap is at
most ``max_gap`` words a side: a band around the chain), the run grows at both ends through
changed words while equal words follow, and the best-scoring stretches of the result are the
passages.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

import attrs
import numpy as np
import numpy.typing as npt

from dedup.alignment.anchors import Seed, seeds
from dedup.alignment.chain import Chain, IntervalSet, chains
from dedup.alignment.edits import (
    EQUAL,
    WordOp,
    best_segments,
    consumed,
    global_steps,
    prefix_steps,
    to_ops,
)
from dedup.config import AlignConfig

U64 = npt.NDArray[np.uint64]


@attrs.frozen
class _Texts:
    """The two word sequences (as token hashes) and the words already taken in each."""

    a: list[int]
    b: list[int]
    taken_a: IntervalSet
    taken_b: IntervalSet
    config: AlignConfig


def passage_ops(
    ha: U64, hb: U64, config: AlignConfig, shared: Sequence[Seed] | None = None
) -> list[list[WordOp]]:
    """The passages A and B share, each as its word-level ops; disjoint, in the order of A.

    ``shared``: the texts' seeds, when the caller has them already.
    """
    texts = _Texts(ha.tolist(), hb.tolist(), IntervalSet(ha.size), IntervalSet(hb.size), config)
    found: list[list[WordOp]] = []
    if shared is None:
        shared = seeds(ha, hb, config.anchor, config.max_occurrences)
    for chain in chains(shared, config.max_gap):
        # Seed words bound what a chain can reach; a lone shared phrase is not worth aligning.
        if sum(seed.length for seed in chain.seeds) * 2 >= config.min_words:
            found += _accept(chain, texts)
    return sorted(found, key=lambda ops: (ops[0].a0, ops[0].b0))


def _accept(chain: Chain, texts: _Texts) -> list[list[WordOp]]:
    """The passages a chain yields after clipping to free words; marks their words taken."""
    runs = _runs(_clip(chain.seeds, texts), texts)
    accepted: list[list[WordOp]] = []
    for index, run in enumerate(runs):
        if sum(seed.length for seed in run) * 2 < texts.config.min_words:
            continue
        following = runs[index + 1][0] if index + 1 < len(runs) else None
        for segment in best_segments(_align_run(run, following, texts), texts.config.min_words):
            texts.taken_a.add(segment[0].a0, segment[-1].a1)
            texts.taken_b.add(segment[0].b0, segment[-1].b1)
            accepted.append(segment)
    return accepted


def _clip(chain_seeds: Sequence[Seed], texts: _Texts) -> list[Seed]:
    """The parts of the seeds whose words are free in both texts."""
    pieces: list[Seed] = []
    for seed in chain_seeds:
        shift = seed.b - seed.a
        for a_lo, a_hi in texts.taken_a.free_parts(seed.a, seed.a + seed.length):
            for b_lo, b_hi in texts.taken_b.free_parts(a_lo + shift, a_hi + shift):
                pieces.append(Seed(b_lo - shift, b_lo, b_hi - b_lo))
    return pieces


def _runs(pieces: Sequence[Seed], texts: _Texts) -> list[list[Seed]]:
    """Split clipped seeds where a gap grew past ``max_gap`` or holds taken words."""
    runs: list[list[Seed]] = []
    for previous, piece in zip([None, *pieces], pieces, strict=False):
        if previous is None or not _bridgeable(previous, piece, texts):
            runs.append([piece])
        else:
            runs[-1].append(piece)
    return runs


def _bridgeable(left: Seed, right: Seed, texts: _Texts) -> bool:
    a_end, b_end = left.a + left.length, left.b + left.length
    if max(right.a - a_end, right.b - b_end) > texts.config.max_gap:
        return False
    free_a = texts.taken_a.free_around(a_end - 1)
    free_b = texts.taken_b.free_around(b_end - 1)
    return bool(free_a and free_b and free_a[1] >= right.a and free_b[1] >= right.b)


def _align_run(run: Sequence[Seed], following: Seed | None, texts: _Texts) -> list[WordOp]:
    """Word-level ops of a run of seeds: backward growth, seeds and gaps, forward growth."""
    first, last = run[0], run[-1]
    back = _grow_backward(first, texts)
    back_a, back_b = consumed(back)
    start_a, start_b = first.a - back_a, first.b - back_b
    steps = back
    for left, right in pairwise(run):
        a_end, b_end = left.a + left.length, left.b + left.length
        steps += [EQUAL] * left.length
        steps += global_steps(texts.a[a_end : right.a], texts.b[b_end : right.b])
    steps += [EQUAL] * last.length
    steps += _grow_forward(last, following, texts)
    return to_ops(steps, start_a, start_b)


def _grow_backward(first: Seed, texts: _Texts) -> list[int]:
    reach = texts.config.max_gap
    free_a, free_b = texts.taken_a.free_around(first.a), texts.taken_b.free_around(first.b)
    assert free_a is not None and free_b is not None  # a clipped seed lies on free words
    a_lo, b_lo = max(free_a[0], first.a - reach), max(free_b[0], first.b - reach)
    # Growing backwards is growing forwards over the reversed words.
    steps = prefix_steps(texts.a[a_lo : first.a][::-1], texts.b[b_lo : first.b][::-1])
    return steps[::-1]


def _grow_forward(last: Seed, following: Seed | None, texts: _Texts) -> list[int]:
    reach = texts.config.max_gap
    a_end, b_end = last.a + last.length, last.b + last.length
    free_a, free_b = texts.taken_a.free_around(a_end - 1), texts.taken_b.free_around(b_end - 1)
    assert free_a is not None and free_b is not None
    a_hi, b_hi = min(free_a[1], a_end + reach), min(free_b[1], b_end + reach)
    if following is not None:
        # The chain's next run is aligned after this one and must find its words free.
        a_hi, b_hi = min(a_hi, following.a), min(b_hi, following.b)
    return prefix_steps(texts.a[a_end:a_hi], texts.b[b_end:b_hi])
