"""Documents from a JSON Lines file, one JSON object per line."""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from dedup.config import LoadConfig
from dedup.errors import DedupError, InputError
from dedup.loading.dates import UNPARSED, iso_date
from dedup.loading.files import check_regular, valid_unicode, without_surrogates
from dedup.loading.streams import STDIN, STDIN_NAME, is_url, open_binary, seekable
from dedup.model import Document, Skipped

#: A document, where it came from ("path:line", for duplicate-id reports), and the byte offset
#: of its JSONL line (-1 for a whole file, ``KEPT`` when it cannot be read again), to read its
#: text again.
Located = tuple[Document, str, int]
#: The offset of a document whose text cannot be read again (standard input, a compressed
#: file, a URL, a CSV or Parquet record): the scan keeps its text.
KEPT = -2


def read_jsonl(path: str, file_id: str, config: LoadConfig) -> Iterator[Located | Skipped]:
    """Each line of the file as a document, or as ``Skipped(f"{path}:{line}", reason)``.

    The file is streamed, so its size is not limited, but each line is: one longer than
    ``config.max_file_bytes`` is skipped without being read into memory. Blank lines are
    ignored. A file that cannot be read yields one ``Skipped`` for the file (after any lines
    already read).
    """
    unreadable = None if path == STDIN or is_url(path) else check_regular(path)
    if unreadable is not None:
        yield unreadable
        return
    any_line = False
    offset = 0
    limit = config.max_file_bytes
    # Offsets into a decompressed stream cannot be sought again cheaply: those texts are kept.
    rereadable = seekable(path)
    where = STDIN_NAME if path == STDIN else path
    try:
        with open_binary(path) as handle:
            for lineno, (line, size) in enumerate(bounded_lines(handle, limit), start=1):
                if line is None:
                    any_line = True
                    yield Skipped(f"{where}:{lineno}", _too_long(size, limit))
                    offset += size
                    continue
                raw = line.removeprefix(codecs.BOM_UTF8) if lineno == 1 else line
                if lineno == 1 and raw.startswith(_DEDUP_HEADER):
                    yield Skipped(where, WRITTEN_BY_DEDUP)
                    return
                if raw.strip():
                    any_line = True
                    start = offset + len(line) - len(raw) if rereadable else KEPT
                    yield _read_guarded(raw, lineno, file_id, where, config, start)
                offset += size
    except (OSError, EOFError, DedupError) as error:  # EOFError: a truncated compressed file
        yield Skipped(where, f"cannot read: {stream_error_reason(error)}")
        return
    if not any_line:
        yield Skipped(path, "empty file")


#: The first bytes of a file dedup wrote (a removal map's header line, a JSON report).
_DEDUP_HEADER = b'{"schema": "dedup.'
#: Why a report or a removal map that dedup wrote is not read as an input.
WRITTEN_BY_DEDUP = "written by dedup (a report or a removal map), not read as an input"

#: Bytes read at a time while passing over a line that is too long to keep.
_CHUNK = 1 << 20


def bounded_lines(handle: BinaryIO, limit: int) -> Iterator[tuple[bytes | None, int]]:
    """Each line of ``handle`` and its size in bytes; a line longer than ``limit`` bytes comes
    as ``None`` and is never held in memory whole."""
    while True:
        line = handle.readline(limit + 1)
        if not line:
            return
        if len(line) <= limit or line.endswith(b"\n"):
            yield line, len(line)
            continue
        size = len(line)
        del line
        while True:
            rest = handle.readline(_CHUNK)
            size += len(rest)
            if not rest or rest.endswith(b"\n"):
                break
        yield None, size


def stream_error_reason(error: BaseException) -> str:
    """What went wrong reading a stream, in a few words."""
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error) or type(error).__name__


def _too_long(size: int, limit: int) -> str:
    return f"line too large ({size} bytes > limit {limit})"


def _read_guarded(
    raw: bytes, lineno: int, file_id: str, path: str, config: LoadConfig, offset: int
) -> Located | Skipped:
    # One record that exhausts memory (a huge JSON value) costs that record, not the file.
    try:
        return read_line(raw, lineno, file_id, path, config, offset)
    except MemoryError:
        return Skipped(f"{path}:{lineno}", "out of memory reading this line")


def reread_jsonl_text(path: str, offset: int, config: LoadConfig) -> str:
    """The text of the JSONL line at byte ``offset``, read again (``InputError`` if it is gone)."""
    try:
        with Path(path).open("rb") as handle:
            handle.seek(offset)
            raw = handle.readline(config.max_file_bytes + 1)
    except OSError as error:
        raise InputError(f"{path}: cannot read again: {error.strerror or error}") from error
    found = read_line(raw, 0, path, path, config, offset)
    if isinstance(found, Skipped):
        raise InputError(f"{path}: changed since it was scanned ({found.reason} at byte {offset})")
    return found[0].text


def read_line(
    raw: bytes, lineno: int, file_id: str, path: str, config: LoadConfig, offset: int = -1
) -> Located | Skipped:
    """One line as a document (``offset``: its byte offset, -1 when it cannot be read again)."""
    where = f"{path}:{lineno}"
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError:
        return Skipped(where, "line is not valid UTF-8")
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        return Skipped(where, f"invalid JSON: {error.msg} at column {error.colno}")
    except (ValueError, RecursionError) as error:  # huge integers, absurd nesting
        return Skipped(where, f"invalid JSON: {error}")
    if not isinstance(record, dict):
        return Skipped(where, "line is not a JSON object")
    return record_document(record, lineno, file_id, path, config, offset)


def record_document(
    record: dict[str, Any],
    lineno: int,
    file_id: str,
    path: str,
    config: LoadConfig,
    offset: int = -1,
) -> Located | Skipped:
    """A parsed JSON object as a document, by the id, text and metadata fields of ``config``."""
    where = f"{path}:{lineno}"
    text = record.get(config.text_field)
    if not isinstance(text, str):
        return Skipped(where, missing_text(config.text_field, record))
    if not text.strip():
        return Skipped(where, "empty text")
    doc_id = _doc_id(record.get(config.id_field), f"{file_id}:{lineno}")
    if doc_id is None:
        return Skipped(where, f"field '{config.id_field}' is not a string or number")
    metadata = {key: valid_unicode(value) for key, value in _metadata(record, config).items()}
    # A JSON "\ud800" gives a lone surrogate, which no UTF-8 output or SQLite can hold.
    document = Document(id=valid_unicode(doc_id), text=without_surrogates(text), path=path,
                        metadata=metadata)  # fmt: skip
    return document, where, offset


def missing_text(field: str, record: dict[str, Any]) -> str:
    """Why a record gives no text: the field it lacks, the text fields it has, and the option
    that chooses another (the text report folds a file's identical reasons into one line)."""
    if field in record:
        kind = "null" if record[field] is None else "not a string"
        return f"field '{field}' is {kind}"
    found = [key for key, value in record.items() if isinstance(value, str)][:8]
    named = ", ".join(found) if found else "none"
    return f"no field '{field}' (text fields found: {named}; choose one with --text-field)"


def _doc_id(value: object, fallback: str) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        # The fallback is "file_id:line", so ids stay unique across several JSONL files.
        return fallback
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def _metadata(record: dict[str, Any], config: LoadConfig) -> dict[str, str]:
    metadata = {
        key: value
        for key in ("title", "url")
        if isinstance(value := record.get(key), str) and value.strip()
    }
    raw = None if config.date_field is None else record.get(config.date_field)
    if raw is not None and str(raw).strip():
        date = iso_date(str(raw), config.date_format)
        # A date that does not parse is kept, and counted by the commands, never just dropped.
        metadata["date" if date else UNPARSED] = date or str(raw)
    return metadata
