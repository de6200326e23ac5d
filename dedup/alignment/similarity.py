"""Sentence similarity: weighted Dice of character n-gram sets, and which pairs to score.

Each sentence (a run of normalised words) becomes the set of character n-grams of its words
joined by spaces, with a space at each end, hashed by the pipeline's own functions
(``codepoint_hashes``, ``ngram_hashes``), plus its whole words (``token_hashes``). Stems,
names and numbers survive inflection and transliteration (``Borisov``/``Borissov`` share most
n-grams), which is what makes this work across independent translations. Each n-gram and word
weighs ``log(1 + N / df)`` (an idf over the pair), N the number of sentences in both texts and
df how many contain it, so ``" the "`` and ``"ion "`` count for little and a rare word shared
whole counts as a word, beside its pieces. Everything is kept as sorted integer arrays: a
megabyte of text stays a few megabytes.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs
import numpy as np
import numpy.typing as npt

from dedup.model import NormalizedText, WordSpan
from dedup.shingling import codepoint_hashes, ngram_hashes, sorted_unique, token_hashes

I64 = npt.NDArray[np.int64]
U64 = npt.NDArray[np.uint64]
F64 = npt.NDArray[np.float64]

# B sentences are looked up through n-grams found in at most this many of them: commoner
# n-grams carry little weight and would make the lookup quadratic.
_MAX_POSTINGS = 32
# Sets word hashes apart from character n-gram hashes.
_WORD_SALT = np.uint64(0x9E3779B97F4A7C15)
# Candidates scored for each sentence of A, best by the weight they share first.
CANDIDATES_PER_SENTENCE = 8


def _unit_hashes(text: NormalizedText, ranges: Sequence[WordSpan], n: int) -> tuple[I64, U64]:
    """``(sentence index, n-gram hash)`` of every distinct n-gram of every sentence."""
    pieces = [" " + " ".join(text.tokens[r.start : r.end]) + " " for r in ranges]
    lengths = np.array([len(piece) for piece in pieces], dtype=np.int64)
    grams = ngram_hashes(codepoint_hashes("".join(pieces)), n)
    # The n-grams of sentence u start at its offset and stop n - 1 short of its end, so none
    # straddles two sentences.
    counts = np.maximum(lengths - n + 1, 0)
    offsets = np.cumsum(lengths) - lengths
    unit = np.repeat(np.arange(len(pieces), dtype=np.int64), counts)
    within = np.arange(unit.size, dtype=np.int64) - np.repeat(np.cumsum(counts) - counts, counts)
    hashes = grams[np.repeat(offsets, counts) + within] if unit.size else grams[:0]
    # Whole words too (salted apart from the n-grams): a rare word shared whole weighs as a word.
    word_units = np.repeat(np.arange(len(ranges), dtype=np.int64), [r.size for r in ranges])
    words = token_hashes([t for r in ranges for t in text.tokens[r.start : r.end]]) ^ _WORD_SALT
    unit, hashes = np.concatenate((unit, word_units)), np.concatenate((hashes, words))
    order = np.lexsort((hashes, unit))
    unit, hashes = unit[order], hashes[order]
    first = np.ones(unit.size, dtype=bool)
    first[1:] = (np.diff(unit) != 0) | (np.diff(hashes) != 0)
    return unit[first], hashes[first]


@attrs.frozen(eq=False)
class _Grams:
    """One text's sentences as sorted n-gram ids (CSR: ``ids[ptr[u]:ptr[u + 1]]``)."""

    ids: I64
    ptr: I64

    def of(self, first: int, last: int) -> I64:
        """The n-gram ids of sentences ``first..last``, sorted and unique."""
        if first == last:
            return self.ids[self.ptr[first] : self.ptr[first + 1]]
        merged: I64 = sorted_unique(self.ids[self.ptr[first] : self.ptr[last + 1]])
        return merged


def _csr(unit: I64, ids: I64, units: int) -> _Grams:
    """The n-gram ids by sentence. ``unit`` and ``ids`` come sorted by sentence, then id: the
    hashes of ``_unit_hashes`` are sorted within each sentence, and ids rank the hashes."""
    ptr = np.zeros(units + 1, dtype=np.int64)
    np.cumsum(np.bincount(unit, minlength=units), out=ptr[1:])
    return _Grams(ids, ptr)


@attrs.frozen(eq=False)
class SentenceGrams:
    """One text's sentences as n-grams: ``(unit, hash)`` of every distinct n-gram of every
    sentence, sorted, and how many sentences there are. A text's own, whatever it is paired
    with, so it is computed once per text."""

    unit: I64
    hashes: U64
    sentences: int


def sentence_grams(text: NormalizedText, ranges: Sequence[WordSpan], n: int) -> SentenceGrams:
    """The character ``n``-grams of each sentence (word range) of ``text``."""
    unit, hashes = _unit_hashes(text, ranges, n)
    return SentenceGrams(unit, hashes, len(ranges))


class Scorer:
    """Similarity of any sentence (or two consecutive sentences) of A with any of B."""

    def __init__(self, a: SentenceGrams, b: SentenceGrams) -> None:
        unit_a, hashes_a, unit_b, hashes_b = a.unit, a.hashes, b.unit, b.hashes
        vocabulary, ids = np.unique(np.concatenate((hashes_a, hashes_b)), return_inverse=True)
        ids = ids.astype(np.int64)
        df = np.bincount(ids, minlength=vocabulary.size)
        self.weight: F64 = np.log1p((a.sentences + b.sentences) / np.maximum(df, 1))
        self.a = _csr(unit_a, ids[: unit_a.size], a.sentences)
        self.b = _csr(unit_b, ids[unit_a.size :], b.sentences)
        self._postings(ids[unit_a.size :], unit_b, vocabulary.size)
        self._totals: dict[tuple[bool, int, int], float] = {}
        self._near: list[list[int]] = []
        self._rare: dict[tuple[int, int], float] = {}
        empty: F64 = np.zeros(0)
        self._common_a = self._common_b = self._total_a = self._total_b = empty

    def _postings(self, ids_b: I64, unit_b: I64, size: int) -> None:
        """For each n-gram id, the B sentences that contain it (CSR by id)."""
        order = np.argsort(ids_b, kind="stable")
        self.posting_units = unit_b[order]
        self.posting_ptr = np.zeros(size + 1, dtype=np.int64)
        np.cumsum(np.bincount(ids_b, minlength=size), out=self.posting_ptr[1:])

    def neighbours(self, i: int) -> list[int]:
        """The B sentences that share the most weight with sentence ``i`` of A (rarer n-grams)."""
        if not self._near:
            self._index_rare()
        return self._near[i]

    def may_reach(self, i: int, j: int, similarity: float) -> bool:
        """False only when single sentences ``i`` of A and ``j`` of B are surely less similar
        than ``similarity``: a bound from the rare n-grams' shared weight (known from
        ``neighbours``) and all of the common n-grams', so most pairs need no intersection."""
        if not self._near:
            self._index_rare()
        total = self._total_a[i] + self._total_b[j]
        shared = self._rare.get((i, j), 0.0) + min(self._common_a[i], self._common_b[j])
        # The sums here add in another order than ``similarity``'s: a margin far above rounding.
        return bool(total) and 2 * shared / total >= similarity - 1e-9

    def _index_rare(self) -> None:
        """``neighbours`` of every sentence of A at once, with the weight each pair shares.

        The weights of a pair are added in the order of one sentence's own lookup (by n-gram
        id), so the sums, and the ranking by them, are exactly those of a lookup per sentence.
        """
        units_a = np.repeat(np.arange(self.a.ptr.size - 1), np.diff(self.a.ptr))
        grams = self.a.ids
        counts = self.posting_ptr[grams + 1] - self.posting_ptr[grams]
        rare = (counts > 0) & (counts <= _MAX_POSTINGS)
        self._bounds(units_a, rare, counts)
        units_a, grams, counts = units_a[rare], grams[rare], counts[rare]
        starts = np.repeat(self.posting_ptr[grams], counts)
        within = np.arange(starts.size) - np.repeat(np.cumsum(counts) - counts, counts)
        size_b = self.b.ptr.size - 1
        keys = np.repeat(units_a, counts) * size_b + self.posting_units[starts + within]
        pair, where = np.unique(keys, return_inverse=True)
        shared = np.bincount(where.ravel(), weights=np.repeat(self.weight[grams], counts))
        first, second = pair // size_b, pair % size_b
        # Most shared first within each sentence of A, ties by B sentence.
        order = np.lexsort((second, -shared, first))
        starts_of = np.r_[True, first[order][1:] != first[order][:-1]]
        at = np.arange(order.size)
        rank = at - np.maximum.accumulate(np.where(starts_of, at, 0))
        kept = order[rank < CANDIDATES_PER_SENTENCE]
        self._near = [[] for _ in range(self.a.ptr.size - 1)]
        for i, j, weight in zip(first[kept].tolist(), second[kept].tolist(),
                                shared[kept].tolist(), strict=True):
            self._near[i].append(j)
            self._rare[i, j] = weight

    def _bounds(self, units_a: I64, rare: npt.NDArray[np.bool_], counts: I64) -> None:
        """Each sentence's total weight, and the weight of its n-grams that are not rare
        (in more than ``_MAX_POSTINGS`` sentences of B), which ``neighbours`` leaves out."""
        units_b = np.repeat(np.arange(self.b.ptr.size - 1), np.diff(self.b.ptr))
        common_b = (self.posting_ptr[self.b.ids + 1] - self.posting_ptr[self.b.ids]) > _MAX_POSTINGS
        size_a, size_b = self.a.ptr.size - 1, self.b.ptr.size - 1
        weight_a, weight_b = self.weight[self.a.ids], self.weight[self.b.ids]
        self._total_a = _sums(units_a, weight_a, size_a)
        self._total_b = _sums(units_b, weight_b, size_b)
        self._common_a = _sums(units_a, weight_a * (~rare & (counts > 0)), size_a)
        self._common_b = _sums(units_b, weight_b * common_b, size_b)

    def similarity(self, a_first: int, a_last: int, b_first: int, b_last: int) -> float:
        """Weighted Dice of sentences ``a_first..a_last`` of A and ``b_first..b_last`` of B."""
        grams_a, grams_b = self.a.of(a_first, a_last), self.b.of(b_first, b_last)
        total = self._total(True, a_first, a_last, grams_a)
        total += self._total(False, b_first, b_last, grams_b)
        return 2 * float(self.weight[_shared(grams_a, grams_b)].sum()) / total if total else 0.0

    def _total(self, in_a: bool, first: int, last: int, grams: I64) -> float:
        key = (in_a, first, last)
        if key not in self._totals:
            self._totals[key] = float(self.weight[grams].sum())
        return self._totals[key]


def _shared(grams_a: I64, grams_b: I64) -> I64:
    """The ids in both sorted unique arrays, ascending: ``intersect1d``'s answer by a binary
    search of B for each id of A, several times faster on arrays of one sentence's size."""
    if grams_b.size == 0:
        return grams_b
    at = np.minimum(np.searchsorted(grams_b, grams_a), grams_b.size - 1)
    shared: I64 = grams_a[grams_b[at] == grams_a]
    return shared


def _sums(units: I64, weights: F64, size: int) -> F64:
    """The weights added up by unit (``size`` units)."""
    sums: F64 = np.bincount(units, weights=weights, minlength=size).astype(np.float64)
    return sums
