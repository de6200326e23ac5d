"""The one table of input formats: which reader a path gets, for every command and backend.

A path's format comes from its suffix, after any compression suffix (``news.jsonl.gz`` is JSON
Lines, gzip-compressed); a file whose suffix names no format is recognised by its first bytes
(Parquet's ``PAR1``, a compressed stream), else read as text; standard input (``-``) is JSON
Lines when it starts with ``{``, a JSON array with ``[``, else one text. Each ``Format`` says
how its files are read (``read``), how the Dask backend splits them (``split``) and what
``dedup dedupe`` writes for them (``output``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Literal

import attrs

from dedup.config import LoadConfig
from dedup.errors import DedupError, InputError, MissingExtraError
from dedup.loading.files import InputFile, check_regular, read_bytes
from dedup.loading.html import decode_html, html_to_text
from dedup.loading.jsonl import (
    KEPT,
    WRITTEN_BY_DEDUP,
    Located,
    read_jsonl,
    reread_jsonl_text,
    stream_error_reason,
)
from dedup.loading.main_content import main_text
from dedup.loading.parquet import read_parquet
from dedup.loading.records import read_delimited, read_json
from dedup.loading.streams import (
    STDIN,
    STDIN_NAME,
    compression_of,
    is_url,
    peek,
    read_limited,
    seekable,
    stdin_kind,
    suffixes,
)
from dedup.loading.text import DecodeError, decode_bytes, text_metadata
from dedup.model import Document, Skipped

Reader = Callable[[InputFile, LoadConfig], Iterator[Located | Skipped]]


@attrs.frozen
class Format:
    """One input format."""

    name: str
    #: the suffixes that name it (lower case, with the dot), before any compression suffix
    suffixes: frozenset[str]
    read: Reader
    #: how the Dask backend splits a file: byte blocks of lines, row groups, or whole files
    split: Literal["lines", "row-groups", "whole"]
    #: what ``dedup dedupe`` writes: the kept lines as they are, the kept Parquet rows, the
    #: kept records of a table (as JSON Lines, CSV, TSV or a JSON array), or the kept files
    output: Literal["jsonl", "parquet", "records", "files"]


def _read_text(item: InputFile, config: LoadConfig) -> Iterator[Located | Skipped]:
    yield read_document_file(item, config, html=False)


def _read_html(item: InputFile, config: LoadConfig) -> Iterator[Located | Skipped]:
    yield read_document_file(item, config, html=True)


def _read_csv(item: InputFile, config: LoadConfig) -> Iterator[Located | Skipped]:
    return read_delimited(item, config, ",")


def _read_tsv(item: InputFile, config: LoadConfig) -> Iterator[Located | Skipped]:
    return read_delimited(item, config, "\t")


def _read_jsonl(item: InputFile, config: LoadConfig) -> Iterator[Located | Skipped]:
    return read_jsonl(item.path, item.doc_id, config)


TEXT = Format("text", frozenset({".txt", ".md", ".markdown", ".text"}), _read_text,
              "whole", "files")  # fmt: skip
HTML = Format("html", frozenset({".html", ".htm", ".xhtml"}), _read_html, "whole", "files")
JSONL = Format("jsonl", frozenset({".jsonl", ".ndjson"}), _read_jsonl, "lines", "jsonl")
JSON = Format("json", frozenset({".json"}), read_json, "whole", "records")
CSV = Format("csv", frozenset({".csv"}), _read_csv, "whole", "records")
TSV = Format("tsv", frozenset({".tsv", ".tab"}), _read_tsv, "whole", "records")
PARQUET = Format("parquet", frozenset({".parquet", ".parq", ".pq"}), read_parquet,
                 "row-groups", "parquet")  # fmt: skip

#: Every format, by name.
FORMATS: dict[str, Format] = {f.name: f for f in (TEXT, HTML, JSONL, JSON, CSV, TSV, PARQUET)}
_BY_SUFFIX = {suffix: f for f in FORMATS.values() for suffix in f.suffixes}


def format_of(path: str) -> Format:
    """The format of ``path`` (``-``: of what standard input starts with)."""
    if path == STDIN:
        return FORMATS[stdin_kind()]
    suffix, _ = suffixes(path)
    found = _BY_SUFFIX.get(suffix)
    if found is not None:
        return found
    if peek(path, 4) == b"PAR1":
        return PARQUET
    # Any other suffix (.dat, .log, .xml, …) is read as text, as it always was; binary files
    # are told apart by their bytes and skipped with the reason.
    return TEXT


def kept_in_memory(path: str) -> bool:
    """Whether the texts of ``path`` are kept by the scan rather than read again from it."""
    return not seekable(path) or format_of(path).output in ("records", "parquet")


def read_input(item: InputFile, config: LoadConfig) -> Iterator[Located | Skipped]:
    """The documents of one input (one, or one per line, row or record), or why each was
    skipped; an input that exhausts memory costs that input, not the scan."""
    try:
        yield from format_of(item.path).read(item, config)
    except MemoryError:
        yield Skipped(item.path, "out of memory reading this file")


def reread(path: str, offset: int, config: LoadConfig = LoadConfig()) -> str:
    """The text of a document read before, from its file or JSONL line (``Source``), decoded
    as it was then; ``InputError`` if it can no longer be read."""
    if offset >= 0:
        return reread_jsonl_text(path, offset, config)
    found = read_document_file(InputFile(path, path), config, html=format_of(path) is HTML)
    if isinstance(found, Skipped):
        raise InputError(f"{path}: cannot read again: {found.reason}")
    return found[0].text


def read_document_file(item: InputFile, config: LoadConfig, *, html: bool) -> Located | Skipped:
    """A whole file (text, markdown or HTML, compressed or not) as one document."""
    where = STDIN_NAME if item.path == STDIN else item.path
    data = _whole(item.path, config.max_file_bytes)
    if isinstance(data, Skipped):
        return data
    try:
        decoded = decode_html(data) if html else decode_bytes(data)
        if not decoded or decoded.isspace():
            return Skipped(where, "empty file")
        if html and _HTML_REPORT in decoded[:_HEAD]:
            return Skipped(where, WRITTEN_BY_DEDUP)
        text, metadata = html_to_text(decoded) if html else (decoded, text_metadata(decoded))
        if html and config.html_extract == "main":
            text = main_text(decoded) or text  # no main content found: every visible word
    except DecodeError as error:
        return Skipped(where, error.reason)
    except MissingExtraError as error:
        return Skipped(where, str(error))
    if html and not text.strip():
        return Skipped(where, "no visible text in HTML")
    document = Document(id=item.doc_id, text=text, path=where, metadata=metadata)
    offset = KEPT if item.path == STDIN or is_url(item.path) else -1
    return document, where, offset


#: dedup's HTML report names itself in its head (report.html.j2).
_HTML_REPORT = '<meta name="generator" content="dedup '
_HEAD = 2048


def _whole(path: str, limit: int) -> bytes | Skipped:
    where = STDIN_NAME if path == STDIN else path
    local = path != STDIN and not is_url(path)
    if local and compression_of(path) is None:
        return read_bytes(path, limit)
    unreadable = check_regular(path) if local else None
    if unreadable is not None:
        return unreadable
    try:
        return read_limited(path, limit)
    except ValueError as error:
        return Skipped(where, str(error))
    except (OSError, EOFError, DedupError) as error:
        return Skipped(where, f"cannot read: {stream_error_reason(error)}")
