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
from dedup.features import BATCH, Features, featurize
from dedup.loading.files import valid_unicode
from dedup.lsh.sqlite import SqliteLsh, select_in
from dedup.model import Document
from dedup.shingling import ShingleStore
from dedup.tiers.pairwise import Frequencies, terms_of
from dedup.tiers.words import WordStore, content_params

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


def word_keys(terms: Sequence[U64], positions: Sequence[U32]) -> WordStore:
    """Content words as the scan's story tier reads them (``WordStore``: ``term << 32 |
    first position``), so that an index measures a pair as a scan does."""
    store = WordStore()
    for mine, first in zip(terms, positions, strict=True):
        store.append(mine, first)
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
    words = word_keys([features.content[at] for at in rows],
                      [features.content_positions[at] for at in rows])
    for index, (doc, at) in enumerate(zip(documents, rows, strict=True)):
        text_key = features.keys[at]
        assert text_key is not None  # callers drop texts without words
        cursor = db.execute(
            "INSERT INTO documents (doc_id, content_hash, text_key, shingle_count, path, "
            "metadata, shingles, words, text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (doc.id, content_hash(doc.text), text_key.to_bytes(16, "little"),
             keys[index].size, _stored_path(doc.path), json.dumps(dict(doc.metadata)),
             keys[index].astype("<u4").tobytes(), words[index].astype("<u8").tobytes(),
             pack_text(doc.text)),
        )
        ids.append(int(cursor.lastrowid or 0))
        db.executemany(
            "INSERT OR IGNORE INTO samples (hash, doc) VALUES (?, ?)",
            ((value, ids[-1]) for value in samples(keys[index]).tolist()),
        )
    _count(db, "shingle_df", [keys[i] for i in range(len(rows))], 1)
    _count(db, "word_df", [terms_of(words[i]) for i in range(len(rows))], 1)
    where = np.asarray(rows, dtype=np.int64)
    docs = np.asarray(ids, dtype=np.int64)
    tables.copies.add(features.signatures[where], docs)
    tables.stories.add(features.content_signatures[where], docs)


def delete(db: sqlite3.Connection, tables: Tables, ids: Iterable[int]) -> None:
    """Remove documents (by row id) with their bands and samples."""
    docs = np.fromiter(ids, np.int64)
    tables.copies.remove(docs)
    tables.stories.remove(docs)
    held: list[U32] = []
    told: list[U32] = []
    for doc in docs.tolist():
        row = db.execute("SELECT shingles, words FROM documents WHERE id = ?", (doc,)).fetchone()
        if row is None:
            continue
        held.append(shingles_of(row[0]))
        told.append(terms_of(words_of(row[1])))
        db.executemany(
            "DELETE FROM samples WHERE hash = ? AND doc = ?",
            ((value, doc) for value in samples(held[-1]).tolist()),
        )
        db.execute("DELETE FROM documents WHERE id = ?", (doc,))
    _count(db, "shingle_df", held, -1)
    _count(db, "word_df", told, -1)


def _count(db: sqlite3.Connection, table: str, sets: Sequence[U32], step: int) -> None:
    """Add ``step`` (1: documents added; -1: removed) to the document frequency of every
    fingerprint of ``sets`` (each set unique), one statement per distinct fingerprint of the
    batch, in key order (pages are visited once, in turn)."""
    if not sets:
        return
    prints, counts = np.unique(np.concatenate(sets), return_counts=True)
    key = "hash" if table == "shingle_df" else "term"
    db.executemany(
        f"INSERT INTO {table} ({key}, df) VALUES (?, ?) "
        f"ON CONFLICT({key}) DO UPDATE SET df = df + excluded.df",
        zip(prints.tolist(), (counts * step).tolist(), strict=True),
    )
    if step < 0:
        db.execute(f"DELETE FROM {table} WHERE df <= 0")


def frequencies(
    db: sqlite3.Connection, table: str, prints: U32, extra: U32 | None = None
) -> Frequencies:
    """The stored document frequencies of ``prints`` (sorted, unique), one more for those in
    ``extra`` (a query's own fingerprints, when it is not indexed: a scan would count it)."""
    key = "hash" if table == "shingle_df" else "term"
    query = f"SELECT {key}, df FROM {table} WHERE {key} IN ({{marks}})"
    stored = dict(select_in(db, query, prints.tolist()))
    counts = np.fromiter((stored.get(p, 0) for p in prints.tolist()), np.int64, prints.size)
    if extra is not None:
        counts += np.isin(prints, extra)
    return Frequencies(prints, counts)


def words_of(blob: bytes) -> U64:
    """A stored blob of word keys as the sorted array the story tier reads."""
    return np.frombuffer(blob, dtype="<u8").astype(np.uint64)


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


def add_words(db: sqlite3.Connection, config: ScanConfig) -> None:
    """Format 1 → 2: each document's content words from its stored text, and the document
    frequencies of shingles and words (``dedup index migrate``), a batch of texts at a time."""
    db.execute("ALTER TABLE documents ADD COLUMN words BLOB NOT NULL DEFAULT x''")
    for table, key in (("shingle_df", "hash"), ("word_df", "term")):
        db.execute(f"CREATE TABLE {table} ({key} INTEGER PRIMARY KEY, df INTEGER NOT NULL)")
    last = -1
    read = "SELECT id, shingles, text FROM documents WHERE id > ? ORDER BY id LIMIT ?"
    while batch := db.execute(read, (last, BATCH)).fetchall():
        last = int(batch[-1][0])
        features = featurize([text_of(text) for _, _, text in batch],
                             attrs.evolve(config, story=True), content_sketch=False)
        words = word_keys(features.content, features.content_positions)
        db.executemany("UPDATE documents SET words = ? WHERE id = ?", (
            (words[at].astype("<u8").tobytes(), int(row)) for at, (row, _, _) in enumerate(batch)
        ))  # fmt: skip
        _count(db, "shingle_df", [shingles_of(blob) for _, blob, _ in batch], 1)
        _count(db, "word_df", [terms_of(words[at]) for at in range(len(batch))], 1)
