"""The story tier aligns each document's few most similar candidates, not every candidate."""

from __future__ import annotations

import numpy as np

from dedup.story import nearest_candidates


def test_each_document_keeps_its_most_similar_candidates_only() -> None:
    rng = np.random.default_rng(4)
    signatures = rng.integers(0, 4, size=(30, 64), dtype=np.uint32)
    pairs = np.array([(i, j) for i in range(30) for j in range(i + 1, 30)], dtype=np.int64)
    keep = nearest_candidates(pairs, signatures, per_document=3)
    similarity = (signatures[pairs[:, 0]] == signatures[pairs[:, 1]]).mean(axis=1)
    for doc in range(30):
        mine = np.flatnonzero((pairs == doc).any(axis=1))
        best = mine[np.argsort(-similarity[mine], kind="stable")[:3]]
        # A document's three best candidates are all kept (by it, or by their other document)
        assert keep[best].all()
    # and a kept pair is among the three best of one of its documents.
    for index in np.flatnonzero(keep):
        a, b = pairs[index]
        ranks = []
        for doc in (a, b):
            mine = np.flatnonzero((pairs == doc).any(axis=1))
            ranks.append(int(np.sum(similarity[mine] > similarity[index])))
        assert min(ranks) < 3
    assert keep.sum() < len(pairs) / 2


def test_no_candidates_keeps_nothing() -> None:
    assert nearest_candidates(np.empty((0, 2), np.int64), np.zeros((0, 8), np.uint32), 3).size == 0
