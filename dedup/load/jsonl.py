"""Documents from a JSON Lines file, one JSON object per line."""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from dedup.config import LoadConfig
from dedup.load.files import check_regular
from dedup.model import Document, Skipped

#: A document and where it came from ("path:line"), for duplicate-id reports.
Located = tuple[Document, str]


def read_jsonl(path: str, file_id: str, config: LoadConfig) -> Iterator[Located | Skipped]:
    """Each line of the file as a document, or as ``Skipped(f"{path}:{line}", reason)``.

    The file is streamed, so its size is not limited; blank lines are ignored. A file that
    cannot be read yields one ``Skipped`` for the file (after any lines already read).
    """
    unreadable = check_regular(path)
    if unreadable is not None:
        yield unreadable
        return
    any_line = False
    try:
        with Path(path).open("rb") as handle:
            for lineno, raw in enumerate(handle, start=1):
                if lineno == 1:
                    raw = raw.removeprefix(codecs.BOM_UTF8)
                if raw.strip():
                    any_line = True
                    yield _read_line(raw, lineno, file_id, path, config)
    except OSError as error:
        yield Skipped(path, f"cannot read: {error.strerror or error}")
        return
    if not any_line:
        yield Skipped(path, "empty file")


def _read_line(
    raw: bytes, lineno: int, file_id: str, path: str, config: LoadConfig
) -> Located | Skipped:
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
    return _to_document(record, lineno, file_id, path, config)


def _to_document(
    record: dict[str, Any], lineno: int, file_id: str, path: str, config: LoadConfig
) -> Located | Skipped:
    where = f"{path}:{lineno}"
    text = record.get(config.text_field)
    if not isinstance(text, str):
        return Skipped(where, f"no string field '{config.text_field}'")
    if not text.strip():
        return Skipped(where, "empty text")
    doc_id = _doc_id(record.get(config.id_field), f"{file_id}:{lineno}")
    if doc_id is None:
        return Skipped(where, f"field '{config.id_field}' is not a string or number")
    metadata = _metadata(record, config)
    return Document(id=doc_id, text=text, path=path, metadata=metadata), where


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
    if config.date_field is not None and record.get(config.date_field) is not None:
        metadata["date"] = str(record[config.date_field])
    return metadata
