"""Each document's content words and where each first occurs, packed for the story tier."""

from __future__ import annotations

import bisect
from typing import Protocol

import numpy as np
import numpy.typing as npt

U64 = npt.NDArray[np.uint64]
U32 = npt.NDArray[np.uint32]
I64 = npt.NDArray[np.int64]

#: Keys gathered before they are packed into one segment (~64 MiB).
_SEGMENT = 1 << 23
_LOW = np.uint64(0xFFFFFFFF)
_SHIFT = np.uint64(32)


class WordSets(Protocol):
    """Anything that gives document ``i``'s content-word keys as ``sets[i]`` (``WordStore``)."""

    def __getitem__(self, index: int, /) -> U64: ...


class WordStore:
    """Content words of many documents as 64-bit keys, ``term << 32 | first position``.

    ``term`` is the top 32 bits of the word's hash, as ``ShingleStore`` keeps shingles; the keys
    of a document are sorted (by term) and hold each term once, at its first position. Packed
    segment by segment like ``ShingleStore``: 8 bytes a word, no array per document.
    """

    def __init__(self) -> None:
        self._segments: list[U64] = []
        self._offsets: list[I64] = []
        self._first_doc: list[int] = [0]
        self._pending: list[U64] = []
        self._pending_size = 0

    def append(self, terms: U64, positions: U32) -> None:
        """Add the next document's sorted unique term hashes and their first positions."""
        keys = np.sort(((terms >> _SHIFT) << _SHIFT) | positions.astype(np.uint64))
        self._pending.append(keys)
        self._pending_size += keys.size
        if self._pending_size >= _SEGMENT:
            self._pack()

    def __len__(self) -> int:
        return self._first_doc[-1] + len(self._pending)

    def __getitem__(self, index: int) -> U64:
        """Document ``index``'s keys (a read-only view)."""
        if self._pending:
            self._pack()
        if not 0 <= index < self._first_doc[-1]:
            raise IndexError(index)
        segment = bisect.bisect_right(self._first_doc, index) - 1
        offsets = self._offsets[segment]
        local = index - self._first_doc[segment]
        return self._segments[segment][offsets[local] : offsets[local + 1]]

    def _pack(self) -> None:
        sizes = np.fromiter((k.size for k in self._pending), np.int64, len(self._pending))
        starts = np.zeros(sizes.size + 1, dtype=np.int64)
        np.cumsum(sizes, out=starts[1:])
        keys = np.concatenate(self._pending)
        # Two words may share their top 32 bits: the first occurrence is kept (keys of one
        # term sort by position, and a document's terms arrive sorted).
        terms = keys >> _SHIFT
        keep = np.ones(keys.size, dtype=bool)
        np.not_equal(terms[1:], terms[:-1], out=keep[1:])
        keep[starts[:-1][sizes > 0]] = True
        kept_before = np.zeros(keys.size + 1, dtype=np.int64)
        np.cumsum(keep, out=kept_before[1:])
        segment = keys[keep]
        segment.flags.writeable = False
        self._segments.append(segment)
        self._offsets.append(kept_before[starts])
        self._first_doc.append(self._first_doc[-1] + sizes.size)
        self._pending, self._pending_size = [], 0


def terms_of(keys: U64) -> U32:
    """The terms of a document's keys."""
    return (keys >> _SHIFT).astype(np.uint32)


def positions_of(keys: U64) -> I64:
    """The first positions of a document's keys."""
    return (keys & _LOW).astype(np.int64)
