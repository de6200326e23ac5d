"""Properties of the tier below copies."""

from __future__ import annotations

import random
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

import dedup

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
_BASE = tuple(
    dedup.Document(id=path.name, text=path.read_text(encoding="utf-8"))
    for path in sorted(SEEDS.glob("*.txt"))
)


def _unrelated(seed: int, count: int) -> list[dedup.Document]:
    """Texts of made-up words that no seed and no other such text holds."""
    rng = random.Random(seed)
    return [
        dedup.Document(
            id=f"u{seed}-{i}",
            text=" ".join(f"q{seed}x{i}y" + "".join(rng.choices("bcdfgklmnprstvz", k=5))
                          for _ in range(rng.randint(5, 300))),
        )
        for i in range(count)
    ]


def _pairs_among(result: dedup.ScanResult, ids: set[str]) -> set[tuple[object, ...]]:
    return {(p.a, p.b, p.relation, p.evidence) for p in result.pairs if {p.a, p.b} <= ids}


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 25), st.randoms(use_true_random=False))
def test_adding_unrelated_documents_never_changes_a_pair(
    seed: int, count: int, order: random.Random
) -> None:
    ids = {doc.id for doc in _BASE}
    alone = _pairs_among(dedup.scan_documents(list(_BASE)), ids)
    mixed = [*_BASE, *_unrelated(seed, count)]
    order.shuffle(mixed)
    assert _pairs_among(dedup.scan_documents(mixed), ids) == alone
