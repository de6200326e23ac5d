"""Documents in and out of the index file: their rows, LSH bands and containment samples.

Every function here runs inside the caller's transaction (``Store.write`` or ``Store.read``).
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from collections.abc import Iterable, Sequence
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt
import xxhash

from dedup.config import ScanConfig
from dedup.features import Features
from dedup.loading.files import valid_unicode
from dedup.lsh.sqlite import SqliteLsh, select_in
from dedup.model import Document
from dedup.shingling import ShingleStore
from dedup.tiers.words import content_params

U64 = npt.NDArray[np.uint64]
U32 = npt.NDArray[np.uint32]
I64 = npt.NDArray[np.int64]

#: One shingle in 2**SAMPLE_BITS, chosen by value, goes into the containment samples.
SAMPLE_BITS = 4
_SAMPLE_MASK = np.uint32((1 << SAMPLE_BITS) - 1)


def content_hash(text: str) -> bytes:
    """What tells a changed document from an unchanged one: a 128-bit hash of its text."""
    return xxhash.xxh3_128_digest(text.encode("utf-8", "surrogatepass"))


def verification_keys(shingle_sets: Sequence[U64]) -> ShingleStore:
    """The sets as verification reads them: the scan's own ShingleStore (the top 32 bits of
    each shingle), so that an index scores a pair exactly as a scan does."""
    store = ShingleStore()
    for shingles in shingle_sets:
        store.append(shingles)
    return store


def samples(keys: U32) -> I64:
    """The verification keys kept as containment samples, as SQLite integers."""
    kept: I64 = keys[(keys & _SAMPLE_MASK) == 0].astype(np.int64)
    return kept


@attrs.frozen(eq=False)
class Tables:
    """The two LSH indexes of an index file: copies (shingles) and stories (content words)."""

    copies: SqliteLsh
    stories: SqliteLsh

    @classmethod
    def of(cls, db: sqlite3.Connection, config: ScanConfig) -> Tables:
        stories = config.stories
        story_lsh = attrs.evolve(config.lsh, threshold=stories.lsh_threshold)
        return cls(
            SqliteLsh(config.lsh, config.sketch.num_perm, db, "copies"),
            SqliteLsh(story_lsh, content_params(stories).num_perm, db, "stories"),
        )


def known(db: sqlite3.Connection, doc_ids: Sequence[str]) -> dict[str, tuple[int, bytes]]:
    """``doc_id → (row id, content hash)`` of the given ids that the index holds."""
    query = "SELECT id, doc_id, content_hash FROM documents WHERE doc_id IN ({marks})"
    return {
        doc_id: (int(row), bytes(digest))
        for row, doc_id, digest in select_in(db, query, doc_ids)
    }


def insert(
    db: sqlite3.Connection,
    tables: Tables,
    documents: Sequence[Document],
    features: Features,
    rows: Sequence[int],
) -> None:
    """Store documents with their features (``features`` row ``rows[i]`` is ``documents[i]``)."""
    ids = []
    keys = verification_keys([features.shingles[at] for at in rows])
    for index, (doc, at) in enumerate(zip(documents, rows, strict=True)):
        text_key = features.keys[at]
        assert text_key is not None  # callers drop texts without words
        cursor = db.execute(
            "INSERT INTO documents (doc_id, content_hash, text_key, shingle_count, path, "
            "metadata, shingles, text) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (doc.id, content_hash(doc.text), text_key.to_bytes(16, "little"),
             keys[index].size, _stored_path(doc.path), json.dumps(dict(doc.metadata)),
             keys[index].astype("<u4").tobytes(), pack_text(doc.text)),
        )
        ids.append(int(cursor.lastrowid or 0))
        db.executemany(
            "INSERT OR IGNORE INTO samples (hash, doc) VALUES (?, ?)",
            ((value, ids[-1]) for value in samples(keys[index]).tolist()),
        )
    where = np.asarray(rows, dtype=np.int64)
    docs = np.asarray(ids, dtype=np.int64)
    tables.copies.add(features.signatures[where], docs)
    tables.stories.add(features.content_signatures[where], docs)


def delete(db: sqlite3.Connection, tables: Tables, ids: Iterable[int]) -> None:
    """Remove documents (by row id) with their bands and samples."""
    docs = np.fromiter(ids, np.int64)
    tables.copies.remove(docs)
    tables.stories.remove(docs)
    for doc in docs.tolist():
        blob = db.execute("SELECT shingles FROM documents WHERE id = ?", (doc,)).fetchone()
        if blob is None:
            continue
        db.executemany(
            "DELETE FROM samples WHERE hash = ? AND doc = ?",
            ((value, doc) for value in samples(shingles_of(blob[0])).tolist()),
        )
        db.execute("DELETE FROM documents WHERE id = ?", (doc,))


def shingles_of(blob: bytes) -> U32:
    """A stored blob of verification keys as the sorted array verification takes."""
    return np.frombuffer(blob, dtype="<u4").astype(np.uint32)


def document_of(row: Sequence[Any]) -> Document:
    """A Document from ``(doc_id, path, metadata, text)`` columns."""
    doc_id, path, metadata, text = row
    return Document(id=doc_id, text=text_of(text), path=path, metadata=json.loads(metadata))


def pack_text(text: str) -> bytes:
    """A text as stored: UTF-8 (lone surrogates kept), zlib-compressed."""
    return zlib.compress(text.encode("utf-8", "surrogatepass"))


def text_of(blob: bytes) -> str:
    """The text ``pack_text`` stored."""
    return zlib.decompress(blob).decode("utf-8", "surrogatepass")


#: The columns ``document_of`` reads, for SELECTs.
DOCUMENT_COLUMNS = "doc_id, path, metadata, text"


def fetch_documents(db: sqlite3.Connection, doc_ids: Sequence[str]) -> list[Document]:
    """The indexed documents of these ids, in the order given (unknown ids left out)."""
    query = f"SELECT {DOCUMENT_COLUMNS} FROM documents WHERE doc_id IN ({{marks}})"
    found = {row[0]: document_of(row) for row in select_in(db, query, doc_ids)}
    return [found[doc_id] for doc_id in doc_ids if doc_id in found]


def _stored_path(path: str | None) -> str | None:
    # SQLite holds valid text only; a file name that is not UTF-8 is stored with escapes.
    return None if path is None else valid_unicode(path)
