"""The one rule that names a pair's relation, from what the pair shares.

Every tier measures; this module decides. The relations, strongest first (the first that holds
is the pair's; docs/concepts.md has the same table):

=================  ============================================================================
exact-duplicate    the same normalised text (found by the text's key, before any shingle)
near-duplicate     shingle Jaccard ≥ ``threshold`` (and ≥ ``min_jaccard``)
contained          Jaccard ≥ ``min_jaccard`` and one text's shingles ≥ ``containment_threshold``
                   inside the other, whichever tier found the pair
rewrite            derived with heavy edits: ≥ ``rewrite_cover`` of the shorter text's rare-word
                   weight in the other, told in the same order (``rewrite_order``), with at
                   least ``rewrite_words`` shared content words
partial-reuse      a verbatim passage of ≥ ``min_reused_words`` words that is not boilerplate
                   and shares rare words (``reuse_weight``; or ≥ 3 times as long),
                   unless both texts tell the same story throughout (≥ ``story_cover`` of
                   both texts' rare-word weight) and share less than ``retold_containment``
                   of their shingles: then quotes of one story told twice, same-story
same-story         the same event told independently: ≥ ``story_cover`` of the shorter text's
                   rare-word weight in the other, ≥ ``story_cover_longer`` of the longer's,
                   summing to ≥ ``story_weight``
=================  ============================================================================

The rule is written once, over arrays (``decide``): the story tier names thousands of pairs at
a time; ``relation`` names one.
"""

from __future__ import annotations

import attrs
import numpy as np
import numpy.typing as npt

from dedup.config import ScanConfig
from dedup.model import Containment, Relation, ReuseEvidence

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
I8 = npt.NDArray[np.int8]

#: ``decide``'s codes: ``RELATIONS[code]``; -1 for no relation.
RELATIONS = tuple(Relation)
_CODE = {relation: np.int8(code) for code, relation in enumerate(RELATIONS)}


@attrs.frozen(eq=False)
class Figures:
    """What each of many pairs shares: exact shingle overlap, and (``looser``) the story tier's
    evidence; pairs without evidence can only be copies."""

    jaccard: F64
    a_in_b: F64
    b_in_a: F64
    looser: npt.NDArray[np.bool_]
    shared_shingles: I64
    rare_words: I64
    rare_cover: F64
    rare_cover_longer: F64
    rare_weight: F64
    order: F64


def decide(figures: Figures, config: ScanConfig) -> I8:
    """Each pair's relation code (``RELATIONS``), -1 where none holds; the first row of the
    table that holds wins."""
    codes = np.full(figures.jaccard.size, -1, dtype=np.int8)
    for relation, holds in reversed(_rows(figures, config)):
        codes[holds] = _CODE[relation]
    return codes


def _rows(
    f: Figures, config: ScanConfig
) -> list[tuple[Relation, npt.NDArray[np.bool_]]]:
    """The table above as masks, strongest first."""
    stories = config.stories
    told = (
        f.looser
        & (f.rare_cover >= stories.story_cover)
        & (f.rare_cover_longer >= stories.story_cover_longer)
        & (f.rare_weight >= stories.story_weight)
    )
    shortest = passage_shingles(config)
    # A template's fixed sentences are shared with only common words; reused text carries a
    # name, a place, a figure of its own, unless the passage is long.
    passage = f.looser & (f.shared_shingles >= shortest) & (
        (f.rare_weight >= stories.reuse_weight) | (f.shared_shingles >= 3 * shortest)
    )
    # Quotes of one story told twice: both texts mostly the same story, little of it verbatim.
    retold = (told & (f.rare_cover_longer >= stories.story_cover)
              & (np.maximum(f.a_in_b, f.b_in_a) < stories.retold_containment))
    copies = _copy_rows(f.jaccard, f.a_in_b, f.b_in_a, config.threshold,
                        config.containment_threshold, config.min_jaccard)
    return [
        *copies,
        (Relation.REWRITE,
         f.looser & (f.rare_cover >= stories.rewrite_cover)
         & (f.order >= stories.rewrite_order) & (f.rare_words >= stories.rewrite_words)),
        (Relation.PARTIAL_REUSE, passage & ~retold),
        (Relation.SAME_STORY, told),
    ]  # fmt: skip


def _copy_rows(
    jaccard: F64,
    a_in_b: F64,
    b_in_a: F64,
    threshold: float,
    containment_threshold: float,
    min_jaccard: float,
) -> list[tuple[Relation, npt.NDArray[np.bool_]]]:
    counted = jaccard >= min_jaccard
    return [
        (Relation.NEAR_DUPLICATE, counted & (jaccard >= threshold)),
        (Relation.CONTAINED, counted & (np.maximum(a_in_b, b_in_a) >= containment_threshold)),
    ]


def copy_codes(
    jaccard: F64,
    a_in_b: F64,
    b_in_a: F64,
    threshold: float,
    containment_threshold: float,
    min_jaccard: float = 0.0,
) -> I8:
    """``decide`` for pairs that only the copy tier scored (no story evidence)."""
    codes = np.full(jaccard.size, -1, dtype=np.int8)
    rows = _copy_rows(jaccard, a_in_b, b_in_a, threshold, containment_threshold, min_jaccard)
    for relation, holds in reversed(rows):
        codes[holds] = _CODE[relation]
    return codes


def passage_shingles(config: ScanConfig) -> int:
    """Shingles that a verbatim passage of ``min_reused_words`` words yields (character
    shingles: about six characters a word)."""
    spec = config.sketch.shingle
    words = config.stories.min_reused_words
    return max(1, (words if spec.kind == "word" else 6 * words) - spec.size + 1)


def relation(
    jaccard: float, containment: Containment, evidence: ReuseEvidence | None, config: ScanConfig
) -> Relation | None:
    """One pair's relation by the table (``evidence`` None: copies only)."""
    code = int(decide(_one(jaccard, containment, evidence), config)[0])
    return None if code < 0 else RELATIONS[code]


def copy_relation(
    jaccard: float,
    containment: Containment,
    threshold: float,
    containment_threshold: float,
    min_jaccard: float = 0.0,
) -> Relation | None:
    """``near-duplicate``, ``contained`` or None, from exact shingle overlap alone."""
    code = int(copy_codes(np.array([jaccard]), np.array([containment.a_in_b]),
                          np.array([containment.b_in_a]), threshold, containment_threshold,
                          min_jaccard)[0])
    return None if code < 0 else RELATIONS[code]


def _one(jaccard: float, containment: Containment, evidence: ReuseEvidence | None) -> Figures:
    e = evidence or ReuseEvidence(0, 0, 0.0, 0.0, 0.0, 0.0)
    return Figures(
        np.array([jaccard]), np.array([containment.a_in_b]), np.array([containment.b_in_a]),
        np.array([evidence is not None]), np.array([e.shared_shingles]),
        np.array([e.rare_words]), np.array([e.rare_cover]), np.array([e.rare_cover_longer]),
        np.array([e.rare_weight]), np.array([e.order]),
    )  # fmt: skip
