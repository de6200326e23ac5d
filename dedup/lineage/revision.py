"""Evidence of the regime a pair was made in: copying cuts, revising grows.

A copier takes a document and cuts it (a wire story trimmed from the bottom, a student's answer
lifted from an article); a reviser edits a text in place and more often adds than removes (a
qualifier, a citation, a clause). On the real corpora the two regimes point opposite ways on
length, and what tells them apart in a single pair is the size of the texts: documents are cut,
sentences and short notices are edited. Measured on held-out real corpora (benchmarks/
lineage_real.py): among Reuters re-sends the shorter text is the later in 42 % of pairs whose
shorter text has under 60 words, 63 % at 60-100 words and 77-79 % above; Clough & Stevenson's
answers (100-300 words) are the shorter in 87-100 %; arXiv sentence revisions (a median of 23
words) the shorter in 44 %.

The model (``weights.py``) therefore lets the weight of ``growth`` move with the log of the
shorter text's story words, the symmetric ``story_scale`` of this module: a feature of the pair
that does not change sign when the pair is swapped, so it sets how much the antisymmetric
growth says, never which way on its own.
"""

from __future__ import annotations

import math

from dedup.lineage.signals import Signals

#: Story words at which ``story_scale`` is 0: the size of a short news story, between the
#: edited sentence and the cut document.
REFERENCE_WORDS = 100


def story_scale(a: Signals, b: Signals) -> float:
    """log of the shorter text's story words (page furniture aside, counted once per text in
    its signals) relative to ``REFERENCE_WORDS``; symmetric."""
    shorter = min(a.story_words, b.story_words)
    return math.log(shorter + 1) - math.log(REFERENCE_WORDS + 1)
