"""Documents from a table already in memory: a pandas or polars DataFrame, or a Hugging Face
``datasets.Dataset`` (``dedup.scan_frame``).

Each row goes through the JSON Lines record rules (``record_document``): the same fallback ids
(``frame:N``, rows from 1), metadata (``title``, ``url`` columns, the date column read as
``dedup.loading.dates`` reads dates) and skip reasons. Only the columns named are read, one
column at a time, so a frame's other columns cost nothing. No import happens here: the frame's
own library is already loaded, and an object of any other kind is refused with what is accepted.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import attrs

from dedup.config import LoadConfig, ScanConfig
from dedup.errors import ConfigError
from dedup.loading.jsonl import KEPT, record_document
from dedup.model import Document, ScanResult, Skipped
from dedup.pipeline import scan_documents

#: The file id of rows without an id, and the "path" their skips are listed under.
FRAME = "frame"


def frame_documents(
    frame: Any, text: str, id_column: str | None, config: LoadConfig
) -> Iterator[Document | Skipped]:
    """Each row of ``frame`` as a document by ``text`` (and ``id_column``, ``config.date_field``,
    ``title``, ``url`` when present), or why it was skipped. Raises ConfigError when ``frame``
    is no frame dedup reads or lacks the text column."""
    names = _column_names(frame)
    if text not in names:
        shown = ", ".join(map(str, names[:12])) or "none"
        raise ConfigError(f"the frame has no column {text!r} (columns: {shown})")
    fields = {"text": text, "id": id_column, "date": config.date_field}
    wanted = {role: name for role, name in fields.items() if name is not None and name in names}
    wanted.update({key: key for key in ("title", "url") if key in names})
    columns = {role: _column(frame, name) for role, name in wanted.items()}
    rule = LoadConfig(text_field="text", id_field="id", date_field="date" if "date" in columns
                      else None, date_format=config.date_format)  # fmt: skip
    for row in range(len(columns["text"])):
        record = {role: values[row] for role, values in columns.items()}
        if "date" in record and record["date"] is not None and not isinstance(record["date"], str):
            stamp = record["date"]  # a typed timestamp of the frame
            record["date"] = stamp.isoformat() if hasattr(stamp, "isoformat") else str(stamp)
        found = record_document(record, row + 1, FRAME, FRAME, rule, KEPT)
        yield found if isinstance(found, Skipped) else found[0]


def _kind(frame: Any) -> str:
    module = type(frame).__module__.split(".", 1)[0]
    if module in ("pandas", "polars", "datasets"):
        return module
    raise ConfigError(
        f"scan_frame reads a pandas or polars DataFrame or a datasets.Dataset, not "
        f"{type(frame).__module__}.{type(frame).__name__}"
    )


def _column_names(frame: Any) -> list[Any]:
    kind = _kind(frame)
    return list(frame.column_names if kind == "datasets" else frame.columns)


def _column(frame: Any, name: str) -> Sequence[Any]:
    """One column as a list of Python values (missing values as None)."""
    kind = _kind(frame)
    if kind == "pandas":
        column = frame[name]
        # pandas marks a missing value NaN/NaT/None by column type; None is what the rules know.
        values, missing = column.tolist(), column.isna().tolist()
        return [None if gone else value for value, gone in zip(values, missing, strict=True)]
    if kind == "polars":
        polars_values: list[Any] = frame.get_column(name).to_list()
        return polars_values
    listed: list[Any] = list(frame[name])  # datasets: the column, read from its Arrow table
    return listed


def scan_frame(
    frame: Any,
    text: str = "text",
    id: str | None = "id",  # the name users know from --id-field
    *,
    date: str | None = None,
    config: ScanConfig = ScanConfig(),
    jobs: int = 1,
) -> ScanResult:
    """Scan the rows of a pandas or polars DataFrame or a ``datasets.Dataset`` for copies:
    ``text`` names the text column, ``id`` the id column (rows without one are ``frame:N``),
    ``date`` the date column (for lineage and ``--keep earliest``). Rows without text are in
    ``ScanResult.skipped``; the texts are kept in memory, as the frame holds them already."""
    load = attrs.evolve(config.load, text_field=text, id_field=id or "id", date_field=date)
    skipped: list[Skipped] = []
    documents = []
    for item in frame_documents(frame, text, id, load):
        if isinstance(item, Skipped):
            skipped.append(item)
        else:
            documents.append(item)
    return scan_documents(documents, attrs.evolve(config, load=load), skipped=skipped, jobs=jobs)
