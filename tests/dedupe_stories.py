"""Synthetic stories for the dedupe tests: seeded, so a test can ask for the same text again.

Imported as ``dedupe_stories`` (pytest puts ``tests/`` on the path for the test packages).
"""

from __future__ import annotations

import random

VOCABULARY = [f"{a}{b}" for a in ("ka", "lo", "mi", "ne", "su", "ta", "vo", "ri") for b in
              ("bar", "cen", "dol", "fim", "gat", "hup", "jor", "kel", "lum", "mox")]  # fmt: skip


def story(seed: int, words: int = 120) -> str:
    """Sentences of made-up words, about ``words`` long; the same seed gives the same text."""
    rng = random.Random(seed)
    sentences: list[str] = []
    while sum(len(s.split()) for s in sentences) < words:
        sentence = " ".join(rng.choice(VOCABULARY) for _ in range(rng.randint(6, 14)))
        sentences.append(sentence.capitalize() + ".")
    return " ".join(sentences)
