"""Documents from Parquet files, one per row (extra: ``parquet``, which installs pyarrow).

The columns and rules are those of a JSON Lines record (``--text-field`` etc.); rows are
numbered from 1 (``path:row``). A whole file is read in batches; the Dask backend reads one
row group per task. Rows have no byte offset: the scan keeps their texts.
"""

from __future__ import annotations

from collections.abc import Iterator
from types import ModuleType
from typing import Any

from dedup.config import LoadConfig
from dedup.errors import MissingExtraError
from dedup.loading.files import InputFile, check_regular
from dedup.loading.jsonl import KEPT, Located, record_document
from dedup.model import Skipped

#: Parquet rows read at a time: bounds memory whatever the row group size.
PARQUET_BATCH = 1024


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


def read_parquet(item: InputFile, config: LoadConfig) -> Iterator[Located | Skipped]:
    """Each row of a Parquet file as a document, read in batches of the columns needed."""
    path = item.path
    unreadable = check_regular(path)
    if unreadable is not None:
        yield unreadable
        return
    try:
        pq = pyarrow_parquet()
    except MissingExtraError as error:
        yield Skipped(path, str(error))
        return
    try:
        table = pq.ParquetFile(path)
        columns = _columns(table.schema_arrow.names, config)
        if config.text_field not in columns:
            yield Skipped(path, _no_text_column(table.schema_arrow, config))
            return
        row = 0
        for batch in table.iter_batches(batch_size=PARQUET_BATCH, columns=columns):
            for record in batch.to_pylist():
                row += 1
                yield row_document(record, row, item.doc_id, path, config)
        if row == 0:
            yield Skipped(path, "empty file")
    except (OSError, ValueError) as error:  # pyarrow's ArrowException subclasses these
        yield Skipped(path, f"cannot read as Parquet: {error}")


def row_groups(path: str) -> list[int] | Skipped:
    """The number of rows of each row group of a Parquet file, from its footer."""
    try:
        metadata = pyarrow_parquet().ParquetFile(path).metadata
    except MissingExtraError as error:
        return Skipped(path, str(error))
    except (OSError, ValueError) as error:  # pyarrow's ArrowInvalid is a ValueError
        return Skipped(path, f"cannot read as Parquet: {error}")
    return [metadata.row_group(group).num_rows for group in range(metadata.num_row_groups)]


def read_row_group(
    path: str, group: int, first_row: int, file_id: str, config: LoadConfig
) -> Iterator[Located | Skipped]:
    """The rows of one row group (numbered from ``first_row``); raises what pyarrow raises."""
    table = pyarrow_parquet().ParquetFile(path)
    columns = _columns(table.schema_arrow.names, config)
    if config.text_field not in columns:
        if group == 0:  # once per file, as a whole-file read reports it
            yield Skipped(path, _no_text_column(table.schema_arrow, config))
        return
    rows: list[dict[str, Any]] = table.read_row_group(group, columns=columns).to_pylist()
    for offset, record in enumerate(rows):
        yield row_document(record, first_row + offset, file_id, path, config)


def _columns(names: list[str], config: LoadConfig) -> list[str]:
    wanted = [config.text_field, config.id_field, config.date_field, "title", "url"]
    return [name for name in dict.fromkeys(wanted) if name in names]


def _no_text_column(schema: Any, config: LoadConfig) -> str:
    text = [field.name for field in schema if str(field.type) in ("string", "large_string")]
    named = ", ".join(text[:8]) or "none"
    return (f"no column '{config.text_field}' (text columns found: {named}; "
            "choose one with --text-field)")  # fmt: skip


def row_document(
    record: dict[str, Any], row: int, file_id: str, path: str, config: LoadConfig
) -> Located | Skipped:
    """A row as a document, by the rules of a JSON Lines record."""
    date = config.date_field
    if date is not None and record.get(date) is not None and not isinstance(record[date], str):
        # Parquet has typed timestamps; the date rules read text.
        record[date] = record[date].isoformat() if hasattr(record[date], "isoformat") else None
    return record_document(record, row, file_id, path, config, KEPT)
