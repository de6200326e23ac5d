"""Reading input files and folders into documents: plain text, markdown, HTML and JSON Lines.

Nothing here raises on bad input: every input that yields no document is reported as a
``Skipped`` with a reason, in the same stream as the documents.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import PurePath

from dedup.config import LoadConfig
from dedup.load.files import InputFile, expand, read_bytes
from dedup.load.html import decode_html, html_to_text
from dedup.load.jsonl import Located, read_jsonl
from dedup.load.text import DecodeError, decode_bytes, text_metadata
from dedup.model import Document, Skipped

__all__ = ["load"]

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
    if isinstance(paths, str | os.PathLike):
        # A lone path is a common slip; reading it character by character helps nobody.
        paths = [paths]
    first_seen: dict[str, str] = {}
    for item in expand([os.fspath(path) for path in paths]):
        if isinstance(item, Skipped):
            yield item
            continue
        for result in _read(item, config):
            yield result if isinstance(result, Skipped) else _claim(result, first_seen)


def _read(item: InputFile, config: LoadConfig) -> Iterator[Located | Skipped]:
    suffix = PurePath(item.path).suffix.lower()
    if suffix in _JSONL:
        yield from read_jsonl(item.path, item.doc_id, config)
    else:
        yield _read_file(item, config, html=suffix in _HTML)


def _read_file(item: InputFile, config: LoadConfig, *, html: bool) -> Located | Skipped:
    data = read_bytes(item.path, config.max_file_bytes)
    if isinstance(data, Skipped):
        return data
    try:
        decoded = decode_html(data) if html else decode_bytes(data)
    except DecodeError as error:
        return Skipped(item.path, error.reason)
    if not decoded or decoded.isspace():
        return Skipped(item.path, "empty file")
    if html:
        text, metadata = html_to_text(decoded)
        if not text.strip():
            return Skipped(item.path, "no visible text in HTML")
    else:
        text, metadata = decoded, text_metadata(decoded)
    return Document(id=item.doc_id, text=text, path=item.path, metadata=metadata), item.path


def _claim(located: Located, first_seen: dict[str, str]) -> Document | Skipped:
    document, where = located
    if document.id in first_seen:
        first = first_seen[document.id]
        return Skipped(where, f"duplicate id '{document.id}' (first seen at {first})")
    first_seen[document.id] = where
    return document
