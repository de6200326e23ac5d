"""Reading input files and folders into documents, in every format of ``formats.py``.

Nothing here raises on bad input: every input that yields no document is reported as a
``Skipped`` with a reason, in the same stream as the documents.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator

from dedup.config import LoadConfig
from dedup.documents import Source
from dedup.loading.files import expand
from dedup.loading.formats import read_input, reread
from dedup.loading.jsonl import KEPT, Located
from dedup.model import Document, Skipped

__all__ = ["load", "load_sourced", "read_input", "reread"]


def load(
    paths: Iterable[str | os.PathLike[str]],
    config: LoadConfig = LoadConfig(),
) -> Iterator[Document | Skipped]:
    """Yield a ``Document`` for each readable text and a ``Skipped`` for each input that gives none.

    Files and folders are read in the order given, folders recursively and sorted by relative
    path, JSONL files line by line. Ids are paths relative to a lone input folder, else to the
    inputs' common parent folder; JSONL documents take theirs from ``config.id_field``. A
    document whose id was already seen is skipped.
    """
    for item in load_sourced(paths, config):
        yield item if isinstance(item, Skipped) else item[0]


def load_sourced(
    paths: Iterable[str | os.PathLike[str]],
    config: LoadConfig = LoadConfig(),
) -> Iterator[tuple[Document, Source | None] | Skipped]:
    """``load``, each document with where its text can be read again (``reread``); None for a
    text that cannot be (standard input, a compressed JSONL line, a CSV or Parquet record)."""
    if isinstance(paths, str | os.PathLike):
        # A lone path is a common slip; reading it character by character helps nobody.
        paths = [paths]
    first_seen: dict[str, str] = {}
    for item in expand([os.fspath(path) for path in paths]):
        if isinstance(item, Skipped):
            yield item
            continue
        for result in read_input(item, config):
            yield result if isinstance(result, Skipped) else _claim(result, first_seen)


def _claim(
    located: Located, first_seen: dict[str, str]
) -> tuple[Document, Source | None] | Skipped:
    document, where, offset = located
    if document.id in first_seen:
        first = first_seen[document.id]
        return Skipped(where, f"duplicate id '{document.id}' (first seen at {first})")
    first_seen[document.id] = where
    assert document.path is not None  # every loaded document has its file's path
    return document, None if offset == KEPT else Source(document.path, offset)
