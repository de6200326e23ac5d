"""A scan's results as flat tables, for pipelines: one row per pair, per family member, per
document, written as JSON Lines, CSV, TSV or Parquet by the file's suffix.

Rows are plain dicts of str, int, float, bool or None; every table has a fixed column order
(``COLUMNS``) and the tables as a whole a version (``TABLES_SCHEMA``): a new column may be
added within a version, a column's meaning changes only with a new major version. The JSON
Schema of each row ships in ``dedup/schemas/`` (``dedup.pairs-row/1.json`` etc.).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Literal

from dedup.documents import document_info
from dedup.errors import ConfigError, OutputError
from dedup.loading.parquet import pyarrow_parquet
from dedup.loading.streams import open_write, suffixes
from dedup.model import Family, ScanResult

#: The version of the tables' columns; each row table's JSON Schema names it.
TABLES_SCHEMA = "dedup.tables/1"

Value = str | int | float | bool | None
Row = dict[str, Value]
ColumnType = Literal["string", "integer", "number", "boolean"]

#: Each table's columns, in order, with their types (None is allowed in every column).
COLUMNS: Mapping[str, tuple[tuple[str, ColumnType], ...]] = {
    "pairs": (
        ("a", "string"), ("b", "string"), ("relation", "string"), ("jaccard", "number"),
        ("a_in_b", "number"), ("b_in_a", "number"), ("family", "string"), ("story", "string"),
    ),
    "families": (
        ("family", "string"), ("document", "string"), ("size", "integer"),
        ("cohesion", "number"), ("loose", "boolean"), ("story", "string"),
    ),
    "documents": (
        ("id", "string"), ("path", "string"), ("chars", "integer"), ("family", "string"),
        ("story", "string"), ("title", "string"), ("date", "string"), ("url", "string"),
    ),
}  # fmt: skip

#: The table formats by suffix (after any compression suffix).
FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".tsv": "tsv",
           ".parquet": "parquet"}  # fmt: skip


def _membership(families: Iterable[Family]) -> dict[str, str]:
    return {doc: family.id for family in families for doc in family.members}


def pair_rows(result: ScanResult) -> Iterator[Row]:
    """One row per reported pair, in the report's order: ids, relation, scores (six decimals),
    and the copy family and story both documents are in (None when they are in different ones)."""
    family, story = _membership(result.families), _membership(result.stories)
    for pair in result.pairs:
        yield {
            "a": pair.a,
            "b": pair.b,
            "relation": str(pair.relation),
            "jaccard": round(pair.jaccard, 6),
            "a_in_b": round(pair.containment.a_in_b, 6),
            "b_in_a": round(pair.containment.b_in_a, 6),
            "family": _shared(family, pair.a, pair.b),
            "story": _shared(story, pair.a, pair.b),
        }


def _shared(groups: Mapping[str, str], a: str, b: str) -> str | None:
    group = groups.get(a)
    return group if group is not None and group == groups.get(b) else None


def family_rows(result: ScanResult) -> Iterator[Row]:
    """One row per member of every copy family (singletons included), largest family first."""
    story = _membership(result.stories)
    for family in result.families:
        for member in family.members:
            yield {
                "family": family.id,
                "document": member,
                "size": len(family.members),
                "cohesion": round(family.cohesion, 3),
                "loose": family.loose,
                "story": story.get(member),
            }


def document_rows(result: ScanResult) -> Iterator[Row]:
    """One row per document read, in scan order, with its family, story and metadata."""
    family, story = _membership(result.families), _membership(result.stories)
    for info in document_info(result.documents):  # lengths without reading the texts again
        yield {
            "id": info.id,
            "path": info.path,
            "chars": info.chars,
            "family": family.get(info.id),
            "story": story.get(info.id),
            **{key: info.metadata.get(key) for key in ("title", "date", "url")},
        }


TABLES: Mapping[str, Callable[[ScanResult], Iterator[Row]]] = {
    "pairs": pair_rows, "families": family_rows, "documents": document_rows,
}  # fmt: skip


def table_format(path: str) -> str:
    """The table format a path's suffix names; ConfigError for any other."""
    suffix, _ = suffixes(path)
    if suffix not in FORMATS:
        known = ", ".join(sorted(FORMATS))
        raise ConfigError(f"{path}: a table is written as {known} (optionally .gz, .bz2, .zst)")
    return FORMATS[suffix]


def write_table(rows: Iterable[Row], path: str, table: str) -> int:
    """Write ``rows`` of ``table`` (a key of ``COLUMNS``) to ``path`` in the format its suffix
    names; return the number of rows. OutputError when it cannot be written."""
    form, columns = table_format(path), [name for name, _ in COLUMNS[table]]
    try:
        if form == "parquet":
            return _write_parquet(rows, path, table)
        with open_write(path) as raw:
            text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
            try:
                return _write_text(rows, text, form, columns)
            finally:
                text.flush()
                text.detach()
    except OSError as error:
        raise OutputError(f"cannot write {path}: {error.strerror or error}") from error


def _write_text(rows: Iterable[Row], out: io.TextIOWrapper, form: str, columns: list[str]) -> int:
    count = 0
    if form == "jsonl":
        for row in rows:
            out.write(json.dumps({c: row.get(c) for c in columns}, ensure_ascii=False) + "\n")
            count += 1
        return count
    writer = csv.writer(out, delimiter="\t" if form == "tsv" else ",", lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_csv_value(row.get(c)) for c in columns])
        count += 1
    return count


def _csv_value(value: Value) -> Value:
    # CSV has no null (an empty field) and no booleans (JSON's spelling, which pandas reads).
    if value is None:
        return ""
    return ("true" if value else "false") if isinstance(value, bool) else value


_ARROW_TYPES = {"string": "string", "integer": "int64", "number": "float64", "boolean": "bool_"}


def _write_parquet(rows: Iterable[Row], path: str, table: str) -> int:
    pq = pyarrow_parquet()
    import pyarrow as pa

    fields = [pa.field(name, getattr(pa, _ARROW_TYPES[kind])()) for name, kind in COLUMNS[table]]
    schema = pa.schema(fields, metadata={b"schema": TABLES_SCHEMA.encode(), b"table": table})
    listed = list(rows)
    data = pa.Table.from_pylist([{f.name: r.get(f.name) for f in fields} for r in listed],
                                schema=schema)  # fmt: skip
    pq.write_table(data, Path(path))
    return len(listed)


_JSON_TYPES = {"string": "string", "integer": "integer", "number": "number", "boolean": "boolean"}


def row_schema(table: str) -> dict[str, object]:
    """The JSON Schema of one row of ``table`` (the file ``dedup/schemas/{table}-row.json``)."""
    columns = COLUMNS[table]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"dedup.{table}-row",
        "title": f"one row of the {table} table ({TABLES_SCHEMA}, dedup.report.tables)",
        "type": "object",
        "properties": {name: {"type": [_JSON_TYPES[kind], "null"]} for name, kind in columns},
        "required": [name for name, _ in columns],
        "x-column-order": [name for name, _ in columns],
    }
