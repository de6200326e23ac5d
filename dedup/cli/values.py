"""Argument types that check a value's range while parsing, so that an error names the flag.

``--ngram 0`` then fails as ``dedup scan: error: argument --ngram: must be a positive whole
number, got 0`` with the subcommand's usage, rather than as the config field it lands in.
The configs check the same ranges again for library callers.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T", int, float)


def ranged(
    kind: Callable[[str], T], what: str, accept: Callable[[T], bool], rule: str
) -> Callable[[str], T]:
    """An argparse ``type``: ``kind(text)`` (else "must be ``what``"), refused unless
    ``accept(value)`` (then "``rule``, got TEXT")."""

    def parse(text: str) -> T:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be {what}, got {text!r}") from None
        if not accept(value):
            raise argparse.ArgumentTypeError(f"{rule}, got {text}")
        return value

    return parse


#: A whole number ≥ 1.
positive_int = ranged(int, "a whole number", lambda n: n >= 1, "must be a positive whole number")
#: A number between 0 and 1, both included.
unit_float = ranged(float, "a number", lambda x: 0.0 <= x <= 1.0, "must lie between 0 and 1")
#: A MinHash seed: a whole number in [0, 2**32).
seed = ranged(int, "a whole number", lambda n: 0 <= n < 2**32, "must lie in [0, 2**32)")
#: An anchor length: 1 to 64 words.
anchor_words = ranged(
    int, "a whole number", lambda n: 1 <= n <= 64, "must lie between 1 and 64 words"
)


def whole_number(low: int, high: int) -> Callable[[str], int]:
    """A whole number in [low, high]: out of range is a usage error (exit 2) before anything
    runs, never a crash or a runaway later."""
    return ranged(int, "a whole number", lambda n: low <= n <= high,
                  f"must lie between {low} and {high}")


def seconds(high: float) -> Callable[[str], float]:
    """A number of seconds in [0, high] (NaN and infinity refused: the comparison is False)."""
    return ranged(float, "a number", lambda x: 0 <= x <= high, f"must lie between 0 and {high:g}")
