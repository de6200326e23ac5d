"""Normalised text → sorted, unique uint64 shingle hashes.

A shingle is a word n-gram (default) or a character n-gram of the normalised text. Each unit
(token, or code point) is hashed once; an n-gram's hash combines its units' hashes with array
arithmetic, ``splitmix64(Σ unit_j · C_j mod 2**64)`` with fixed odd constants ``C_j``, so the
hash of a shingle is the same in every run, process and machine and no Python call is made per
shingle. A text shorter than one n-gram yields a single shingle of all its units, so short texts
still compare.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import xxhash

from dedup.config import ShingleConfig
from dedup.model import NormalizedText

U64 = npt.NDArray[np.uint64]

# Fixed and documented so that shingle hashes are stable across releases; changing them
# changes every signature (bump NORMALIZER_VERSION's sibling in SketchParams if ever needed).
_POSITION_SEED = 0x5EED_D3D0
_MAX_NGRAM = 64


def _position_constants() -> U64:
    rng = np.random.Generator(np.random.PCG64(_POSITION_SEED))
    constants = rng.integers(0, 2**63, size=_MAX_NGRAM, dtype=np.uint64)
    return constants * np.uint64(2) + np.uint64(1)


_CONSTANTS = _position_constants()


def splitmix64(values: U64) -> U64:
    """The splitmix64 finaliser: a fast bijective avalanche on uint64 arrays."""
    z: U64 = values ^ (values >> np.uint64(30))
    z = z * np.uint64(0xBF58476D1CE4E5B9)
    z = z ^ (z >> np.uint64(27))
    z = z * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def token_hashes(tokens: Sequence[str]) -> U64:
    """xxh3-64 of each token's UTF-8 bytes."""
    digest = xxhash.xxh3_64_intdigest
    return np.fromiter((digest(t.encode("utf-8")) for t in tokens), np.uint64, len(tokens))


def codepoint_hashes(text: str) -> U64:
    """A mixed hash of each code point of ``text`` (the units of character shingles)."""
    codepoints = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    return splitmix64(codepoints + np.uint64(0x9E3779B97F4A7C15))


def ngram_hashes(units: U64, n: int) -> U64:
    """Hash of every window of ``n`` consecutive units (all units if fewer than ``n``)."""
    if n > _MAX_NGRAM:
        raise ValueError(f"n-grams longer than {_MAX_NGRAM} units are not supported")
    if units.size == 0:
        return np.empty(0, dtype=np.uint64)
    width = min(n, units.size)
    count = units.size - width + 1
    acc = np.zeros(count, dtype=np.uint64)
    for j in range(width):
        acc += units[j : j + count] * _CONSTANTS[j]
    return splitmix64(acc)


def shingle(text: NormalizedText, config: ShingleConfig = ShingleConfig()) -> U64:
    """The sorted, unique shingle hashes of a normalised text."""
    units = token_hashes(text.tokens) if config.kind == "word" else codepoint_hashes(text.text)
    return np.unique(ngram_hashes(units, config.size))
