"""A scan's result as a folder of tables: ``dedup scan --out DIR`` and ``dedup report DIR``.

Each table of ``dedup.report.tables`` is written as Parquet partitions under ``DIR/<table>/``
(by the Dask workers, or by the process that holds the result), then ``DIR/manifest.json``
(``TABLES_SCHEMA``) naming the dedup version, the scan's config and stats, who wrote the
tables, and each table's columns, partitions and row count; it is written last, so a folder
without it is no output. ``read_result`` turns the tables back into the ``ScanResult`` the
reports render. Passages (``--passages``) are not stored yet.
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs

from dedup.config import ScanConfig
from dedup.documents import DocumentStore, StoredDocument
from dedup.errors import InputError
from dedup.loading.parquet import pyarrow_parquet
from dedup.model import (
    Boilerplate,
    Containment,
    Evidence,
    EvidenceKind,
    Family,
    Lineage,
    LineageEdge,
    LineageNode,
    Pair,
    Relation,
    ReuseEvidence,
    ScanResult,
    Skipped,
)
from dedup.report.tables import ARROW_TYPES, COLUMNS, TABLES_SCHEMA, Row, result_tables

MANIFEST = "manifest.json"
#: A row as read back from a partition (Arrow's Python values).
Stored = dict[str, Any]


def table_schema(table: str) -> str:
    """The schema name of a table's rows, e.g. ``dedup.pairs/1``."""
    return f"dedup.{table}/{TABLES_SCHEMA.rsplit('/', 1)[1]}"


#: Rows per partition when one process writes a whole table.
ROWS_PER_PARTITION = 200_000


def write_result(result: ScanResult, out: str, by: str = "client") -> dict[str, Any]:
    """Write every table of an in-memory result under ``out``, then the manifest."""
    done = []
    for table, rows in result_tables(result).items():
        chunks = _chunks(rows, ROWS_PER_PARTITION)
        pieces = [write_partition(chunk, table, out, f"part-{i:05d}") for i, chunk in chunks]
        done.append(written(table, pieces or [write_partition([], table, out, "part-00000")]))
    return write_manifest(out, result.config, result.stats, done, by)


def _chunks(rows: Iterable[Row], size: int) -> Iterator[tuple[int, list[Row]]]:
    chunk: list[Row] = []
    number = 0
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield number, chunk
            number, chunk = number + 1, []
    if chunk:
        yield number, chunk


# --- files --------------------------------------------------------------------------------------


def write_partition(rows: Iterable[Row], table: str, out: str, name: str) -> tuple[str, int]:
    """Write ``rows`` of ``table`` as the Parquet file ``out/table/name.parquet``; its path
    relative to ``out`` and its row count."""
    pq = pyarrow_parquet()
    import pyarrow as pa

    listed = list(rows)
    schema = pa.schema([(name, getattr(pa, ARROW_TYPES[kind])()) for name, kind in COLUMNS[table]])
    data = {column: [row[column] for row in listed] for column in schema.names}
    relative = f"{table}/{name}.parquet"
    target = Path(out, relative)
    target.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.table(data, schema=schema), target)
    return relative, len(listed)


def read_rows(out: str, manifest: Mapping[str, Any], table: str) -> Iterator[Stored]:
    """The rows of a table, partition by partition, in the manifest's order."""

    entry = manifest["tables"].get(table)
    if entry is None:
        return
    for relative in entry["partitions"]:
        yield from _read(out, relative).to_pylist()


def _read(out: str, relative: str) -> Any:
    """One partition as an Arrow table; InputError if it cannot be read."""
    pq = pyarrow_parquet()
    try:
        return pq.read_table(Path(out, relative))
    except (OSError, ValueError) as error:
        raise InputError(f"{Path(out, relative)}: cannot read: {error}") from error


@attrs.frozen
class Written:
    """Partitions written for one table: paths relative to the output folder, and rows."""

    table: str
    partitions: tuple[str, ...]
    rows: int


def written(table: str, pieces: Iterable[tuple[str, int]]) -> Written:
    """The ``Written`` of a table from its partitions' (path, rows), in path order."""
    done = sorted(pieces)
    return Written(table, tuple(p for p, _ in done), sum(n for _, n in done))


def write_manifest(
    out: str, config: ScanConfig, stats: Mapping[str, Any], tables: Iterable[Written], by: str
) -> dict[str, Any]:
    """Write ``out/manifest.json`` last, once every partition it names is written."""
    from dedup import __version__

    manifest = {
        "schema": TABLES_SCHEMA, "dedup_version": __version__, "written_by": by,
        "config": attrs.asdict(config), "stats": dict(stats),
        "tables": {
            t.table: {"schema": table_schema(t.table), "columns": _names(t.table),
                      "partitions": list(t.partitions), "rows": t.rows}
            for t in tables
        },
    }  # fmt: skip
    text = json.dumps(manifest, indent=2, ensure_ascii=False, default=str)
    Path(out, MANIFEST).write_text(text + "\n", encoding="utf-8")
    return manifest


def _names(table: str) -> list[str]:
    return [name for name, _ in COLUMNS[table]]


def read_manifest(out: str) -> dict[str, Any]:
    """The manifest of a folder written by ``dedup scan --out``; InputError if it is not one."""
    path = Path(out, MANIFEST)
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise InputError(f"{out}: not a dedup output folder (no {MANIFEST})") from error
    except (OSError, ValueError) as error:
        raise InputError(f"{path}: cannot read: {error}") from error
    if not isinstance(manifest, dict) or manifest.get("schema") != TABLES_SCHEMA:
        raise InputError(f"{path}: not a {TABLES_SCHEMA} manifest")
    return manifest


def is_output(out: str) -> bool:
    """Whether ``out`` holds a previous ``dedup scan --out`` output (which may be replaced)."""
    try:
        read_manifest(out)
    except InputError:
        return False
    return True


def clear_output(out: str) -> None:
    """Remove a previous output's manifest and table files (nothing else in the folder)."""
    manifest = read_manifest(out)
    Path(out, MANIFEST).unlink()
    for entry in manifest["tables"].values():
        for relative in entry["partitions"]:
            Path(out, relative).unlink(missing_ok=True)
    for table in COLUMNS:
        folder = Path(out, table)
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()


def output_problem(out: str, inputs: Iterable[str]) -> str | None:
    """Why ``out`` must not receive tables, or None: it must be new, or a previous output,
    and never lie inside an input folder (nor be an input)."""
    real = os.path.realpath(out)
    for given in inputs:
        folder = os.path.realpath(given)
        inside = Path(given).is_dir() and os.path.commonpath([real, folder]) == folder
        if real == folder or inside:
            return f"{out} lies inside the input {given}; write it elsewhere"
    if Path(out).exists() and not (Path(out).is_dir() and is_output(out)):
        if Path(out).is_dir() and not any(Path(out).iterdir()):
            return None
        return f"{out} exists and is not a previous dedup output; choose a new folder"
    return None


# --- back to a result ---------------------------------------------------------------------------


def read_result(out: str, max_pairs: int | None = None) -> ScanResult:
    """The ``ScanResult`` the tables under ``out`` hold (``max_pairs``: keep only the highest
    scored pairs, for a report that shows a sample). Texts are read again from the inputs."""
    manifest = read_manifest(out)
    config = structure(ScanConfig, manifest["config"])
    return ScanResult(
        documents=_documents(out, manifest, config),
        skipped=tuple(Skipped(r["path"], r["reason"]) for r in read_rows(out, manifest, "skipped")),
        pairs=tuple(_pair(row) for row in _pair_rows(out, manifest, max_pairs)),
        families=_families(read_rows(out, manifest, "families")),
        config=config,
        stories=_families(read_rows(out, manifest, "stories")),
        lineage=_lineage(out, manifest),
        boilerplate=tuple(Boilerplate(**r) for r in read_rows(out, manifest, "boilerplate")),
        stats=manifest.get("stats", {}),
    )  # fmt: skip


def _pair_rows(out: str, manifest: Mapping[str, Any], limit: int | None) -> list[Stored]:
    """The pair rows in the scan's order, the first ``limit`` only, sorted and cut as Arrow
    columns: a sample of a large result costs no Python object per pair left out."""
    import pyarrow as pa

    pieces = [_read(out, relative) for relative in manifest["tables"]["pairs"]["partitions"]]
    if not pieces:
        return []
    table = pa.concat_tables(pieces)
    if manifest["written_by"] == "workers":
        # Partitions written apart hold copy-tier pairs only: put them in the scan's order.
        table = table.sort_by([("jaccard", "descending"), ("a", "ascending"), ("b", "ascending")])
    rows: list[Stored] = table.slice(0, limit).to_pylist()
    return rows


def _documents(out: str, manifest: Mapping[str, Any], config: ScanConfig) -> DocumentStore:

    from dedup.loading import reread

    store = DocumentStore(functools.partial(reread, config=config.load))
    for row in read_rows(out, manifest, "documents"):
        store.append_stored(StoredDocument.of_row(row, json.loads(row["metadata"])))
    return store


def _pair(row: Stored) -> Pair:
    evidence = None if row["evidence"] is None else ReuseEvidence(**json.loads(row["evidence"]))
    return Pair(
        a=row["a"], b=row["b"], relation=Relation(row["relation"]), jaccard=row["jaccard"],
        containment=Containment(row["a_in_b"], row["b_in_a"]), evidence=evidence,
    )  # fmt: skip


def _families(rows: Iterable[Stored]) -> tuple[Family, ...]:
    """Families from their member rows, in their ids' order (F1, F2, … or S1, S2, …)."""
    members: dict[str, list[str]] = {}
    scores: dict[str, tuple[float, bool]] = {}
    for row in rows:
        members.setdefault(row["family"], []).append(row["document"])
        scores[row["family"]] = (row["cohesion"], row["loose"])
    ordered = sorted(members, key=lambda name: int(name[1:]))
    return tuple(Family(name, tuple(sorted(members[name])), *scores[name]) for name in ordered)


def _lineage(out: str, manifest: Mapping[str, Any]) -> Lineage:
    nodes = tuple(LineageNode(r["id"], r["latent"], r["family"])
                  for r in read_rows(out, manifest, "lineage_nodes"))  # fmt: skip
    edges = tuple(
        LineageEdge(
            r["source"], r["target"], r["confidence"],
            tuple(Evidence(EvidenceKind(e["kind"]), e["detail"], e["weight"])
                  for e in json.loads(r["evidence"])),
            Relation(r["relation"]), r["primary"],
        )
        for r in read_rows(out, manifest, "lineage_edges")
    )  # fmt: skip
    return Lineage(nodes, edges)


def structure(cls: type[Any], data: Mapping[str, Any]) -> Any:
    """An attrs config rebuilt from ``attrs.asdict``'s output (nested configs included)."""
    attrs.resolve_types(cls)
    values = {}
    for field in attrs.fields(cls):
        if field.name not in data:
            continue
        value = data[field.name]
        if isinstance(field.type, type) and attrs.has(field.type) and isinstance(value, dict):
            value = structure(field.type, value)
        values[field.name] = value
    return cls(**values)
