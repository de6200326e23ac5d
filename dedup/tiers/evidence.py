"""What two units share below the copy level, read from the postings alone.

For each pair of units that shares a fingerprint below its boilerplate cap:

- ``shared_shingles``: word n-gram shingles both hold that are not boilerplate (verbatim reuse);
- ``shared_terms`` and ``term_weight``: content words both hold, each weighed by how rare it is
  in the corpus (``rarity``): names, places and figures weigh much, common words little,
  boilerplate words nothing;
- ``cover``: ``term_weight`` over the smaller of the two units' total rare-word weight: the share
  of the shorter text's rare words that the other has; ``cover_longer`` the same share of the
  longer text's (low when a long text reuses part of a short one);
- ``order``: the correlation of where the shared content words first occur in each text; a
  rewrite follows its source's order, two reports of one event much less so.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs
import numpy as np
import numpy.typing as npt

from dedup.shingle import sorted_unique
from dedup.tiers.postings import (
    PairTotals,
    Postings,
    pair_totals,
    shingle_postings,
    word_postings,
)
from dedup.tiers.words import WordSets
from dedup.verify import ShingleSets

I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]


def rarity(df: I64 | int, cap: int) -> F64:
    """The weight of a content word held by ``df`` units: ``ln((cap + 1) / df)``, so a word of
    one text weighs most and one at the boilerplate cap almost nothing. It depends on the
    document frequency alone, not on the corpus size."""
    weight: F64 = np.log((cap + 1) / np.asarray(df, dtype=np.float64))
    return np.maximum(weight, 0.0)


@attrs.frozen(eq=False)
class UnitPairs:
    """Pairs of units (``a < b``, indices into the unit list) and what they share."""

    a: I64
    b: I64
    shared_shingles: I64
    shared_terms: I64
    term_weight: F64
    cover: F64
    cover_longer: F64
    order: F64


def unit_pairs(
    shingles: ShingleSets,
    words: WordSets,
    units: Sequence[int],
    shingle_cap: int,
    term_cap: int,
) -> tuple[UnitPairs, Postings]:
    """Every pair of units that shares a shingle or a content word below its cap, and the
    shingle postings (the boilerplate report reads them)."""
    verbatim = shingle_postings(shingles, units)
    told = word_postings(words, units)
    weights = rarity(told.df, term_cap)
    copied = pair_totals(verbatim, shingle_cap)
    related = pair_totals(told, term_cap, weights)
    mass = _unit_mass(words, units, told, weights, term_cap)
    return _joined(copied, related, mass, len(units)), verbatim


def _unit_mass(
    words: WordSets, units: Sequence[int], told: Postings, weights: F64, cap: int
) -> F64:
    """Each unit's total rare-word weight; its words held by no other unit weigh ``rarity(1)``."""
    held = np.where(told.df <= cap, weights, 0.0)
    mass = np.bincount(told.holders, weights=np.repeat(held, told.df), minlength=len(units))
    shared = np.bincount(told.holders, minlength=len(units))
    sizes = np.fromiter((words[i].size for i in units), np.int64, len(units))
    result: F64 = mass + (sizes - shared) * float(rarity(1, cap))
    return result


def _joined(copied: PairTotals, related: PairTotals, mass: F64, units: int) -> UnitPairs:
    """The two tables' pairs in one; a pair missing from one shares nothing there."""
    key_copy = copied.a * units + copied.b
    key_told = related.a * units + related.b
    keys = sorted_unique(np.concatenate([key_copy, key_told]))
    shingle_count = np.zeros(keys.size, np.int64)
    shingle_count[np.searchsorted(keys, key_copy)] = copied.count
    where = np.searchsorted(keys, key_told)
    terms = np.zeros(keys.size, np.int64)
    weight = np.zeros(keys.size, np.float64)
    order = np.zeros(keys.size, np.float64)
    terms[where], weight[where], order[where] = related.count, related.weight, related.order
    a, b = keys // units, keys % units
    smaller = np.minimum(mass[a], mass[b])
    larger = np.maximum(mass[a], mass[b])
    cover = np.divide(weight, smaller, out=np.zeros(keys.size), where=smaller > 0)
    cover_longer = np.divide(weight, larger, out=np.zeros(keys.size), where=larger > 0)
    return UnitPairs(a, b, shingle_count, terms, weight, cover, cover_longer, order)
