"""Reading input files and folders into documents: plain text, markdown, HTML and JSON Lines.

Nothing here raises on bad input: every input that yields no document is reported as a
``Skipped`` with a reason, in the same stream as the documents.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import PurePath

from dedup.config import LoadConfig
from dedup.documents import Source
from dedup.errors import InputError
from dedup.loading.files import InputFile, expand, read_bytes
from dedup.loading.html import decode_html, html_to_text
from dedup.loading.jsonl import Located, read_jsonl, reread_jsonl_text
from dedup.loading.text import DecodeError, decode_bytes, text_metadata
from dedup.model import Document, Skipped

__all__ = ["load", "load_sourced", "reread"]

_JSONL = frozenset({".jsonl", ".ndjson"})
_HTML = frozenset({".html", ".htm", ".xhtml"})


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
) -> Iterator[tuple[Document, Source] | Skipped]:
    """``load``, each document with where its text can be read again (``reread``)."""
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


def reread(path: str, offset: int, config: LoadConfig = LoadConfig()) -> str:
    """The text of a document read before, from its file or JSONL line (``Source``), decoded
    as it was then; ``InputError`` if it can no longer be read."""
    if offset >= 0:
        return reread_jsonl_text(path, offset, config)
    suffix = PurePath(path).suffix.lower()
    found = _read_file(InputFile(path, path), config, html=suffix in _HTML)
    if isinstance(found, Skipped):
        raise InputError(f"{path}: cannot read again: {found.reason}")
    return found[0].text


def read_input(item: InputFile, config: LoadConfig) -> Iterator[Located | Skipped]:
    """The documents of one input file (one, or a JSONL file's lines), or why each was skipped."""
    suffix = PurePath(item.path).suffix.lower()
    if suffix in _JSONL:
        yield from read_jsonl(item.path, item.doc_id, config)
    else:
        yield _read_file(item, config, html=suffix in _HTML)


def _read_file(item: InputFile, config: LoadConfig, *, html: bool) -> Located | Skipped:
    # One file that exhausts memory costs that file, not the scan.
    try:
        return _read_file_bytes(item, config, html=html)
    except MemoryError:
        return Skipped(item.path, "out of memory reading this file")


def _read_file_bytes(item: InputFile, config: LoadConfig, *, html: bool) -> Located | Skipped:
    data = read_bytes(item.path, config.max_file_bytes)
    if isinstance(data, Skipped):
        return data
    try:
        decoded = decode_html(data) if html else decode_bytes(data)
        if not decoded or decoded.isspace():
            return Skipped(item.path, "empty file")
        text, metadata = html_to_text(decoded) if html else (decoded, text_metadata(decoded))
    except DecodeError as error:
        return Skipped(item.path, error.reason)
    if html and not text.strip():
        return Skipped(item.path, "no visible text in HTML")
    document = Document(id=item.doc_id, text=text, path=item.path, metadata=metadata)
    return document, item.path, -1


def _claim(located: Located, first_seen: dict[str, str]) -> tuple[Document, Source] | Skipped:
    document, where, offset = located
    if document.id in first_seen:
        first = first_seen[document.id]
        return Skipped(where, f"duplicate id '{document.id}' (first seen at {first})")
    first_seen[document.id] = where
    assert document.path is not None  # every loaded document has its file's path
    return document, Source(document.path, offset)
