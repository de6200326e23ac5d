"""The story tier: content words, and the copies it leaves as they are."""

from pathlib import Path

import numpy as np

import dedup
from dedup.model import COPY_RELATIONS
from dedup.tiers.words import STOPWORDS, content_terms

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def test_content_terms_drop_stopwords_and_stem_spelling_variants() -> None:
    a = content_terms(("the", "minister", "borisov", "said", "and", "2022"))
    b = content_terms(("minister", "borissov", "of", "a"))
    assert a.size == 2
    assert np.array_equal(a, b)
    assert "the" in STOPWORDS


def test_content_terms_of_different_words_differ_and_of_no_words_are_empty() -> None:
    assert np.intersect1d(content_terms(("apple",)), content_terms(("river",))).size == 0
    assert content_terms(()).size == 0


def test_no_stories_reports_copies_only() -> None:
    result = dedup.scan([SEEDS], dedup.ScanConfig(story=False))
    assert all(p.relation in COPY_RELATIONS for p in result.pairs)
    assert result.stories == ()


def test_copies_do_not_change_with_the_story_tier() -> None:
    with_stories = dedup.scan([SEEDS])
    without = dedup.scan([SEEDS], dedup.ScanConfig(story=False))
    assert [p for p in with_stories.pairs if p.relation in COPY_RELATIONS] == list(without.pairs)
    assert with_stories.families == without.families
