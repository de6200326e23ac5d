"""The pairwise entry point measures a pair as the scan's postings do: one set of figures."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np

import dedup
from dedup.features import featurize
from dedup.shingling import ShingleStore
from dedup.tiers import WordStore
from dedup.tiers.evidence import unit_pairs
from dedup.tiers.pairwise import Frequencies, pair_evidence, terms_of

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
CONFIG = dedup.ScanConfig()


def _texts() -> list[str]:
    """The seeds, and stories retold from one another: kept, reordered, rewritten sentences."""
    seeds = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    rng = random.Random(3)
    told = []
    for text in seeds:
        sentences = text.split(". ")
        for _ in range(3):
            kept = [s for s in sentences if rng.random() < 0.6]
            if rng.random() < 0.5:
                rng.shuffle(kept)
            told.append(". ".join(" ".join(w for w in s.split() if rng.random() < 0.8)
                                  for s in kept))
    return seeds + told


def _stores(texts: list[str]) -> tuple[ShingleStore, WordStore]:
    features = featurize(texts, CONFIG, content_sketch=False)
    shingles, words = ShingleStore(), WordStore()
    for at in range(len(texts)):
        shingles.append(features.shingles[at])
        words.append(features.content[at], features.content_positions[at])
    return shingles, words


def _frequencies(arrays: list[np.ndarray]) -> Frequencies:
    prints, counts = np.unique(np.concatenate(arrays).astype(np.uint32), return_counts=True)
    return Frequencies(prints, counts.astype(np.int64))


def test_pairwise_figures_equal_the_postings_figures() -> None:
    texts = _texts()
    shingles, words = _stores(texts)
    units = list(range(len(texts)))
    stories = CONFIG.stories
    found, _ = unit_pairs(shingles, words, units, stories.shingle_cap, stories.word_cap,
                          stories.rewrite_cover, keep_cover=0.0)
    assert found.a.size > 20 and (found.order != 0).sum() > 5  # pairs of every kind
    shingle_df = _frequencies([shingles[u] for u in units])
    word_df = _frequencies([terms_of(words[u]) for u in units])
    pairs = np.stack([found.a, found.b], axis=1)
    measured = pair_evidence([shingles[u] for u in units], [words[u] for u in units], pairs,
                             shingle_df, word_df, stories)
    assert np.array_equal(measured.shared_shingles, found.shared_shingles)
    assert np.array_equal(measured.shared_terms, found.shared_terms)
    for name in ("term_weight", "cover", "cover_longer", "order"):
        assert np.allclose(getattr(measured, name), getattr(found, name), atol=1e-9), name


def test_a_shared_fingerprint_beyond_the_cap_is_not_evidence() -> None:
    texts = _texts()[:2]
    shingles, words = _stores(texts)
    pairs = np.array([[0, 1]], dtype=np.int64)
    sets, keys = [shingles[0], shingles[1]], [words[0], words[1]]
    held = pair_evidence(sets, keys, pairs, _frequencies(sets), _frequencies(
        [terms_of(k) for k in keys]), CONFIG.stories)
    everywhere = Frequencies(np.unique(np.concatenate(sets)),
                             np.full(np.unique(np.concatenate(sets)).size, 1000, np.int64))
    terms = np.unique(np.concatenate([terms_of(k) for k in keys]))
    common = Frequencies(terms, np.full(terms.size, 1000, np.int64))
    boiler = pair_evidence(sets, keys, pairs, everywhere, common, CONFIG.stories)
    assert held.shared_shingles[0] > 0 and held.term_weight[0] > 0
    assert boiler.shared_shingles[0] == 0 and boiler.term_weight[0] == 0.0
