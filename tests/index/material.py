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

_WORD_TEXT = (
    "minister bank oil price shares market police court election rain harbour train report "
    "council budget export import strike union hospital school river bridge factory farmer "
    "wheat coffee tanker pipeline currency inflation reserve dollar yen mark franc analyst "
    "company profit loss quarter forecast senate vote treaty border army storm flood drought"
)
_WORDS = _WORD_TEXT.split()


def texts(count: int, words: int = 120, seed: int = 0) -> list[str]:
    """Unrelated texts of random words (no two share a 5-word shingle in practice)."""
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
