"""Shared material of the index tests: the seeds, generated texts, and a writer process.

Run as a script, it is the writer the fault and concurrency tests start and kill:
``python material.py DB COUNT`` adds COUNT generated texts to DB, batch by batch.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
SEED = {p.name[:3]: p for p in sorted(SEEDS.iterdir())}
WRITER = Path(__file__).resolve()

def _vocabulary(size: int = 5000) -> list[str]:
    """Made-up words, distinct in their first five letters (the story tier's stem)."""
    rng = np.random.default_rng(12345)
    consonants, vowels = list("bcdfghjklmnprstvz"), list("aeiou")
    found: dict[str, str] = {}
    while len(found) < size:
        letters = [rng.choice(consonants if k % 2 == 0 else vowels) for k in range(7)]
        word = "".join(letters)
        found.setdefault(word[:5], word)
    return list(found.values())


_WORDS = _vocabulary()


def texts(count: int, words: int = 120, seed: int = 0) -> list[str]:
    """Unrelated texts of random words from a large vocabulary: no two share a 5-word shingle
    in practice, nor enough of their words to tell one story."""
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(_WORDS), size=(count, words))
    return [" ".join(_WORDS[i] for i in row) + "." for row in picks]


def _write(db: str, count: int) -> None:
    import dedup

    documents = (dedup.Document(f"d{i:05d}", text) for i, text in enumerate(texts(count)))
    with dedup.Index.open(db) as index:
        result = index.add(documents)
    print(len(result.added), len(result.unchanged), flush=True)


if __name__ == "__main__":
    _write(sys.argv[1], int(sys.argv[2]))
