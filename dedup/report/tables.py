"""A scan's results as tables: one row per document, skipped input, pair, family member, story
member, lineage node and edge, boilerplate passage. The one definition of their columns.

Rows are plain dicts of str, int, float, bool or None, in a fixed column order (``COLUMNS``);
the tables as a whole have a version (``TABLES_SCHEMA``): a column may be added within a
version, a column's meaning changes only with a new version. Two uses read these rows:

- ``dedup scan --pairs-out/--families-out/--documents-out FILE``: one table as JSON Lines, CSV,
  TSV or Parquet by the file's suffix (``write_table``); the JSON Schema of each row ships in
  ``dedup/schemas/`` (``pairs-row.json`` etc.);
- ``dedup scan --out DIR``: every table as Parquet partitions with a manifest, written by the
  Dask workers or the process holding the result, and read back by ``dedup report DIR``
  (``dedup.report.folder``).

Scores are exact (the JSON report rounds them); a pair's evidence, a lineage edge's evidence and
a document's metadata are JSON text.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Literal

import attrs

from dedup.documents import DocumentStore
from dedup.errors import ConfigError, OutputError
from dedup.loading.parquet import pyarrow_parquet
from dedup.loading.streams import open_write, suffixes
from dedup.model import Boilerplate, Family, Lineage, Pair, ScanResult, Skipped

#: The version of the tables' columns (and of a result folder's manifest, which names it).
TABLES_SCHEMA = "dedup.tables/1"

Value = str | int | float | bool | None
Row = dict[str, Value]
ColumnType = Literal["string", "integer", "uint64", "number", "boolean"]

_S: ColumnType = "string"
_I: ColumnType = "integer"
_U: ColumnType = "uint64"
_F: ColumnType = "number"
_B: ColumnType = "boolean"
_MEMBERS: tuple[tuple[str, ColumnType], ...] = (
    ("family", _S), ("document", _S), ("size", _I), ("cohesion", _F), ("loose", _B), ("story", _S),
)  # fmt: skip
#: Each table's columns, in order, with their types (None is allowed in every column).
COLUMNS: Mapping[str, tuple[tuple[str, ColumnType], ...]] = {
    "pairs": (
        ("a", _S), ("b", _S), ("relation", _S), ("jaccard", _F), ("a_in_b", _F), ("b_in_a", _F),
        ("family", _S), ("story", _S), ("evidence", _S),
    ),
    "families": _MEMBERS,
    "documents": (
        ("id", _S), ("path", _S), ("chars", _I), ("family", _S), ("story", _S), ("title", _S),
        ("date", _S), ("url", _S), ("metadata", _S), ("offset", _I), ("digest", _U),
        ("text", _S),
    ),
    "skipped": (("path", _S), ("reason", _S)),
    "stories": _MEMBERS,
    "lineage_nodes": (("id", _S), ("latent", _B), ("family", _S)),
    "lineage_edges": (
        ("source", _S), ("target", _S), ("confidence", _F), ("relation", _S), ("primary", _B),
        ("evidence", _S),
    ),
    "boilerplate": (("text", _S), ("documents", _I), ("example", _S)),
}  # fmt: skip

#: The table formats by suffix (after any compression suffix).
FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".tsv": "tsv",
           ".parquet": "parquet"}  # fmt: skip


# --- rows ---------------------------------------------------------------------------------------


def membership(families: Iterable[Family]) -> dict[str, str]:
    """The family (or story) id of each member."""
    return {doc: family.id for family in families for doc in family.members}


def pair_rows(
    pairs: Iterable[Pair],
    family_of: Mapping[str, str] | None = None,
    story_of: Mapping[str, str] | None = None,
) -> Iterator[Row]:
    """One row per pair: ids, relation, scores, the copy family and story both documents are
    in (None when they are in different ones, or not known), the evidence of a pair below
    copies."""
    for pair in pairs:
        evidence = None if pair.evidence is None else json.dumps(attrs.asdict(pair.evidence))
        yield {
            "a": pair.a, "b": pair.b, "relation": str(pair.relation), "jaccard": pair.jaccard,
            "a_in_b": pair.containment.a_in_b, "b_in_a": pair.containment.b_in_a,
            "family": _shared(family_of, pair.a, pair.b),
            "story": _shared(story_of, pair.a, pair.b),
            "evidence": evidence,
        }  # fmt: skip


def _shared(groups: Mapping[str, str] | None, a: str, b: str) -> str | None:
    """The group both ``a`` and ``b`` are in, else None."""
    if groups is None or groups.get(a) != groups.get(b):
        return None
    return groups.get(a)


def family_rows(
    families: Iterable[Family], story_of: Mapping[str, str] | None = None
) -> Iterator[Row]:
    """One row per member of each family (singletons too), in the families' order."""
    for family in families:
        for member in family.members:
            yield {
                "family": family.id, "document": member, "size": len(family.members),
                "cohesion": family.cohesion, "loose": family.loose,
                "story": None if story_of is None else story_of.get(member),
            }  # fmt: skip


def document_rows(
    store: DocumentStore,
    family_of: Mapping[str, str] | None = None,
    story_of: Mapping[str, str] | None = None,
) -> Iterator[Row]:
    """One row per document, in scan order: what the reports show, its family and story, and
    where its text is read again (``text`` only for a text that cannot be: read from standard
    input, a compressed file, a CSV row...)."""
    for item in store.stored():  # without reading any text again
        info = item.info
        yield {
            "id": info.id, "path": info.path, "chars": info.chars,
            "family": None if family_of is None else family_of.get(info.id),
            "story": None if story_of is None else story_of.get(info.id),
            **{key: info.metadata.get(key) for key in ("title", "date", "url")},
            "metadata": json.dumps(dict(info.metadata), ensure_ascii=False),
            "offset": item.offset, "digest": item.digest, "text": item.text,
        }  # fmt: skip


def skipped_rows(items: Iterable[Skipped]) -> Iterator[Row]:
    """One row per skipped input."""
    return ({"path": item.path, "reason": item.reason} for item in items)


def lineage_node_rows(lineage: Lineage) -> Iterator[Row]:
    """One row per node of the lineage graph."""
    return ({"id": n.id, "latent": n.latent, "family": n.family} for n in lineage.nodes)


def lineage_edge_rows(lineage: Lineage) -> Iterator[Row]:
    """One row per edge of the lineage graph (its evidence as JSON)."""
    for edge in lineage.edges:
        evidence = [{"kind": str(e.kind), "detail": e.detail, "weight": e.weight}
                    for e in edge.evidence]  # fmt: skip
        yield {
            "source": edge.source, "target": edge.target, "confidence": edge.confidence,
            "relation": str(edge.relation), "primary": edge.primary,
            "evidence": json.dumps(evidence, ensure_ascii=False),
        }  # fmt: skip


def boilerplate_rows(items: Iterable[Boilerplate]) -> Iterator[Row]:
    """One row per boilerplate passage."""
    return ({"text": b.text, "documents": b.documents, "example": b.example} for b in items)


def result_tables(result: ScanResult) -> dict[str, Iterable[Row]]:
    """Every table of an in-memory result (those of the tiers it ran)."""
    family_of, story_of = membership(result.families), membership(result.stories)
    tables: dict[str, Iterable[Row]] = {
        "documents": document_rows(DocumentStore.of(result.documents), family_of, story_of),
        "skipped": skipped_rows(result.skipped),
        "pairs": pair_rows(result.pairs, family_of, story_of),
        "families": family_rows(result.families, story_of),
    }
    if result.config.story:
        tables["stories"] = family_rows(result.stories)
        tables["boilerplate"] = boilerplate_rows(result.boilerplate)
    if result.config.lineage:
        tables["lineage_nodes"] = lineage_node_rows(result.lineage)
        tables["lineage_edges"] = lineage_edge_rows(result.lineage)
    return tables


#: The tables ``dedup scan`` writes to one file each (``--pairs-out`` etc.).
TABLES: Mapping[str, Callable[[ScanResult], Iterable[Row]]] = {
    "pairs": lambda result: result_tables(result)["pairs"],
    "families": lambda result: result_tables(result)["families"],
    "documents": lambda result: result_tables(result)["documents"],
}


# --- one table as a file -------------------------------------------------------------------


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
            shown = {c: _rounded(row.get(c)) for c in columns}
            out.write(json.dumps(shown, ensure_ascii=False) + "\n")
            count += 1
        return count
    writer = csv.writer(out, delimiter="\t" if form == "tsv" else ",", lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_csv_value(_rounded(row.get(c))) for c in columns])
        count += 1
    return count


def _rounded(value: Value) -> Value:
    """A score with the report's six decimals (a text table is read by people too; Parquet
    keeps the exact value)."""
    return round(value, 6) if isinstance(value, float) else value


def _csv_value(value: Value) -> Value:
    # CSV has no null (an empty field) and no booleans (JSON's spelling, which pandas reads).
    if value is None:
        return ""
    return ("true" if value else "false") if isinstance(value, bool) else value


#: The Arrow type of each column type.
ARROW_TYPES = {"string": "string", "integer": "int64", "uint64": "uint64", "number": "float64",
               "boolean": "bool_"}  # fmt: skip


def _write_parquet(rows: Iterable[Row], path: str, table: str) -> int:
    pq = pyarrow_parquet()
    import pyarrow as pa

    fields = [pa.field(name, getattr(pa, ARROW_TYPES[kind])()) for name, kind in COLUMNS[table]]
    schema = pa.schema(fields, metadata={b"schema": TABLES_SCHEMA.encode(), b"table": table})
    listed = list(rows)
    data = pa.Table.from_pylist([{f.name: r.get(f.name) for f in fields} for r in listed],
                                schema=schema)  # fmt: skip
    pq.write_table(data, Path(path))
    return len(listed)


_JSON_TYPES = {"string": "string", "integer": "integer", "uint64": "integer", "number": "number",
               "boolean": "boolean"}  # fmt: skip


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
