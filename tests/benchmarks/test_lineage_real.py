"""The real-corpus lineage benchmark's fitting and calibration arithmetic."""

from __future__ import annotations

import numpy as np
from lineage_real import Group, fit_direction, group_key, reliability, tree_scores

import dedup
from dedup.lineage.weights import MODEL_FEATURES


def test_the_fit_recovers_the_weights_that_made_the_labels() -> None:
    rng = np.random.default_rng(0)
    truth = np.zeros(len(MODEL_FEATURES))
    truth[0], truth[8] = 3.0, -1.5
    x = rng.normal(size=(4000, len(MODEL_FEATURES)))
    x[:, [3, 5]] = 0.0  # the hand-set weights' features: held, not fitted
    older_first = rng.random(4000) < 1 / (1 + np.exp(-(x @ truth)))
    rows = np.where(older_first[:, None], x, -x)  # each row as (older, newer)
    beta = fit_direction([rows[:2000], rows[2000:]])
    free = [i for i in range(len(MODEL_FEATURES)) if i not in (3, 5)]
    assert np.allclose(beta[free], truth[free], atol=0.35)


def test_calibrated_predictions_have_a_small_error_and_overconfident_ones_a_large() -> None:
    rng = np.random.default_rng(1)
    p = rng.uniform(0.5, 1.0, 20000)
    right = rng.random(20000) < p
    _, good = reliability(np.where(right, p, 1 - p))
    _, bad = reliability(np.where(right, 0.99, 0.01))
    assert good < 0.02 < 0.2 < bad


def test_parent_and_root_accuracy_count_each_derived_text_and_group() -> None:
    docs = tuple(dedup.Document(i, i) for i in ("a", "b", "c"))
    group = Group("x", docs, {"b": "a", "c": "b"})
    assert group.derived_pairs() == [("a", "b"), ("b", "c"), ("a", "c")]
    assert tree_scores([group], {group_key(group): {"b": "a", "c": "a"}}) == (0.5, 1.0)
    assert tree_scores([group], {group_key(group): {"a": "b", "c": "b"}}) == (0.5, 0.0)
    assert tree_scores([group], {group_key(group): {"a": "c", "b": "c"}}) == (0.0, 0.0)
