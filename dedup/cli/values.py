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


def positive_int(text: str) -> int:
    """A whole number ≥ 1."""
    value = _parse(int, text, "a whole number")
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a positive whole number, got {text}")
    return value


def unit_float(text: str) -> float:
    """A number between 0 and 1, both included."""
    value = _parse(float, text, "a number")
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"must lie between 0 and 1, got {text}")
    return value


def seed(text: str) -> int:
    """A MinHash seed: a whole number in [0, 2**32)."""
    value = _parse(int, text, "a whole number")
    if not 0 <= value < 2**32:
        raise argparse.ArgumentTypeError(f"must lie in [0, 2**32), got {text}")
    return value


def anchor_words(text: str) -> int:
    """An anchor length: 1 to 64 words."""
    value = _parse(int, text, "a whole number")
    if not 1 <= value <= 64:
        raise argparse.ArgumentTypeError(f"must lie between 1 and 64 words, got {text}")
    return value


def _parse(kind: Callable[[str], T], text: str, what: str) -> T:
    try:
        return kind(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be {what}, got {text!r}") from None
