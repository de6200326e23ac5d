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

import functools
from collections.abc import Sequence

import attrs
import numpy as np
import numpy.typing as npt

from dedup.model import ReuseEvidence
from dedup.relations import Figures
from dedup.shingling import sorted_unique
from dedup.tiers.postings import (
    PairTotals,
    Postings,
    above,
    pair_order,
    pair_totals,
    shingle_postings,
    totals_of,
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


def word_weight(df: I64, cap: int) -> F64:
    """What each content word held by ``df`` units adds to a text's rare-word weight: its
    ``rarity``, nothing beyond the cap (boilerplate)."""
    weight: F64 = np.where(df <= cap, rarity(df, cap), 0.0)
    return weight


def covers(weight: F64, mass_a: F64, mass_b: F64) -> tuple[F64, F64]:
    """The shared rare-word ``weight`` of pairs over the smaller and over the larger of the two
    texts' total weights (``cover``, ``cover_longer``)."""
    low = np.minimum(mass_a, mass_b)
    high = np.maximum(mass_a, mass_b)
    cover: F64 = np.divide(weight, low, out=np.zeros(np.shape(weight)), where=low > 0)
    longer: F64 = np.divide(weight, high, out=np.zeros(np.shape(weight)), where=high > 0)
    return cover, longer


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
    order_from: float,
    keep_cover: float,
) -> tuple[UnitPairs, Postings]:
    """The pairs of units that share a shingle below its cap, or content words whose ``cover``
    reaches ``keep_cover`` (pairs that share only a few common words are most pairs, and can
    be nothing), and the boilerplate shingles' postings (the boilerplate report reads them).
    ``order`` is measured for the pairs whose ``cover`` reaches ``order_from`` (only they can
    be rewrites)."""
    count = len(units)
    copied, boiler = [], []
    for part in shingle_postings(shingles, units):
        copied.append(pair_totals(part, shingle_cap))
        boiler.append(above([part], shingle_cap))
    told = list(word_postings(words, units))
    weight = functools.partial(rarity, cap=term_cap)
    related = totals_of([pair_totals(part, term_cap, weight) for part in told], count)
    mass = _unit_mass(words, units, told, term_cap)
    found = _joined(totals_of(copied, count), related, mass, count, keep_cover)
    ordered = np.flatnonzero(found.cover >= order_from)
    found.order[ordered] = pair_order(told, term_cap, found.a[ordered] * count + found.b[ordered])
    return found, above(boiler, shingle_cap)


def _unit_mass(
    words: WordSets, units: Sequence[int], told: Sequence[Postings], cap: int
) -> F64:
    """Each unit's total rare-word weight; its words held by no other unit weigh ``rarity(1)``."""
    mass = np.zeros(len(units))
    shared = np.zeros(len(units), dtype=np.int64)
    for part in told:
        held = word_weight(part.df, cap)
        mass += np.bincount(part.holders, weights=np.repeat(held, part.df), minlength=len(units))
        shared += np.bincount(part.holders, minlength=len(units))
    sizes = np.fromiter((words[i].size for i in units), np.int64, len(units))
    result: F64 = mass + (sizes - shared) * float(rarity(1, cap))
    return result


def _joined(
    copied: PairTotals, related: PairTotals, mass: F64, units: int, keep_cover: float
) -> UnitPairs:
    """The two tables' pairs in one (a pair missing from one shares nothing there), less those
    that share no shingle and cover less than ``keep_cover`` (most pairs of a corpus: they
    share a common word or two), dropped before the join."""
    told_cover, _ = covers(related.weight, mass[related.a], mass[related.b])
    kept = np.flatnonzero(told_cover >= keep_cover)
    key_told = related.a * units + related.b
    key_copy = copied.a * units + copied.b
    keys = sorted_unique(np.concatenate([key_copy, key_told[kept]]))
    shingle_count = np.zeros(keys.size, np.int64)
    shingle_count[np.searchsorted(keys, key_copy)] = copied.count
    # Pairs that share shingles keep their content words, however few.
    at = np.minimum(np.searchsorted(keys, key_told), max(keys.size - 1, 0))
    held = np.flatnonzero(keys[at] == key_told) if keys.size else kept[:0]
    terms = np.zeros(keys.size, np.int64)
    weight = np.zeros(keys.size, np.float64)
    terms[at[held]], weight[at[held]] = related.count[held], related.weight[held]
    a, b = keys // units, keys % units
    cover, cover_longer = covers(weight, mass[a], mass[b])
    return UnitPairs(a, b, shingle_count, terms, weight, cover, cover_longer, np.zeros(keys.size))


def figures_of(found: UnitPairs, overlap: I64, owner: I64 | None = None) -> Figures:
    """The decision figures (``relations.decide``) of pairs of documents with exact ``overlap``
    rows ``(shared, size_a, size_b)`` whose unit pair is ``owner`` (every unit pair, in order,
    when None)."""
    at = np.arange(found.a.size) if owner is None else owner
    shared, size_a, size_b = overlap.T.astype(np.float64)
    union = size_a + size_b - shared
    return Figures(
        jaccard=np.divide(shared, union, out=np.zeros(shared.size), where=union > 0),
        a_in_b=np.divide(shared, size_a, out=np.zeros(shared.size), where=size_a > 0),
        b_in_a=np.divide(shared, size_b, out=np.zeros(shared.size), where=size_b > 0),
        looser=np.ones(at.size, dtype=bool),
        shared_shingles=found.shared_shingles[at],
        rare_words=found.shared_terms[at],
        rare_cover=found.cover[at],
        rare_cover_longer=found.cover_longer[at],
        rare_weight=found.term_weight[at],
        order=found.order[at],
    )


def evidence_of(found: UnitPairs, index: int) -> ReuseEvidence:
    """The evidence of unit pair ``index`` as the reports show it."""
    return ReuseEvidence(
        shared_shingles=int(found.shared_shingles[index]),
        rare_words=int(found.shared_terms[index]),
        rare_cover=round(float(found.cover[index]), 6),
        rare_cover_longer=round(float(found.cover_longer[index]), 6),
        rare_weight=round(float(found.term_weight[index]), 6),
        order=round(float(found.order[index]), 6),
    )
