"""Inputs of ``dedup dedupe``: which format they are in, and their documents with the place
each came from (file and line or row), so the kept records can be copied from the input itself.

Only those places are held, not the records: the output is written by reading the inputs a
second time (``outputs.py``).
"""

from __future__ import annotations

import enum
from array import array
from collections.abc import Iterator, Sequence
from pathlib import PurePath
from types import ModuleType
from typing import Any

from dedup.config import LoadConfig
from dedup.documents import Source
from dedup.errors import ConfigError, MissingExtraError
from dedup.loading import load_sourced
from dedup.loading.files import InputFile, check_regular, expand
from dedup.loading.jsonl import Located, read_jsonl, record_document
from dedup.model import Document, Skipped

_JSONL = frozenset({".jsonl", ".ndjson"})
_PARQUET = frozenset({".parquet"})
#: Parquet rows read at a time: bounds memory whatever the row group size.
PARQUET_BATCH = 1024


class InputKind(enum.StrEnum):
    """The format of the inputs, which is also the format of the output."""

    JSONL = "jsonl"
    PARQUET = "parquet"
    #: text, Markdown and HTML files (and folders of them): kept files are copied
    FILES = "files"


def input_kind(paths: Sequence[str]) -> InputKind:
    """The one format of all files the paths stand for; ConfigError when they mix formats."""
    seen: dict[InputKind, str] = {}
    for item in expand(list(paths)):
        if isinstance(item, InputFile):
            seen.setdefault(_kind_of(item.path), item.path)
    if len(seen) > 1:
        named = ", ".join(f"{path} ({kind.value})" for kind, path in seen.items())
        raise ConfigError(f"inputs mix formats: {named}; the output is written in the input's "
                          "format, so dedupe one format at a time")  # fmt: skip
    return next(iter(seen), InputKind.FILES)


def _kind_of(path: str) -> InputKind:
    suffix = PurePath(path).suffix.lower()
    if suffix in _JSONL:
        return InputKind.JSONL
    return InputKind.PARQUET if suffix in _PARQUET else InputKind.FILES


def pyarrow_parquet() -> ModuleType:
    """``pyarrow.parquet``, or MissingExtraError naming the install command."""
    try:
        import pyarrow.parquet as pq
    except ImportError as error:
        raise MissingExtraError(
            "reading and writing Parquet needs pyarrow: pip install 'dedup-lineage[parquet]'"
        ) from error
    module: ModuleType = pq
    return module


class Corpus:
    """The documents of the inputs, read once as a stream, and where each one came from.

    ``files`` lists the input files in order; ``places[i]`` holds the line (JSONL) or row
    (Parquet) numbers, from 1, of the documents file ``i`` gave, or ``[0]`` for a text file;
    ``place_of`` maps a document id to ``(file index, number)``. ``skipped`` fills as the
    documents are read.
    """

    def __init__(self, paths: Sequence[str], kind: InputKind, config: LoadConfig) -> None:
        self.paths = list(paths)
        self.kind = kind
        self.config = config
        self.files: list[str] = []
        self.places: list[array[int]] = []
        self.place_of: dict[str, tuple[int, int]] = {}
        self.skipped: list[Skipped] = []

    def documents(self) -> Iterator[Document]:
        """Each readable document once (a repeated id is skipped with where it was first seen)."""
        return (doc for doc, _ in self.sourced())

    def sourced(self) -> Iterator[tuple[Document, Source | None]]:
        """``documents``, each with where its text can be read again (None for a Parquet row,
        whose text the scan then keeps)."""
        found = self._files() if self.kind is InputKind.FILES else self._records()
        for item in found:
            if isinstance(item, Skipped):
                self.skipped.append(item)
            elif self._claim(item[0], item[1]):
                doc, _, offset = item
                readable = self.kind is not InputKind.PARQUET and doc.path is not None
                yield doc, Source(doc.path, offset) if readable and doc.path else None

    def _files(self) -> Iterator[Located | Skipped]:
        # load_sourced() already skips repeated ids; the folder walk is its own.
        for item in load_sourced(self.paths, self.config):
            if isinstance(item, Skipped):
                yield item
            else:
                doc, source = item
                yield doc, f"{doc.path}:0", source.offset

    def _records(self) -> Iterator[Located | Skipped]:
        reader = read_jsonl if self.kind is InputKind.JSONL else read_parquet
        for item in expand(self.paths):
            yield from (item,) if isinstance(item, Skipped) else reader(
                item.path, item.doc_id, self.config
            )

    def _claim(self, doc: Document, where: str) -> bool:
        path, number = where.rsplit(":", 1)
        if doc.id in self.place_of:
            index, first = self.place_of[doc.id]
            seen = f"{self.files[index]}:{first}"
            self.skipped.append(Skipped(where, f"duplicate id '{doc.id}' (first seen at {seen})"))
            return False
        if not self.files or self.files[-1] != path:
            self.files.append(path)
            self.places.append(array("q"))
        self.places[-1].append(int(number))
        self.place_of[doc.id] = (len(self.files) - 1, int(number))
        return True


def read_parquet(path: str, file_id: str, config: LoadConfig) -> Iterator[Located | Skipped]:
    """Each row of a Parquet file as a document (``path:row``, rows counted from 1), read in
    batches; the columns and rules are those of a JSONL line (``config.text_field`` etc.)."""
    unreadable = check_regular(path)
    if unreadable is not None:
        yield unreadable
        return
    pq = pyarrow_parquet()
    try:
        table = pq.ParquetFile(path)
        names = set(table.schema_arrow.names)
        if config.text_field not in names:
            yield Skipped(path, f"no column '{config.text_field}'")
            return
        wanted = [config.text_field, config.id_field, config.date_field, "title", "url"]
        columns = [name for name in dict.fromkeys(wanted) if name in names]
        row = 0
        for batch in table.iter_batches(batch_size=PARQUET_BATCH, columns=columns):
            for record in batch.to_pylist():
                row += 1
                yield _row_document(record, row, file_id, path, config)
    except (OSError, ValueError) as error:  # pyarrow's ArrowException subclasses these
        yield Skipped(path, f"cannot read as Parquet: {error}")


def _row_document(
    record: dict[str, Any], row: int, file_id: str, path: str, config: LoadConfig
) -> Located | Skipped:
    date = config.date_field
    if date is not None and record.get(date) is not None and not isinstance(record[date], str):
        # Parquet has typed timestamps; the date signals read ISO 8601 text.
        record[date] = record[date].isoformat() if hasattr(record[date], "isoformat") else None
    return record_document(record, row, file_id, path, config)

