"""The LSH index kept in an SQLite file: one row per document and band, looked up by key.

Band keys are the 64-bit keys of the in-memory index (``band_keys``: the band number is mixed
into each key), stored as signed integers in a ``WITHOUT ROWID`` table whose primary key is
``(key, doc)``, so a probe is one index seek per band. Each document's signature is kept
beside, so that removing it recomputes its keys rather than needing a second index on ``doc``.
Every change runs in a savepoint: inside the caller's transaction it commits with it, alone it
is atomic by itself.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from dedup.config import LshParams
from dedup.errors import ConfigError, ParameterMismatchError
from dedup.lsh.memory import band_keys, bucket_pairs, check_width, unique_pairs
from dedup.lsh.params import resolve_bands

U32 = npt.NDArray[np.uint32]
I64 = npt.NDArray[np.int64]

_NAME = re.compile(r"[a-z_][a-z0-9_]*")
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS {table} (key INTEGER NOT NULL, doc INTEGER NOT NULL, "
    "PRIMARY KEY (key, doc)) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS {table}_sig (doc INTEGER PRIMARY KEY, signature BLOB NOT NULL)",
    "CREATE TABLE IF NOT EXISTS lsh_tables (name TEXT PRIMARY KEY, num_perm INTEGER NOT NULL, "
    "bands INTEGER NOT NULL, rows INTEGER NOT NULL)",
)


class SqliteLsh:
    """Banded MinHash LSH in table ``table`` (and ``table``_sig) of an SQLite connection."""

    def __init__(
        self, params: LshParams, num_perm: int, connection: sqlite3.Connection, table: str
    ) -> None:
        if not _NAME.fullmatch(table):
            raise ConfigError(f"not a usable table name: {table!r}")
        self.params = params
        self.num_perm = num_perm
        self.bands, self.rows = resolve_bands(params, num_perm)
        self._db = connection
        self._table = table
        self._create()

    def __len__(self) -> int:
        return int(self._db.execute(f"SELECT count(*) FROM {self._table}_sig").fetchone()[0])

    def add(self, signatures: U32, ids: I64 | None = None) -> None:
        """Add documents; without ``ids`` they take the next ids after the largest one."""
        check_width(signatures, self.num_perm)
        if ids is None:
            top = self._db.execute(f"SELECT max(doc) FROM {self._table}_sig").fetchone()[0]
            start = -1 if top is None else int(top)
            ids = np.arange(start + 1, start + 1 + len(signatures), dtype=np.int64)
        keys = band_keys(signatures, self.bands, self.rows).view(np.int64)
        docs = np.asarray(ids, dtype=np.int64)
        with self._savepoint():
            self._delete(docs)
            self._db.executemany(
                f"INSERT OR IGNORE INTO {self._table} (key, doc) VALUES (?, ?)",
                zip(keys.ravel().tolist(), np.repeat(docs, self.bands).tolist(), strict=True),
            )
            self._db.executemany(
                f"INSERT INTO {self._table}_sig (doc, signature) VALUES (?, ?)",
                ((doc, row.astype("<u4").tobytes()) for doc, row in zip(
                    docs.tolist(), signatures, strict=True)),
            )

    def remove(self, ids: I64) -> None:
        """Forget documents; unknown ids are ignored."""
        with self._savepoint():
            self._delete(np.asarray(ids, dtype=np.int64))

    def query(self, signature: U32) -> I64:
        """Sorted ids of the documents that share at least one band with ``signature``."""
        probe = signature.reshape(1, -1)
        check_width(probe, self.num_perm)
        keys = band_keys(probe, self.bands, self.rows).view(np.int64).ravel().tolist()
        marks = ",".join("?" * len(keys))
        rows = self._db.execute(
            f"SELECT DISTINCT doc FROM {self._table} WHERE key IN ({marks})", keys
        ).fetchall()
        return np.sort(np.fromiter((row[0] for row in rows), np.int64, len(rows)))

    def ranked(self, signature: U32, limit: int) -> I64:
        """Up to ``limit`` ids sharing a band with ``signature``, most shared bands first (the
        count of equal bands grows with Jaccard): the best candidates without reading any
        signature."""
        probe = signature.reshape(1, -1)
        check_width(probe, self.num_perm)
        keys = band_keys(probe, self.bands, self.rows).view(np.int64).ravel().tolist()
        marks = ",".join("?" * len(keys))
        rows = self._db.execute(
            f"SELECT doc FROM {self._table} WHERE key IN ({marks}) GROUP BY doc "
            "ORDER BY count(*) DESC, doc LIMIT ?",
            [*keys, limit],
        ).fetchall()
        return np.fromiter((row[0] for row in rows), np.int64, len(rows))

    def candidate_pairs(self) -> I64:
        """Every pair ``(low, high)`` of documents that share a band, sorted."""
        rows = self._db.execute(f"SELECT key, doc FROM {self._table} ORDER BY key, doc")
        table = np.array(rows.fetchall(), dtype=np.int64).reshape(-1, 2)
        # Keys of different bands differ (the band is mixed in), so one column holds all bands.
        pairs = bucket_pairs(table[:, 0].view(np.uint64), self.params.max_bucket_pairs)
        return unique_pairs(table[:, 1][pairs])

    def signatures(self, ids: I64) -> dict[int, U32]:
        """The stored signature of each known id."""
        query = f"SELECT doc, signature FROM {self._table}_sig WHERE doc IN ({{marks}})"
        return {
            int(doc): np.frombuffer(blob, dtype="<u4").astype(np.uint32)
            for doc, blob in select_in(self._db, query, np.asarray(ids, np.int64).tolist())
        }

    def _delete(self, ids: I64) -> None:
        old = self.signatures(ids)
        if not old:
            return
        docs = np.fromiter(old, np.int64, len(old))
        keys = band_keys(np.stack(list(old.values())), self.bands, self.rows).view(np.int64)
        self._db.executemany(
            f"DELETE FROM {self._table} WHERE key = ? AND doc = ?",
            zip(keys.ravel().tolist(), np.repeat(docs, self.bands).tolist(), strict=True),
        )
        self._db.executemany(
            f"DELETE FROM {self._table}_sig WHERE doc = ?", ((doc,) for doc in docs.tolist())
        )

    def _create(self) -> None:
        stored = self._stored()
        if stored is None:  # only then write: an index opened to read must not need the lock
            with self._savepoint():
                for statement in _SCHEMA:
                    self._db.execute(statement.format(table=self._table))
                self._db.execute(
                    "INSERT OR IGNORE INTO lsh_tables VALUES (?, ?, ?, ?)",
                    (self._table, self.num_perm, self.bands, self.rows),
                )
            stored = self._stored()
        if stored != (self.num_perm, self.bands, self.rows):
            raise ParameterMismatchError(
                f"LSH table {self._table!r} holds num_perm, bands, rows = {stored}; "
                f"asked for {(self.num_perm, self.bands, self.rows)}"
            )

    def _stored(self) -> tuple[int, ...] | None:
        """``(num_perm, bands, rows)`` of this table as made, or None before it is made."""
        exists = self._db.execute(
            "SELECT 1 FROM sqlite_master WHERE name = 'lsh_tables'"
        ).fetchone()
        if exists is None:
            return None
        row = self._db.execute(
            "SELECT num_perm, bands, rows FROM lsh_tables WHERE name = ?", (self._table,)
        ).fetchone()
        return None if row is None else tuple(int(value) for value in row)

    def _savepoint(self) -> _Savepoint:
        return _Savepoint(self._db)


class _Savepoint:
    """``with`` block run as an SQLite savepoint: released on success, rolled back on error."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("SAVEPOINT lsh")

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        if kind is not None:
            self._db.execute("ROLLBACK TO lsh")
        self._db.execute("RELEASE lsh")


def select_in(
    db: sqlite3.Connection, query: str, values: Sequence[object], size: int = 500
) -> Iterator[Any]:
    """The rows of ``query``, whose ``{marks}`` is an ``IN`` list, for all ``values``: asked
    ``size`` at a time, under SQLite's limit on bound parameters."""
    for start in range(0, len(values), size):
        chunk = list(values[start : start + size])
        # Fetched whole: a caller that stops early must not leave a cursor on a connection
        # that is closed before the generator is collected.
        yield from db.execute(query.format(marks=",".join("?" * len(chunk))), chunk).fetchall()
