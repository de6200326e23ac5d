"""The tier's figures for explicit pairs of texts, from their fingerprints and a table of
document frequencies: what a query against the persistent index needs, where the corpus is not
at hand but how many documents hold each fingerprint is.

The figures are the postings path's (``evidence.unit_pairs``), by the same formulas
(``rarity``, ``word_weight``, ``covers``, ``postings.correlation``) and the same caps: given the
document frequencies the postings would count, a pair gets the same ``UnitPairs`` row either way
(tested), so ``relations.decide`` names it alike whichever path measured it.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs
import numpy as np
import numpy.typing as npt

from dedup.config import StoryConfig
from dedup.tiers.evidence import UnitPairs, covers, rarity, word_weight
from dedup.tiers.postings import correlation

U32 = npt.NDArray[np.uint32]
U64 = npt.NDArray[np.uint64]
I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]

_SHIFT = np.uint64(32)
_LOW = np.uint64(0xFFFFFFFF)


@attrs.frozen(eq=False)
class Frequencies:
    """Document frequencies: ``counts[k]`` documents hold fingerprint ``prints[k]`` (sorted,
    unique); a fingerprint not listed is held by none."""

    prints: U32
    counts: I64

    def of(self, values: U32) -> I64:
        """The document frequency of each of ``values``."""
        if not self.prints.size:
            return np.zeros(values.size, dtype=np.int64)
        at = np.minimum(np.searchsorted(self.prints, values), self.prints.size - 1)
        found: I64 = np.where(self.prints[at] == values, self.counts[at], 0)
        return found


def terms_of(words: U64) -> U32:
    """The content-word terms of a text's word keys (``WordStore``: ``term << 32 | position``)."""
    terms: U32 = (words >> _SHIFT).astype(np.uint32)
    return terms


def pair_evidence(
    shingles: Sequence[U32],
    words: Sequence[U64],
    pairs: I64,
    shingle_df: Frequencies,
    word_df: Frequencies,
    stories: StoryConfig,
) -> UnitPairs:
    """What each pair ``(a, b)`` of texts (rows of ``pairs``, indices into ``shingles`` and
    ``words``: verification keys and ``WordStore`` keys) shares, as the scan's postings measure
    it, with ``shingle_df`` and ``word_df`` as the corpus's document frequencies."""
    mass = np.array([word_weight(word_df.of(terms_of(w)), stories.word_cap).sum() for w in words])
    rows = [
        _shared(shingles[a], shingles[b], words[a], words[b], shingle_df, word_df, stories)
        for a, b in pairs.tolist()
    ]
    a, b = pairs[:, 0].astype(np.int64), pairs[:, 1].astype(np.int64)
    counted = np.array([row[:2] for row in rows], dtype=np.int64).reshape(-1, 2)
    weight = np.array([row[2] for row in rows], dtype=np.float64)
    cover, cover_longer = covers(weight, mass[a], mass[b])
    # Order only where a rewrite is possible, as the postings path measures it.
    order = np.array([
        row[3] if reach >= stories.rewrite_cover else 0.0
        for row, reach in zip(rows, cover.tolist(), strict=True)
    ])  # fmt: skip
    return UnitPairs(a, b, counted[:, 0], counted[:, 1], weight, cover, cover_longer, order)


def _shared(
    shingles_a: U32,
    shingles_b: U32,
    words_a: U64,
    words_b: U64,
    shingle_df: Frequencies,
    word_df: Frequencies,
    stories: StoryConfig,
) -> tuple[int, int, float, float]:
    """One pair's shared shingles and content words below their caps, the words' summed
    rarity and the correlation of where both texts first use them."""
    common = np.intersect1d(shingles_a, shingles_b, assume_unique=True)
    shingle_count = _below_cap(shingle_df.of(common), stories.shingle_cap)
    terms, at_a, at_b = np.intersect1d(
        terms_of(words_a), terms_of(words_b), assume_unique=True, return_indices=True
    )
    df = word_df.of(terms)
    kept = _below_cap(df, stories.word_cap)
    weight = float(rarity(df[kept], stories.word_cap).sum())
    x = (words_a[at_a[kept]] & _LOW).astype(np.float64)
    y = (words_b[at_b[kept]] & _LOW).astype(np.float64)
    moments = [np.array([v.sum()]) for v in (np.ones(x.size), x, y, x * y, x * x, y * y)]
    order = float(correlation(*moments)[0])
    return int(shingle_count.sum()), int(kept.sum()), weight, order


def _below_cap(df: I64, cap: int) -> npt.NDArray[np.bool_]:
    """Shared fingerprints that count as evidence: held by at least the two, at most ``cap``."""
    counted: npt.NDArray[np.bool_] = (df >= 2) & (df <= cap)
    return counted
