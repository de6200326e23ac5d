"""The story tier: content words, the ordered-sentence chain, and the relations it claims."""

from pathlib import Path

import numpy as np

import dedup
from dedup.model import COPY_RELATIONS, Relation
from dedup.normalization import normalize
from dedup.story import relate
from dedup.tiers.words import STOPWORDS, content_jaccard, content_terms

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def test_content_terms_drop_stopwords_and_stem_spelling_variants() -> None:
    a = content_terms(("the", "minister", "borisov", "said", "and", "2022"))
    b = content_terms(("minister", "borissov", "of", "a"))
    assert a.size == 2
    assert np.array_equal(a, b)
    assert content_jaccard(a, b) == 1.0
    assert "the" in STOPWORDS


def test_content_jaccard_of_disjoint_and_empty_sets() -> None:
    assert content_jaccard(content_terms(("apple",)), content_terms(("river",))) == 0.0
    empty = content_terms(())
    assert content_jaccard(empty, empty) == 0.0


def _side(name: str) -> tuple[str, str, dedup.NormalizedText]:
    path = next(SEEDS.glob(f"{name}_*.txt"))
    text = path.read_text(encoding="utf-8")
    return path.name, text, normalize(text)


def test_relate_names_the_seed_relations() -> None:
    config = dedup.ScanConfig()
    assert relate(_side("000"), _side("001"), config) is Relation.SAME_STORY
    assert relate(_side("000"), _side("004"), config) is Relation.PARTIAL_REUSE
    assert relate(_side("000"), _side("003"), config) is None


def test_no_stories_reports_copies_only() -> None:
    result = dedup.scan([SEEDS], dedup.ScanConfig(story=False))
    assert all(p.relation in COPY_RELATIONS for p in result.pairs)
    assert result.stories == ()


def test_copies_do_not_change_with_the_story_tier() -> None:
    with_stories = dedup.scan([SEEDS])
    without = dedup.scan([SEEDS], dedup.ScanConfig(story=False))
    assert [p for p in with_stories.pairs if p.relation in COPY_RELATIONS] == list(without.pairs)
    assert with_stories.families == without.families
