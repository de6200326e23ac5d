"""``dedup.Index``: a persistent, incremental index to trace new documents against an archive.

>>> with dedup.Index.open("news.dedup") as index:        # doctest: +SKIP
...     index.add(dedup.load(["archive/"]))
...     matches = index.query(document, top=10)

One SQLite file (docs/index.md): documents are added in batches, one transaction each, and
only new or changed documents (by content hash) are processed again.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import TracebackType
from typing import Any

import attrs

from dedup.config import ScanConfig
from dedup.errors import ConfigError
from dedup.features import BATCH, featurize_all
from dedup.index import rows
from dedup.index.query import Match, find, ranked, with_passages
from dedup.index.store import FORMAT_VERSION, Store, config_from_params, migrate, open_store
from dedup.loading import load
from dedup.model import Document, Lineage, ScanResult, Skipped
from dedup.pipeline import scan_documents

__all__ = ["AddResult", "Index", "IndexStats", "Match"]

PathArg = str | os.PathLike[str]


@attrs.frozen
class AddResult:
    """What ``Index.add`` did: ids added, replaced (their text changed), left alone, skipped."""

    added: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    skipped: tuple[Skipped, ...] = ()


@attrs.frozen
class IndexStats:
    """What an index holds and how it was made."""

    path: str
    documents: int
    format_version: int
    file_bytes: int
    params: dict[str, Any]


@attrs.frozen(eq=False)
class Index:
    """An open index file. Use ``Index.open`` as a context manager, or call ``close()``."""

    store: Store = attrs.field(repr=False)
    config: ScanConfig
    tables: rows.Tables = attrs.field(repr=False)

    @classmethod
    def open(
        cls,
        path: PathArg,
        config: ScanConfig | None = None,
        *,
        create: bool = True,
        timeout: float = 30.0,
    ) -> Index:
        """Open the index at ``path`` (made, with ``config``, when missing and ``create``).

        Without ``config`` the index's own parameters are used; with one whose sketch
        parameters differ from the index's, ParameterMismatchError. A file that is not a dedup
        index, or is corrupt or of a newer format, raises IndexFileError and is left untouched.
        A writer waits up to ``timeout`` seconds for another writer, then raises IndexBusyError.
        """
        store = open_store(path, config, create=create, timeout=timeout, made=rows.Tables.of)
        chosen = config_from_params(store.params, config or ScanConfig())
        try:
            with store.read() as db:
                return cls(store, chosen, rows.Tables.of(db, chosen))
        except BaseException:
            store.close()
            raise

    def using(self, config: ScanConfig) -> Index:
        """This index with ``config``'s other settings (thresholds, stories, loading); the
        sketch parameters stay the index's own."""
        return attrs.evolve(self, config=config_from_params(self.store.params, config))

    def __enter__(self) -> Index:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType
        | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the file; what was added is already committed."""
        self.store.close()

    def add(self, documents: Iterable[Document | Skipped], *, jobs: int = 1) -> AddResult:
        """Index documents, one transaction per batch; a document whose id is indexed is left
        alone when its text is unchanged and replaced when it changed. ``Skipped`` items (as
        ``dedup.load`` yields them) are passed through to the result."""
        tally: dict[str, list[Any]] = {"added": [], "updated": [], "unchanged": [], "skipped": []}
        seen: set[str] = set()
        items = iter(documents)
        while chunk := list(itertools.islice(items, BATCH * max(jobs, 1))):
            fresh = []
            for item in chunk:
                if isinstance(item, Skipped):
                    tally["skipped"].append(item)
                elif item.id in seen:
                    tally["skipped"].append(Skipped(item.path or item.id,
                                                    f"duplicate id {item.id!r}"))
                else:
                    seen.add(item.id)
                    fresh.append(item)
            self._add_batch(fresh, jobs, tally)
        return AddResult(**{name: tuple(found) for name, found in tally.items()})

    def add_paths(self, paths: PathArg | Iterable[PathArg], *, jobs: int = 1) -> AddResult:
        """``add`` the documents of files, folders and JSONL files (read as ``dedup.load``)."""
        if isinstance(paths, (str, os.PathLike)):
            paths = [paths]
        return self.add(load(paths, self.config.load), jobs=jobs)

    def _add_batch(self, documents: list[Document], jobs: int, tally: dict[str, list[Any]]) -> None:
        with self.store.read() as db:
            before = rows.known(db, [doc.id for doc in documents])
        todo = [doc for doc in documents if _changed(doc, before)]
        tally["unchanged"] += [doc.id for doc in documents if not _changed(doc, before)]
        kept: list[Document] = []
        features = []
        # Features outside the write transaction: the lock is held only to store them. The
        # content words always: the index keeps them (and their document frequencies) whether
        # or not this session's queries use the story tier.
        config = attrs.evolve(self.config, story=True)
        for batch in featurize_all((doc.text for doc in todo), config, jobs):
            features.append(batch)
        docs = iter(todo)
        with self.store.write() as db:
            tables = self.tables
            now = rows.known(db, [doc.id for doc in todo])
            for batch in features:
                part = [next(docs) for _ in batch.keys]
                at = []
                for index, doc in enumerate(part):
                    if batch.keys[index] is None:
                        tally["skipped"].append(Skipped(doc.path or doc.id, "no words to compare"))
                    elif _changed(doc, now):  # (another writer may have added it meanwhile)
                        at.append(index)
                        kept.append(doc)
                    else:
                        tally["unchanged"].append(doc.id)
                rows.delete(db, tables, (now[part[i].id][0] for i in at if part[i].id in now))
                rows.insert(db, tables, [part[i] for i in at], batch, at)
        for doc in kept:
            tally["updated" if doc.id in now else "added"].append(doc.id)

    def query(
        self,
        document: Document | str,
        *,
        top: int = 10,
        min_containment: float | None = None,
        passages: bool = False,
    ) -> tuple[Match, ...]:
        """The indexed documents related to ``document`` (a Document or a text), best first.

        Copies (exact, near-duplicate, contained) come first, then partial-reuse and same-story
        matches; at most ``top``. ``min_containment`` keeps only matches of which at least
        that share, either way, is shared, and finds them even below the scan's Jaccard floor.
        The document itself (same id, same text) is not its own match.
        """
        if top < 1:
            raise ConfigError(f"top must be a positive whole number, got {top}")
        if min_containment is not None and not 0.0 <= min_containment <= 1.0:
            raise ConfigError(f"min_containment must lie between 0 and 1, got {min_containment}")
        document = _as_document(document)
        with self.store.read() as db:
            found = ranked(find(db, self.tables, self.config, document, top=top,
                                min_containment=min_containment), top)
            if passages:
                found = with_passages(db, self.config, document, found)
        return tuple(found)

    def trace(self, document: Document | str, *, top: int = 10) -> Lineage:
        """Who copied whom among ``document`` and its ``top`` matches (``dedup query
        --lineage``): the scan's lineage over those few documents, with their stored texts and
        metadata (dates are evidence)."""
        document = _as_document(document)
        matches = self.query(document, top=top)
        with self.store.read() as db:
            others = rows.fetch_documents(db, [m.doc_id for m in matches])
        if document.id in {doc.id for doc in others}:  # an older version of the same id
            document = attrs.evolve(document, id=f"{document.id} (query)")
        config = attrs.evolve(self.config, lineage=True)
        return scan_documents([document, *others], config).lineage

    def remove(self, doc_ids: Iterable[str]) -> tuple[str, ...]:
        """Remove documents by id (one transaction); returns the ids that were not indexed."""
        wanted = list(dict.fromkeys(doc_ids))
        # A removal is small: check the whole file first, indexes against tables too.
        with self.store.write(thorough=True) as db:
            held = rows.known(db, wanted)
            rows.delete(db, self.tables, (row for row, _ in held.values()))
        return tuple(doc_id for doc_id in wanted if doc_id not in held)

    def __len__(self) -> int:
        with self.store.read() as db:
            return int(db.execute("SELECT count(*) FROM documents").fetchone()[0])

    def __contains__(self, doc_id: object) -> bool:
        with self.store.read() as db:
            return db.execute(
                "SELECT 1 FROM documents WHERE doc_id = ?", (doc_id,)
            ).fetchone() is not None

    def documents(self) -> Iterator[Document]:
        """Every indexed document, as added (text, path, metadata), in the order added."""
        with self.store.read() as db:
            cursor = db.execute(f"SELECT {rows.DOCUMENT_COLUMNS} FROM documents ORDER BY id")
            for row in cursor:
                yield rows.document_of(row)

    def scan(self, config: ScanConfig | None = None, *, jobs: int = 1) -> ScanResult:
        """Families, pairs, stories and lineage over everything indexed: ``dedup.scan_documents``
        on the stored texts, with the index's parameters (``config`` gives the rest)."""
        chosen = self if config is None else self.using(config)
        return scan_documents(list(self.documents()), chosen.config, jobs=jobs)

    def stats(self) -> IndexStats:
        """How many documents, the format version, the file's size and the parameters."""
        size = sum(
            path.stat().st_size
            for path in (self.store.path, Path(f"{self.store.path}-wal"))
            if path.exists()
        )
        return IndexStats(str(self.store.path), len(self), FORMAT_VERSION, size,
                          dict(self.store.params))


def upgrade(path: PathArg, *, timeout: float = 30.0) -> list[int]:
    """Migrate the index at ``path`` to this dedup's format; the format versions passed."""
    store = open_store(path, None, create=False, timeout=timeout, migrating=True)
    try:
        return migrate(store)
    finally:
        store.close()


def _as_document(document: Document | str) -> Document:
    return Document(id="query", text=document) if isinstance(document, str) else document


def _changed(doc: Document, held: dict[str, tuple[int, bytes]]) -> bool:
    return doc.id not in held or held[doc.id][1] != rows.content_hash(doc.text)
