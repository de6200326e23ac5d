"""The scanned documents, without their texts in memory when the texts can be read again.

A scan of files keeps, per document, its id, path, metadata, length and where its text is (a
file, or a byte offset in a JSONL file); the later stages and ``ScanResult.documents`` read a
text again when they need it. A million news texts are ~3 GB; their sketches and shingles are
what the scan needs in memory. Texts given in memory (``scan_documents``) are kept as given.
A text read again is checked against a hash taken at the scan, so a file changed since then
raises ``InputError`` rather than answering with another text.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import overload

import attrs
import xxhash

from dedup.config import NormalizeConfig
from dedup.errors import InputError
from dedup.model import Document, NormalizedText
from dedup.normalization import normalize as normalize_text

#: Reads a document's text again from ``(path, offset)`` (offset: JSONL byte offset, else -1).
Reread = Callable[[str, int], str]


@attrs.frozen
class Source:
    """Where a document's text can be read again: a file, or the JSONL line at a byte offset."""

    path: str
    #: Byte offset of the JSONL line; -1 for a whole file.
    offset: int = -1


@attrs.frozen
class DocumentInfo:
    """What the reports show of a document: no text, only its length in characters."""

    id: str
    path: str | None
    chars: int
    metadata: Mapping[str, str]


@attrs.frozen
class StoredDocument:
    """What a store holds of one document: its report fields, and its text or where to read it
    again (``offset`` as in ``Source``; ``digest`` checks a text read again; 0 when kept)."""

    info: DocumentInfo
    offset: int
    digest: int
    #: The text when the store keeps it, else None.
    text: str | None

    @classmethod
    def of_row(cls, row: Mapping[str, object], metadata: Mapping[str, str]) -> StoredDocument:
        """From a row of the documents table (``dedup.report.tables``)."""
        path, text = row["path"], row["text"]
        info = DocumentInfo(str(row["id"]), None if path is None else str(path),
                            _int(row["chars"]), metadata)  # fmt: skip
        return cls(info, _int(row["offset"]), _int(row["digest"]),
                   None if text is None else str(text))  # fmt: skip


def _int(value: object) -> int:
    if not isinstance(value, int):
        raise ValueError(f"expected a whole number, got {value!r}")
    return value


class DocumentStore(Sequence[Document]):
    """Documents in scan order; ``store[i]`` is a ``Document`` with its text (read again if it
    was not kept). Compares equal to any sequence of the same documents."""

    def __init__(self, reread: Reread | None = None) -> None:
        self._reread = reread
        self.ids: list[str] = []
        self._paths: list[str | None] = []
        self._metadata: list[Mapping[str, str]] = []
        self._chars: list[int] = []
        #: The text, or None when it is read again from ``_offsets`` and checked by ``_digests``.
        self._texts: list[str | None] = []
        self._offsets: list[int] = []
        self._digests: list[int] = []

    @classmethod
    def of(cls, documents: Sequence[Document]) -> DocumentStore:
        """A store that keeps the given documents' texts (``documents`` if it is one already)."""
        if isinstance(documents, DocumentStore):
            return documents
        store = cls()
        for doc in documents:
            store.append(doc)
        return store

    def append(self, doc: Document, source: Source | None = None) -> None:
        """Add a document; with a ``source`` (and a reader), its text is dropped and read again."""
        self.ids.append(doc.id)
        self._paths.append(doc.path)
        self._metadata.append(doc.metadata)
        self._chars.append(len(doc.text))
        if source is None or self._reread is None:
            self._texts.append(doc.text)
            self._offsets.append(-1)
            self._digests.append(0)
        else:
            self._texts.append(None)
            self._offsets.append(source.offset)
            self._digests.append(_digest(doc.text))

    def stored(self) -> Iterator[StoredDocument]:
        """What the store holds of each document, without reading any text again."""
        for i, info in enumerate(self.info()):
            yield StoredDocument(info, self._offsets[i], self._digests[i], self._texts[i])

    def append_stored(self, item: StoredDocument) -> None:
        """Add a document as another store held it (``stored``): its text, or where it is."""
        if item.text is None and self._reread is None:
            raise ValueError("a store without a reader cannot take texts that must be read again")
        self.ids.append(item.info.id)
        self._paths.append(item.info.path)
        self._metadata.append(item.info.metadata)
        self._chars.append(item.info.chars)
        self._texts.append(item.text)
        self._offsets.append(item.offset)
        self._digests.append(item.digest)

    def extend(self, other: DocumentStore) -> None:
        """Append ``other``'s documents as it holds them: kept texts stay kept, the others are
        read again by this store's reader (a Dask worker's store, gathered by the client)."""
        if self._reread is None and any(text is None for text in other._texts):
            raise ValueError("a store without a reader cannot take texts that must be read again")
        self.ids += other.ids
        self._paths += other._paths
        self._metadata += other._metadata
        self._chars += other._chars
        self._texts += other._texts
        self._offsets += other._offsets
        self._digests += other._digests

    def __len__(self) -> int:
        return len(self.ids)

    @overload
    def __getitem__(self, index: int) -> Document: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Document]: ...

    def __getitem__(self, index: int | slice) -> Document | Sequence[Document]:
        if isinstance(index, slice):
            return tuple(self[i] for i in range(*index.indices(len(self))))
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return Document(
            id=self.ids[index], text=self.text(index), path=self._paths[index],
            metadata=self._metadata[index],
        )

    def __iter__(self) -> Iterator[Document]:
        return (self[i] for i in range(len(self)))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or len(other) != len(self):
            return False
        return all(mine == theirs for mine, theirs in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"DocumentStore({len(self)} documents)"

    def text(self, index: int) -> str:
        """Document ``index``'s text, read again (and checked) if it was not kept."""
        text = self._texts[index]
        if text is not None:
            return text
        path = self._paths[index]
        assert path is not None and self._reread is not None  # append() keeps texts otherwise
        text = self._reread(path, self._offsets[index])
        if len(text) != self._chars[index] or _digest(text) != self._digests[index]:
            raise InputError(f"{path}: changed since it was scanned (document {self.ids[index]!r})")
        return text

    def info(self) -> Iterator[DocumentInfo]:
        """Each document's id, path, length and metadata, without reading any text."""
        for i, doc_id in enumerate(self.ids):
            yield DocumentInfo(doc_id, self._paths[i], self._chars[i], self._metadata[i])


def document_info(documents: Sequence[Document]) -> Iterator[DocumentInfo]:
    """What the reports show of each document (no text is read again for a ``DocumentStore``)."""
    if isinstance(documents, DocumentStore):
        return documents.info()
    return (DocumentInfo(d.id, d.path, len(d.text), d.metadata) for d in documents)


def _digest(text: str) -> int:
    # surrogatepass: JSON may carry lone surrogates, which strict UTF-8 cannot encode.
    digest: int = xxhash.xxh3_64_intdigest(text.encode("utf-8", "surrogatepass"))
    return digest



class Texts:
    """The one object that serves a scanned document's text to the stages after the copy tier
    (the story tier's boilerplate report, lineage, passages) and to the reports: the document,
    and its text normalised as the scan normalised it, as the alignment takes it
    (``(id, text, normalised text)``).

    A document in many pairs (a wire story and its copies) is read again and normalised once
    while recently used; the caches are bounded so that memory stays as without those stages.
    """

    def __init__(self, documents: Sequence[Document], normalize: NormalizeConfig) -> None:
        self._documents = documents
        self._index: dict[str, int] | None = None
        self._config = normalize
        self._document = functools.lru_cache(maxsize=512)(documents.__getitem__)
        self.side = functools.lru_cache(maxsize=256)(self._side)

    def _side(self, i: int) -> tuple[str, str, NormalizedText]:
        doc = self._document(i)
        return doc.id, doc.text, normalize_text(doc.text, self._config)

    def _at(self, doc_id: str) -> int:
        if self._index is None:
            self._index = {doc.id: i for i, doc in enumerate(document_info(self._documents))}
        return self._index[doc_id]

    def document(self, doc_id: str) -> Document:
        """The document ``doc_id`` (its text read again from its file after a scan of files)."""
        return self._document(self._at(doc_id))

    def side_of(self, doc_id: str) -> tuple[str, str, NormalizedText]:
        """``(id, text, normalised text)`` of the document ``doc_id``."""
        return self.side(self._at(doc_id))

    def normalized(self, doc_id: str) -> NormalizedText:
        """The document's text normalised as the scan normalised it."""
        return self.side_of(doc_id)[2]
