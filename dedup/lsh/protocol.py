"""The one interface every LSH backend offers, and the factory that picks a backend.

Documents are named by non-negative integers: the scan uses positions (``add`` without ids),
the persistent index uses its documents' row ids. One test suite runs against every backend
(tests/unit/test_lsh_protocol.py).
"""

from __future__ import annotations

import sqlite3
from typing import Protocol

import numpy as np
import numpy.typing as npt

from dedup.config import LshParams

U32 = npt.NDArray[np.uint32]
I64 = npt.NDArray[np.int64]


class LshIndex(Protocol):
    """Banded MinHash LSH: documents that share a band with each other, or with a probe."""

    bands: int
    rows: int

    def __len__(self) -> int: ...

    def add(self, signatures: U32, ids: I64 | None = None) -> None:
        """Add documents; without ``ids`` they take the next positions in insertion order."""

    def remove(self, ids: I64) -> None:
        """Forget documents; unknown ids are ignored."""

    def query(self, signature: U32) -> I64:
        """Sorted ids of the documents that share at least one band with ``signature``."""

    def candidate_pairs(self) -> I64:
        """Every pair ``(low, high)`` of documents that share a band, sorted, shape ``(n, 2)``."""


def make_lsh(
    params: LshParams,
    num_perm: int,
    *,
    connection: sqlite3.Connection | None = None,
    table: str = "bands",
) -> LshIndex:
    """An in-memory index, or with ``connection`` one kept in ``table`` of that SQLite file."""
    if connection is None:
        from dedup.lsh.memory import MemoryLsh

        return MemoryLsh(params, num_perm)
    from dedup.lsh.sqlite import SqliteLsh

    return SqliteLsh(params, num_perm, connection, table)
