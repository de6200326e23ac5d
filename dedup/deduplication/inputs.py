"""Inputs of ``dedup dedupe``: which format they are in, and their documents with the place
each came from (file and line or row), so the kept records can be copied from the input itself.

Only those places are held, not the records: the output is written by reading the inputs a
second time (``outputs.py``).
"""

from __future__ import annotations

import enum
from array import array
from collections.abc import Iterator, Mapping, Sequence

from dedup.config import LoadConfig
from dedup.documents import Source
from dedup.errors import ConfigError
from dedup.loading import load_sourced, read_input
from dedup.loading.dates import UNPARSED
from dedup.loading.files import InputFile, expand
from dedup.loading.formats import format_of
from dedup.loading.jsonl import KEPT, Located
from dedup.loading.parquet import PARQUET_BATCH, pyarrow_parquet
from dedup.loading.streams import STDIN
from dedup.model import Document, Skipped

__all__ = ["PARQUET_BATCH", "Corpus", "InputKind", "input_kind", "pyarrow_parquet"]


class InputKind(enum.StrEnum):
    """What is written for the inputs (the ``output`` of their format, ``formats.py``)."""

    #: JSON Lines: the kept lines, as they are
    JSONL = "jsonl"
    PARQUET = "parquet"
    #: CSV, TSV, JSON arrays: the kept records, in the input's format
    RECORDS = "records"
    #: text, Markdown and HTML files (and folders of them): kept files are copied
    FILES = "files"


def input_kind(paths: Sequence[str]) -> InputKind:
    """The one format of all files the paths stand for; ConfigError when they mix formats or
    one of them is standard input (dedupe reads its inputs twice)."""
    if STDIN in paths:
        raise ConfigError("dedupe reads its inputs twice (to scan, then to copy the kept "
                          "records) and cannot read standard input: save it to a file")  # fmt: skip
    seen: dict[str, tuple[InputKind, str]] = {}
    for item in expand(list(paths)):
        if isinstance(item, InputFile):
            found = format_of(item.path)
            kind = InputKind(found.output)
            key = found.name if kind is InputKind.RECORDS else kind.value
            seen.setdefault(key, (kind, item.path))
    if len(seen) > 1:
        named = ", ".join(f"{path} ({key})" for key, (_, path) in seen.items())
        raise ConfigError(f"inputs mix formats: {named}; the output is written in the input's "
                          "format, so dedupe one format at a time")  # fmt: skip
    return next(iter(seen.values()), (InputKind.FILES, ""))[0]


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
        #: (id, metadata) of the documents whose date field did not parse
        self.unparsed_dates: list[tuple[str, Mapping[str, str]]] = []

    def documents(self) -> Iterator[Document]:
        """Each readable document once (a repeated id is skipped with where it was first seen)."""
        return (doc for doc, _ in self.sourced())

    def sourced(self) -> Iterator[tuple[Document, Source | None]]:
        """``documents``, each with where its text can be read again (None for a record with no
        offset, a Parquet row or a CSV row, whose text the scan then keeps)."""
        found = self._files() if self.kind is InputKind.FILES else self._records()
        for item in found:
            if isinstance(item, Skipped):
                self.skipped.append(item)
            elif self._claim(item[0], item[1]):
                doc, _, offset = item
                if UNPARSED in doc.metadata:
                    self.unparsed_dates.append((doc.id, doc.metadata))
                readable = offset != KEPT and doc.path is not None
                yield doc, Source(doc.path, offset) if readable and doc.path else None

    def _files(self) -> Iterator[Located | Skipped]:
        # load_sourced() already skips repeated ids; the folder walk is its own.
        for item in load_sourced(self.paths, self.config):
            if isinstance(item, Skipped):
                yield item
            else:
                doc, source = item
                yield doc, f"{doc.path}:0", KEPT if source is None else source.offset

    def _records(self) -> Iterator[Located | Skipped]:
        for item in expand(self.paths):
            yield from (item,) if isinstance(item, Skipped) else read_input(item, self.config)

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
