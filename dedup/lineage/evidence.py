"""Direction evidence for one related pair, as named features of the ordered pair (a, b).

Every direction feature is antisymmetric: positive values speak for a -> b (a is the source),
and swapping the pair negates it. The *derivation* features are symmetric: they say whether
one text was taken from the other at all, or both from a common source that the corpus lacks
(each then has material the other lacks: its own ending, its own page furniture).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping

import attrs
import numpy as np
import numpy.typing as npt

from dedup.lineage.revision import story_scale
from dedup.lineage.signals import Signals
from dedup.model import Alignment, EditOp, NormalizedText
from dedup.shingling import ngram_hashes, token_hashes

B = npt.NDArray[np.bool_]
U64 = npt.NDArray[np.uint64]
#: A furniture paragraph counts as shared when this share of its words is aligned.
_SHARED_PARAGRAPH = 0.6
#: Hours over which a gap in publication times goes from no evidence to full evidence.
_DATE_SCALE_HOURS = 6.0
# Lines that name who wrote or photographed the story: every copy carries them from the
# original, so two copies sharing one say nothing about which was taken from which (unlike a
# publisher's insertion, such as a "Related article" line).
_AUTHORSHIP = re.compile(
    r"\W*(?:by\s|\(?reporting\s+by|editing\s+by|writing\s+by|additional\s+reporting"
    r"|photo|image|picture|caption|credit\s*:|file\s+photo)",
    re.IGNORECASE,
)


@attrs.frozen
class Side:
    """One document of a pair as the evidence needs it."""

    id: str
    text: str
    normal: NormalizedText
    signals: Signals
    #: The hash of the word n-gram starting at each token (the scan's shingle size).
    ngrams: U64 = attrs.field(eq=False, repr=False)
    #: The same hashes, sorted and unique.
    ngram_set: U64 = attrs.field(eq=False, repr=False)


@attrs.frozen
class Features:
    """The evidence of one ordered pair, and what each piece refers to (for its detail)."""

    #: Antisymmetric, for a -> b.
    date: float
    trimmed: float
    additions: float
    shared_innovation: float
    credit: float
    retrospective: float
    #: A mark of a later version (update, correction) in one text's unshared part or title.
    marker: float
    #: A full date mentioned only by one text, later than every date the other mentions.
    text_date: float
    #: How much longer b is than a (tanh of the log ratio of their story words): revisions grow.
    growth: float
    #: Symmetric, for a derivation between the two rather than a common source.
    both_trimmed: float
    both_own_furniture: float
    shared_any: float
    details: dict[str, str] = attrs.field(eq=False, factory=dict)
    #: Symmetric, the regime: log of the shorter text's story words around 100 (revision.py);
    #: the model weighs ``growth`` by it (documents are cut, sentences grow).
    story_scale: float = 0.0

    def direction(self) -> npt.NDArray[np.float64]:
        return np.array(
            [self.date, self.trimmed, self.additions, self.shared_innovation, self.credit,
             self.retrospective, self.marker, self.text_date, self.growth]
        )  # fmt: skip

    def derivation(self) -> npt.NDArray[np.float64]:
        return np.array([self.both_trimmed, self.both_own_furniture, self.shared_any])


#: Names of the features, in the order of ``Features.direction`` / ``derivation``.
DIRECTION_FEATURES = (
    "date", "trimmed", "additions", "shared-innovation", "credit-line", "relative-date",
    "update-marker", "text-date", "growth",
)  # fmt: skip
DERIVATION_FEATURES = ("both-trimmed", "both-own-furniture", "shared-innovation")


@attrs.frozen
class _Profile:
    """Per side: aligned words, the share of content words after the last aligned one, the share
    of words that are unaligned additions, and furniture paragraphs shared or own."""

    aligned: B
    tail: float
    added: float
    shared_paragraphs: tuple[int, ...]
    own_paragraphs: int


def features(
    a: Side, b: Side, aligned: tuple[B, B], boilerplate: frozenset[str] = frozenset()
) -> Features:
    """The evidence for a -> b, from the words of each that the other shares (``aligned``).

    Furniture paragraphs in ``boilerplate`` (found in other stories too: a site's cookie
    banner, a share line) are no shared innovation.
    """
    pa = _profile(a, aligned[0], boilerplate)
    pb = _profile(b, aligned[1], boilerplate)
    details: dict[str, str] = {}
    shared = bool(pa.shared_paragraphs or pb.shared_paragraphs)
    if shared:
        para = a.signals.paragraphs[pa.shared_paragraphs[0]] if pa.shared_paragraphs else None
        side = a if para else b
        para = para or b.signals.paragraphs[pb.shared_paragraphs[0]]
        details["shared-innovation"] = _snippet(side.text[para.start : para.end], 120)
    return Features(
        date=_date(a.signals, b.signals, details),
        trimmed=_noted(
            details,
            "trimmed",
            pa.tail - pb.tail,
            a,
            b,
            "{longer} goes on for {share:.0%} of its story after the text it shares",
        ),
        # Furniture both carry means the copy was stripped from the page, not built up: the
        # page's extra furniture is then no addition.
        additions=0.0
        if shared
        else _noted(
            details,
            "additions",
            pb.added - pa.added,
            a,
            b,
            "{shorter} has {share:.0%} more of its words unshared: furniture, added paragraphs",
        ),
        shared_innovation=float(np.sign(pa.own_paragraphs - pb.own_paragraphs)) if shared else 0.0,
        credit=_credit(a.signals, b.signals, details),
        retrospective=_retrospective(a, pa.aligned, b, pb.aligned, details),
        marker=_marker(a, pa.aligned, b, pb.aligned, details),
        text_date=_text_date(a, pa.aligned, b, pb.aligned, details),
        growth=_growth(a, b, details),
        both_trimmed=min(pa.tail, pb.tail),
        both_own_furniture=float(min(pa.own_paragraphs, pb.own_paragraphs) > 0 and not shared),
        shared_any=float(shared),
        details=details,
        story_scale=story_scale(a.signals, b.signals),
    )


def aligned_by_passages(alignment: Alignment, a_size: int, b_size: int) -> tuple[B, B]:
    """Per word of each side: equal to a word of the other in an aligned passage."""
    return _aligned_words(alignment, a_size, 0), _aligned_words(alignment, b_size, 1)


def word_ngrams(normal: NormalizedText, n: int) -> U64:
    """The hash of the word n-gram starting at each token."""
    return ngram_hashes(token_hashes(normal.tokens), n)


def aligned_by_shingles(a: Side, b: Side, n: int) -> tuple[B, B]:
    """Per word of each side: inside a word n-gram that the other text also has. For copies
    this is the alignment at a fraction of its cost."""
    return _words_shared(a, b, n), _words_shared(b, a, n)


def _words_shared(of: Side, by: Side, n: int) -> B:
    """The words of ``of`` inside a word n-gram that ``by`` has."""
    return _covered(_member(of.ngrams, by.ngram_set), len(of.normal.tokens), n)


class Overlaps:
    """The words of each text inside a word n-gram another text has, per ordered pair, found
    once: a pair's evidence, its parent share and the sibling discount all read them."""

    def __init__(self, sides: Mapping[str, Side], n: int) -> None:
        self._sides = sides
        self._n = n
        self._found: dict[tuple[str, str], B] = {}

    def of(self, of: str, by: str) -> B:
        """The words of ``of`` inside an n-gram that ``by`` has."""
        key = (of, by)
        if key not in self._found:
            self._found[key] = _words_shared(self._sides[of], self._sides[by], self._n)
        return self._found[key]

    def pair(self, a: str, b: str) -> tuple[B, B]:
        """``aligned_by_shingles`` of the two texts."""
        return self.of(a, b), self.of(b, a)

    def passages(self, a: str, b: str, min_words: int) -> tuple[B, B]:
        """The shared words of each text in runs of ``min_words`` or more: the passages two
        texts written apart share, without the phrases any two texts have."""
        a_words, b_words = self.pair(a, b)
        return _long_runs(a_words, min_words), _long_runs(b_words, min_words)


def _runs(mask: B) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """Where each run of True in ``mask`` starts, and where it ends (exclusive)."""
    edges = np.flatnonzero(np.diff(np.concatenate(([0], mask.view(np.int8), [0]))))
    return edges[::2], edges[1::2]


def _long_runs(mask: B, min_words: int) -> B:
    """``mask`` without its runs of True shorter than ``min_words``."""
    starts, ends = _runs(mask)
    kept = np.zeros(mask.size, dtype=bool)
    for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
        if end - start >= min_words:
            kept[start:end] = True
    return kept


def longest_run(mask: B) -> int:
    """The length of the longest run of True in ``mask``."""
    starts, ends = _runs(mask)
    return int((ends - starts).max()) if starts.size else 0


def _member(values: U64, sorted_set: U64) -> B:
    """``np.isin`` against a set already sorted (a pair costs a search, not a sort)."""
    if not sorted_set.size:
        return np.zeros(values.size, dtype=bool)
    at = np.minimum(np.searchsorted(sorted_set, values), sorted_set.size - 1)
    return np.asarray(sorted_set[at] == values)


def _covered(starts: B, size: int, n: int) -> B:
    """Words inside at least one of the n-grams that start where ``starts`` is True."""
    mask = np.zeros(size, dtype=bool)
    starts = starts[:size]
    # n shifted ors: n is small, and this runs for both sides of every pair.
    for shift in range(min(n, size)):
        mask[shift : shift + starts.size] |= starts[: size - shift]
    return mask


def _noted(
    details: dict[str, str], name: str, value: float, a: Side, b: Side, template: str
) -> float:
    """``value``, with a detail that names the text it speaks of ({longer}: the one with the
    positive share; {shorter}: the other way round)."""
    if value:
        first, second = (a, b) if value > 0 else (b, a)
        details[name] = template.format(longer=first.id, shorter=second.id, share=abs(value))
    return value


def _aligned_words(alignment: Alignment, size: int, side: int) -> B:
    """Per word of one side: inside an aligned stretch, edits excluded."""
    mask = np.zeros(size, dtype=bool)
    for passage in alignment.passages:
        for edit in passage.edits:
            if edit.op is EditOp.EQUAL:
                words = edit.a_words if side == 0 else edit.b_words
                mask[words.start : words.end] = True
    return mask


def _profile(side: Side, aligned: B, boilerplate: frozenset[str]) -> _Profile:
    signals = side.signals
    positions = np.flatnonzero(aligned & signals.story_mask)
    after = int(positions[-1]) + 1 if positions.size else 0
    # Past the last shared story word every story word is unshared: the tail is the story
    # words there, and the additions are the unshared words before it and the furniture after.
    tail = signals.story_words - int(signals.story_running[after])
    furniture_after = aligned.size - after - tail
    added = after - int(np.count_nonzero(aligned[:after])) + furniture_after
    shared, own = _furniture_paragraphs(side, aligned, boilerplate)
    return _Profile(
        aligned=aligned,
        tail=tail / max(1, signals.story_words),
        added=added / max(1, int(aligned.size)),
        shared_paragraphs=shared,
        own_paragraphs=own,
    )


def _furniture_paragraphs(
    side: Side, aligned: B, boilerplate: frozenset[str]
) -> tuple[tuple[int, ...], int]:
    """Indices of the furniture paragraphs the other text also carries (boilerplate aside),
    and how many it lacks."""
    signals = side.signals
    if not signals.furniture_paragraphs:
        return (), 0
    # One cumulative sum, then each paragraph's aligned words by difference: this runs for
    # every furniture paragraph of every pair.
    running = np.concatenate(([0], np.cumsum(aligned, dtype=np.int64))).tolist()
    shared: list[int] = []
    own = 0
    for index in signals.furniture_paragraphs:
        para = signals.paragraphs[index]
        lo, hi = signals.paragraph_words[index]
        if hi > lo and running[hi] - running[lo] >= _SHARED_PARAGRAPH * (hi - lo):
            # A shared headline or table row may be the original's own; a shared
            # "Related article" line is a publisher's.
            if (
                para.cued
                and signals.cued_keys[index] not in boilerplate
                and not _AUTHORSHIP.match(side.text[para.start : para.end])
            ):
                shared.append(index)
        else:
            own += 1
    return tuple(shared), own


def _date(a: Signals, b: Signals, details: dict[str, str]) -> float:
    if a.date is None or b.date is None or a.date == b.date:
        return 0.0
    hours = (b.date - a.date).total_seconds() / 3600
    if a.date.time() == b.date.time() == a.date.min.time() and abs(hours) < 24:
        return 0.0
    details["date"] = f"{a.date.isoformat()} ({a.date_source}) vs {b.date.isoformat()}"
    return math.tanh(hours / _DATE_SCALE_HOURS)


def _credit(a: Signals, b: Signals, details: dict[str, str]) -> float:
    b_credits_a = _credits(b, a)
    a_credits_b = _credits(a, b)
    if b_credits_a and not a_credits_b:
        details["credit-line"] = f"credits {b_credits_a}"
        return 1.0
    if a_credits_b and not b_credits_a:
        details["credit-line"] = f"credits {a_credits_b}"
        return -1.0
    return 0.0


def _credits(giver: Signals, taker: Signals) -> str:
    """A name of ``taker``'s that ``giver`` credits, or ''."""
    credited = [c for c in giver.plain_credits if len(c) >= 3]
    if not credited:
        return ""
    for name, plain in taker.plain_names:
        if plain and any(plain in c or c in plain for c in credited):
            return name
    return ""


def _retrospective(a: Side, a_aligned: B, b: Side, b_aligned: B, details: dict[str, str]) -> float:
    """Retrospective phrases outside the shared text: the one that looks back is later."""
    a_count = _unshared_phrases(a, a_aligned)
    b_count = _unshared_phrases(b, b_aligned)
    if a_count == b_count or min(a_count, b_count) > 0:
        return 0.0
    later = b if b_count else a
    at = later.signals.retrospective[0]
    details["relative-date"] = f"{later.id} looks back: {_snippet(later.text[at : at + 80], 40)}"
    return 1.0 if b_count else -1.0


def _unshared_phrases(side: Side, aligned: B) -> int:
    return sum(_unshared(aligned, side.signals.retrospective_words))


def _unshared(aligned: B, words: tuple[int, ...]) -> list[bool]:
    """Per located token (``Signals``' ``*_words``): outside the text the other shares (one
    before the text, such as a title's, always is)."""
    if not aligned.size:
        return [True] * len(words)
    return [word < 0 or not aligned[word] for word in words]


def _marker(a: Side, a_aligned: B, b: Side, b_aligned: B, details: dict[str, str]) -> float:
    """An update or correction mark that only one text adds: that one is the later version."""
    a_has = any(_unshared(a_aligned, a.signals.marker_words))
    b_has = any(_unshared(b_aligned, b.signals.marker_words))
    if a_has == b_has:
        return 0.0
    later = b if b_has else a
    at = next(iter(later.signals.markers))
    shown = "its title" if at < 0 else _snippet(later.text[at : at + 80], 40)
    details["update-marker"] = f"{later.id} marks a later version: {shown}"
    return 1.0 if b_has else -1.0


def _text_date(a: Side, a_aligned: B, b: Side, b_aligned: B, details: dict[str, str]) -> float:
    """A date that only one text mentions, later than all the other's: written after it."""
    a_new = _latest_unshared(a, a_aligned)
    b_new = _latest_unshared(b, b_aligned)
    a_all = max((d for _, d in a.signals.mentioned_dates), default=None)
    b_all = max((d for _, d in b.signals.mentioned_dates), default=None)
    b_later = b_new is not None and (a_all is None or b_new > a_all)
    a_later = a_new is not None and (b_all is None or a_new > b_all)
    if b_later == a_later:
        return 0.0
    later, when = (b, b_new) if b_later else (a, a_new)
    details["text-date"] = f"{later.id} mentions {when}, later than any date of the other"
    return 1.0 if b_later else -1.0


def _latest_unshared(side: Side, aligned: B) -> dt.date | None:
    """The latest date the story text (furniture aside: a page's dateline is no news) mentions
    outside the shared words."""
    dates = side.signals.mentioned_dates
    if not dates:
        return None
    unshared = _unshared(aligned, side.signals.date_words)
    furniture = side.signals.date_in_furniture
    return max(
        (d for (_, d), new, page in zip(dates, unshared, furniture, strict=True)
         if new and not page),
        default=None,
    )  # fmt: skip


def _growth(a: Side, b: Side, details: dict[str, str]) -> float:
    """tanh of the log ratio of the story words (furniture aside) of b to a."""
    a_words = a.signals.story_words
    b_words = b.signals.story_words
    # A difference of logs, not the log of a ratio: swapping the pair negates it exactly.
    value = math.tanh(math.log(b_words + 1) - math.log(a_words + 1))
    if abs(value) >= 0.01:
        longer = b if value > 0 else a
        details["growth"] = (
            f"{longer.id} has {max(a_words, b_words)} story words to {min(a_words, b_words)}"
        )
    return value


def _snippet(text: str, limit: int = 70) -> str:
    """``text`` on one line, cut at a word boundary near ``limit`` characters (marked …)."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit]
    return (cut[: cut.rfind(" ")] if " " in cut else cut) + " \u2026"
