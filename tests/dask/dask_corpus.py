"""Corpora for the Dask backend's tests, made here: CI has no Reuters-21578."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any


def _sentence(rng: random.Random, words: list[str]) -> str:
    return " ".join(rng.choice(words) for _ in range(rng.randint(8, 18))).capitalize() + "."


def stories(count: int, seed: int = 3) -> list[Any]:
    """Distinct wire stories of made-up words (the simulator needs stories; CI has no Reuters)."""
    import simulate

    rng = random.Random(seed)
    words = ["".join(rng.choice("abcdefghiklmnoprstuvw") for _ in range(rng.randint(2, 9)))
             for _ in range(3000)]  # fmt: skip
    found = []
    for index in range(count):
        paragraphs = ["\n".join(_sentence(rng, words) for _ in range(rng.randint(2, 4)))
                      for _ in range(rng.randint(3, 6))]  # fmt: skip
        title = _sentence(rng, words)[:40].rstrip(".").upper()
        found.append(simulate.Story(f"s{index}", "\n\n".join(paragraphs), "1987-03-02", title))
    return found


def simulated_rows(n_stories: int = 18, n_distractors: int = 40) -> list[dict[str, Any]]:
    """A syndicated corpus: wire stories, their edited copies and unrelated stories."""
    import simulate

    corpus = simulate.simulate(
        stories(n_stories + n_distractors + 20), n_stories=n_stories,
        n_distractors=n_distractors, strength=0.5, seed=5,
    )  # fmt: skip
    return [dict(row) for row in corpus.documents]


def write_jsonl(path: Path, rows: list[dict[str, Any]], extra: tuple[str, ...] = ()) -> Path:
    lines = [json.dumps(row) for row in rows] + list(extra)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
