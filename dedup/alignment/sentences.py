"""Sentence mode: pair the sentences of two texts, in any order, by character n-gram similarity.

Two translations of one dispatch share few word n-grams, but their sentences correspond and
share word stems, names and numbers. Each sentence becomes the set of character n-grams of its
normalised words (so ``Borisov``/``Borissov`` and ``cooperate``/``cooperation`` still share
most of theirs); two sentences are scored by the weighted Dice coefficient of their sets, each
n-gram weighted by its rarity among the sentences of both texts (``log(1 + N/df)``), so that
``the`` and ``-ion`` count for little. A sentence may also pair with two consecutive sentences
of the other text (one sentence translated as two). Pairs above the threshold are taken most
similar first, each sentence in one pair at most, whatever their order: a rewrite may swap
sentences or move a paragraph. ``extend.py`` then joins the pairs of one passage.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

import attrs
import regex

from dedup.alignment.similarity import Scorer, SentenceGrams, sentence_grams
from dedup.config import AlignConfig
from dedup.model import NormalizedText, Span, WordSpan

# A sentence ends at . ! ? or … (closing quotes and brackets may follow) before white space and
# a capital letter or an opening quote; a blank line always ends one (headings, captions).
_BOUNDARY = regex.compile(
    r"\n[ \t]*\n\s*|(?<=[.!?…][\"'”’»)\]]*)\s+(?=[\"'“‘«(\[]*\p{Lu})"
)
# "U.S. officials", "J. Smith": a period after a lone letter is an abbreviation, not an end.
_INITIAL = regex.compile(r"(?:^|[\s.(])\p{L}\.[\"'”’»)\]]*$")
# Longer sentences (or unpunctuated text) are cut into pieces this long, which bounds the cost
# of scoring a pair and of its edit script.
MAX_SENTENCE_WORDS = 100


def split_sentences(text: str) -> list[Span]:
    """Character spans of the sentences of ``text``, white space trimmed."""
    spans: list[Span] = []
    start = 0
    for boundary in _BOUNDARY.finditer(text):
        blank_line = boundary.group().count("\n") > 1
        if not blank_line and _INITIAL.search(text, max(0, boundary.start() - 8), boundary.start()):
            continue
        spans.append(Span(start, boundary.start()))
        start = boundary.end()
    spans.append(Span(start, len(text)))
    return [span for span in spans if text[span.start : span.end].strip()]


def sentence_words(text: str, normalized: NormalizedText) -> list[WordSpan]:
    """The word range of each sentence that has words, long ones cut into pieces."""
    starts = [span.start for span in normalized.spans]
    ranges: list[WordSpan] = []
    for sentence in split_sentences(text):
        lo = bisect.bisect_left(starts, sentence.start)
        hi = bisect.bisect_left(starts, sentence.end)
        for piece in range(lo, hi, MAX_SENTENCE_WORDS):
            ranges.append(WordSpan(piece, min(hi, piece + MAX_SENTENCE_WORDS)))
    return ranges


@attrs.frozen
class SentencePair:
    """Sentences ``a_first..a_last`` of A correspond to ``b_first..b_last`` of B (inclusive)."""

    a_first: int
    a_last: int
    b_first: int
    b_last: int
    similarity: float


@attrs.frozen(eq=False)
class Sentences:
    """A text prepared for sentence alignment: each sentence's word range and n-grams."""

    ranges: list[WordSpan]
    grams: SentenceGrams


def sentences_of(text: str, normalized: NormalizedText, n: int) -> Sentences:
    """The sentences of ``text`` (``normalized`` its normalisation) with their ``n``-grams."""
    ranges = sentence_words(text, normalized)
    return Sentences(ranges, sentence_grams(normalized, ranges, n))


def align_sentence_words(
    a: Sentences, b: Sentences, config: AlignConfig
) -> list[tuple[WordSpan, WordSpan, float]]:
    """Corresponding sentences of A and B, in any order: word ranges and similarity (``a``
    and ``b`` prepared by ``sentences_of`` with ``config.sentence_ngram``)."""
    ranges_a, ranges_b = a.ranges, b.ranges
    scorer = Scorer(a.grams, b.grams)
    pairs = candidates(scorer, ranges_a, ranges_b, config)
    return [
        (
            WordSpan(ranges_a[p.a_first].start, ranges_a[p.a_last].end),
            WordSpan(ranges_b[p.b_first].start, ranges_b[p.b_last].end),
            p.similarity,
        )
        for p in best_matching(pairs)
    ]


def candidates(
    scorer: Scorer, ranges_a: Sequence[WordSpan], ranges_b: Sequence[WordSpan], config: AlignConfig
) -> list[SentencePair]:
    """Scored pairs above the threshold: single sentences, and merges of two with one.

    Merges are tried only around each sentence's best single pair, and only when that is at
    least half as similar as the threshold: adding a sentence to a pair with nothing in common
    does not make it a translation.
    """

    def score(key: tuple[int, int, int, int]) -> SentencePair:
        a_first, a_last, b_first, b_last = key
        words_a = ranges_a[a_last].end - ranges_a[a_first].start
        words_b = ranges_b[b_last].end - ranges_b[b_first].start
        short = min(words_a, words_b) < config.sentence_min_words
        return SentencePair(*key, similarity=0.0 if short else scorer.similarity(*key))

    found: dict[tuple[int, int, int, int], SentencePair] = {}
    threshold = config.sentence_threshold
    for i in range(len(ranges_a)):
        # A pair surely below half the threshold can neither pass nor lead to merges: it is
        # kept as unrelated without scoring it.
        singles = [
            score((i, i, j, j)) if scorer.may_reach(i, j, threshold / 2)
            else SentencePair(i, i, j, j, 0.0)
            for j in scorer.neighbours(i)
        ]
        found.update(((i, i, p.b_first, p.b_last), p) for p in singles)
        best = max(singles, key=lambda p: p.similarity, default=None)
        if best is None or best.similarity < threshold / 2:
            continue
        for key in _merges_around(i, best.b_first, len(ranges_a), len(ranges_b)):
            if key not in found:
                found[key] = score(key)
    return [pair for pair in found.values() if pair.similarity >= threshold]


def _merges_around(i: int, j: int, size_a: int, size_b: int) -> list[tuple[int, int, int, int]]:
    """Each way of adding one neighbouring sentence to one side of the pair ``(i, j)``."""
    units = [(i - 1, i, j, j)] if i > 0 else []
    units += [(i, i + 1, j, j)] if i + 1 < size_a else []
    units += [(i, i, j - 1, j)] if j > 0 else []
    units += [(i, i, j, j + 1)] if j + 1 < size_b else []
    return units


def best_matching(pairs: Sequence[SentencePair]) -> list[SentencePair]:
    """Pairs in any order, no sentence in two: the most similar first (ties by position).

    A reused passage may have its sentences reordered, so order is no constraint; the merge
    step (``extend.py``) joins the pairs of one passage again.
    """
    used_a: set[int] = set()
    used_b: set[int] = set()
    chosen: list[SentencePair] = []
    for pair in sorted(pairs, key=lambda p: (-p.similarity, p.a_first, p.b_first, p.a_last)):
        a = range(pair.a_first, pair.a_last + 1)
        b = range(pair.b_first, pair.b_last + 1)
        if used_a.isdisjoint(a) and used_b.isdisjoint(b):
            used_a.update(a)
            used_b.update(b)
            chosen.append(pair)
    return sorted(chosen, key=lambda p: (p.a_first, p.b_first))
