"""Documents from tables of records: CSV and TSV files, and JSON files (an array of objects).

Each record goes through the JSON Lines rules (``record_document``): the same ``--text-field``,
``--id-field`` and ``--date-field``, the same fallback ids (``file:N``, N counting records from
1) and the same reasons. Their texts cannot be read again at an offset, so the scan keeps them.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterator
from typing import Any

from dedup.config import LoadConfig
from dedup.errors import DedupError
from dedup.loading.files import InputFile
from dedup.loading.jsonl import (
    KEPT,
    WRITTEN_BY_DEDUP,
    Located,
    read_jsonl,
    record_document,
    stream_error_reason,
)
from dedup.loading.streams import STDIN, STDIN_NAME, open_binary, read_limited
from dedup.model import Skipped

#: Errors of reading a stream: damaged compressed data is an OSError or EOFError.
_STREAM_ERRORS = (OSError, EOFError, DedupError)


def read_delimited(
    item: InputFile, config: LoadConfig, delimiter: str
) -> Iterator[Located | Skipped]:
    """Each row of a CSV (``,``) or TSV (``\\t``) file after its header row, as a document."""
    where = STDIN_NAME if item.path == STDIN else item.path
    any_row = False
    try:
        for number, record in enumerate(iter_delimited(item.path, delimiter, config), start=1):
            any_row = True
            yield record_document(record, number, item.doc_id, where, config, KEPT)
    except UnicodeDecodeError:
        yield Skipped(where, "not valid UTF-8 (CSV and TSV files are read as UTF-8)")
        return
    except csv.Error as error:
        yield Skipped(where, f"invalid CSV: {error}")
        return
    except _STREAM_ERRORS as error:
        yield Skipped(where, f"cannot read: {stream_error_reason(error)}")
        return
    if not any_row:
        yield Skipped(where, "empty file (no rows after the header)")


def iter_delimited(path: str, delimiter: str, config: LoadConfig) -> Iterator[dict[str, Any]]:
    """The rows of a CSV or TSV file as dicts by the header row (raises what reading raises)."""
    # A news text is far longer than the csv module's default field limit (128 KiB); the
    # file-size limit is the one that applies to a document. The limit is process-wide.
    csv.field_size_limit(min(config.max_file_bytes, sys.maxsize))
    with open_binary(path) as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        try:
            for row in csv.DictReader(text, delimiter=delimiter):
                yield {key: value for key, value in row.items() if isinstance(key, str)}
        finally:
            text.detach()  # open_binary closes the stream it opened


def read_json(item: InputFile, config: LoadConfig) -> Iterator[Located | Skipped]:
    """A JSON file: an array of objects (each a document), or one object. Concatenated objects,
    one per line, are read as JSON Lines."""
    where = STDIN_NAME if item.path == STDIN else item.path
    loaded = load_json(item.path, config)
    if isinstance(loaded, Skipped):
        if loaded.reason == _LINES:
            yield from read_jsonl(item.path, item.doc_id, config)
        else:
            yield Skipped(where, loaded.reason)
        return
    if isinstance(loaded, dict) and str(loaded.get("schema", "")).startswith("dedup."):
        yield Skipped(where, WRITTEN_BY_DEDUP)
        return
    records = loaded if isinstance(loaded, list) else [loaded]
    if not records:
        yield Skipped(where, "empty file (an empty JSON array)")
    for number, record in enumerate(records, start=1):
        if isinstance(record, dict):
            yield record_document(record, number, item.doc_id, where, config, KEPT)
        else:
            yield Skipped(f"{where}:{number}", "array item is not a JSON object")


_LINES = "one JSON value per line"


def iter_records(path: str, delimiter: str | None, config: LoadConfig) -> Iterator[dict[str, Any]]:
    """The records of a CSV/TSV file (``delimiter``) or a JSON file (None) in order, for
    copying the kept ones; raises ValueError when the file no longer reads."""
    if delimiter is not None:
        yield from iter_delimited(path, delimiter, config)
        return
    loaded = load_json(path, config)
    if isinstance(loaded, Skipped):
        raise ValueError(f"{path}: {loaded.reason}")
    for record in loaded if isinstance(loaded, list) else [loaded]:
        yield record if isinstance(record, dict) else {}


def load_json(path: str, config: LoadConfig) -> list[Any] | dict[str, Any] | Skipped:
    """The parsed array or object of a JSON file, or why it gives none (``_LINES``: it is JSON
    Lines)."""
    try:
        data = read_limited(path, config.max_file_bytes)
        value = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return Skipped(path, "not valid UTF-8 (JSON files are read as UTF-8)")
    except json.JSONDecodeError as error:
        if error.msg == "Extra data":
            return Skipped(path, _LINES)
        return Skipped(path, f"invalid JSON: {error.msg} at line {error.lineno}")
    except (ValueError, RecursionError) as error:  # too large, huge integers, absurd nesting
        return Skipped(path, f"cannot read: {error}")
    except _STREAM_ERRORS as error:
        return Skipped(path, f"cannot read: {stream_error_reason(error)}")
    if isinstance(value, list | dict):
        return value
    return Skipped(path, "JSON file is neither an array of objects nor an object")
