"""A scan's result as tables: rows as plain dicts in a fixed column order, and the files.

``dedup scan --out DIR`` writes each table as Parquet partitions under ``DIR/<table>/`` (by the
Dask workers, or by the process that holds the result) and a small ``DIR/manifest.json`` naming
the schema version of every table, its columns, partitions and row count. ``read_result`` turns
the tables back into the ``ScanResult`` that the reports render (``dedup report DIR``).

Pairs and families are tables of plain values: a pair's evidence and a lineage edge's evidence
are JSON text, a document's metadata too. Passages (``--passages``) are not stored yet.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from dedup.config import ScanConfig
from dedup.documents import DocumentStore, StoredDocument
from dedup.errors import InputError
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
from dedup.pipeline import ordered_pairs
from dedup.verify import Overlap

#: The manifest's own format; each table's rows have a schema of their own (``TABLES``).
MANIFEST_SCHEMA = "dedup.tables/1"
MANIFEST = "manifest.json"
TABLE_SCHEMA_VERSION = 1
Row = dict[str, Any]

_S, _I, _U, _F, _B = "string", "int64", "uint64", "float64", "bool"
_FAMILY = (("family", _S), ("member", _S), ("size", _I), ("cohesion", _F), ("loose", _B))
#: Every table's columns, in order, with their Arrow types.
COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "documents": (("id", _S), ("path", _S), ("chars", _I), ("metadata", _S), ("offset", _I),
                  ("digest", _U), ("text", _S)),
    "skipped": (("path", _S), ("reason", _S)),
    "pairs": (("a", _S), ("b", _S), ("relation", _S), ("jaccard", _F), ("a_in_b", _F),
              ("b_in_a", _F), ("evidence", _S)),
    "families": _FAMILY,
    "stories": _FAMILY,
    "lineage_nodes": (("id", _S), ("latent", _B), ("family", _S)),
    "lineage_edges": (("source", _S), ("target", _S), ("confidence", _F), ("relation", _S),
                      ("primary", _B), ("evidence", _S)),
    "boilerplate": (("text", _S), ("documents", _I), ("example", _S)),
}  # fmt: skip
TABLES: dict[str, tuple[str, ...]] = {
    table: tuple(name for name, _ in columns) for table, columns in COLUMNS.items()
}


def table_schema(table: str) -> str:
    """The schema name of a table's rows, e.g. ``dedup.pairs/1``."""
    return f"dedup.{table}/{TABLE_SCHEMA_VERSION}"


# --- rows ---------------------------------------------------------------------------------------


def document_rows(store: DocumentStore) -> Iterator[Row]:
    """One row per document: what the reports show, and where its text is read again."""
    for item in store.stored():
        info = item.info
        yield {
            "id": info.id, "path": info.path, "chars": info.chars,
            "metadata": json.dumps(dict(info.metadata), ensure_ascii=False),
            "offset": item.offset, "digest": item.digest, "text": item.text,
        }  # fmt: skip


def skipped_rows(items: Iterable[Skipped]) -> Iterator[Row]:
    """One row per skipped input."""
    return ({"path": item.path, "reason": item.reason} for item in items)


def pair_rows(pairs: Iterable[Pair]) -> Iterator[Row]:
    """One row per pair (the evidence of a pair below copies as JSON)."""
    for pair in pairs:
        evidence = None if pair.evidence is None else json.dumps(attrs.asdict(pair.evidence))
        yield {
            "a": pair.a, "b": pair.b, "relation": str(pair.relation), "jaccard": pair.jaccard,
            "a_in_b": pair.containment.a_in_b, "b_in_a": pair.containment.b_in_a,
            "evidence": evidence,
        }  # fmt: skip


def family_rows(families: Iterable[Family]) -> Iterator[Row]:
    """One row per member of each family (a singleton family is one row)."""
    for family in families:
        for member in family.members:
            yield {
                "family": family.id, "member": member, "size": len(family.members),
                "cohesion": family.cohesion, "loose": family.loose,
            }  # fmt: skip


def ranked_family_rows(
    families: Iterable[tuple[int, float, bool, Sequence[str]]], first: int
) -> Iterator[Row]:
    """Rows of families given as (size, cohesion, loose, members) in rank order, the first
    named ``F{first + 1}`` (families made apart, ranked by a sort across partitions)."""
    for rank, (size, value, loose, members) in enumerate(families, first + 1):
        for member in members:
            yield {"family": f"F{rank}", "member": member, "size": size,
                   "cohesion": value, "loose": loose}  # fmt: skip


def copy_pair_rows(
    ids: Mapping[int, str],
    exact: Iterable[tuple[int, int]],
    verified: Iterable[tuple[int, int, Relation, Overlap]],
) -> Iterator[Row]:
    """Rows of copy-tier pairs given by global document index (``ids``: their ids), made by
    the local pipeline's ``ordered_pairs``."""
    known = sorted(ids)
    local = {doc: at for at, doc in enumerate(known)}
    names = [ids[doc] for doc in known]
    pairs = ordered_pairs(
        names, [(local[m], local[r]) for m, r in exact],
        [(local[a], local[b], relation, score) for a, b, relation, score in verified],
    )  # fmt: skip
    return pair_rows(pairs)


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
    """Every table of an in-memory result (a scan run on one process, or gathered)."""
    tables: dict[str, Iterable[Row]] = {
        "documents": document_rows(DocumentStore.of(result.documents)),
        "skipped": skipped_rows(result.skipped),
        "pairs": pair_rows(result.pairs),
        "families": family_rows(result.families),
    }
    if result.config.story:
        tables["stories"] = family_rows(result.stories)
        tables["boilerplate"] = boilerplate_rows(result.boilerplate)
    if result.config.lineage:
        tables["lineage_nodes"] = lineage_node_rows(result.lineage)
        tables["lineage_edges"] = lineage_edge_rows(result.lineage)
    return tables


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
    import pyarrow as pa
    import pyarrow.parquet as pq

    listed = list(rows)
    schema = pa.schema([(column, kind) for column, kind in COLUMNS[table]])
    data = {column: [row[column] for row in listed] for column in schema.names}
    relative = f"{table}/{name}.parquet"
    target = Path(out, relative)
    target.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.table(data, schema=schema), target)
    return relative, len(listed)


def read_rows(out: str, manifest: Mapping[str, Any], table: str) -> Iterator[Row]:
    """The rows of a table, partition by partition, in the manifest's order."""

    entry = manifest["tables"].get(table)
    if entry is None:
        return
    for relative in entry["partitions"]:
        yield from _read(out, relative).to_pylist()


def _read(out: str, relative: str) -> Any:
    """One partition as an Arrow table; InputError if it cannot be read."""
    import pyarrow.parquet as pq

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
        "schema": MANIFEST_SCHEMA, "dedup_version": __version__, "written_by": by,
        "config": attrs.asdict(config), "stats": dict(stats),
        "tables": {
            t.table: {"schema": table_schema(t.table), "columns": list(TABLES[t.table]),
                      "partitions": list(t.partitions), "rows": t.rows}
            for t in tables
        },
    }  # fmt: skip
    text = json.dumps(manifest, indent=2, ensure_ascii=False, default=str)
    Path(out, MANIFEST).write_text(text + "\n", encoding="utf-8")
    return manifest


def read_manifest(out: str) -> dict[str, Any]:
    """The manifest of a folder written by ``dedup scan --out``; InputError if it is not one."""
    path = Path(out, MANIFEST)
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise InputError(f"{out}: not a dedup output folder (no {MANIFEST})") from error
    except (OSError, ValueError) as error:
        raise InputError(f"{path}: cannot read: {error}") from error
    if not isinstance(manifest, dict) or manifest.get("schema") != MANIFEST_SCHEMA:
        raise InputError(f"{path}: not a {MANIFEST_SCHEMA} manifest")
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
    for table in TABLES:
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


def _pair_rows(out: str, manifest: Mapping[str, Any], limit: int | None) -> list[Row]:
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
    rows: list[Row] = table.slice(0, limit).to_pylist()
    return rows


def _documents(out: str, manifest: Mapping[str, Any], config: ScanConfig) -> DocumentStore:
    import functools

    from dedup.loading import reread

    store = DocumentStore(functools.partial(reread, config=config.load))
    for row in read_rows(out, manifest, "documents"):
        store.append_stored(StoredDocument.of_row(row, json.loads(row["metadata"])))
    return store


def _pair(row: Row) -> Pair:
    evidence = None if row["evidence"] is None else ReuseEvidence(**json.loads(row["evidence"]))
    return Pair(
        a=row["a"], b=row["b"], relation=Relation(row["relation"]), jaccard=row["jaccard"],
        containment=Containment(row["a_in_b"], row["b_in_a"]), evidence=evidence,
    )  # fmt: skip


def _families(rows: Iterable[Row]) -> tuple[Family, ...]:
    """Families from their member rows, in their ids' order (F1, F2, … or S1, S2, …)."""
    members: dict[str, list[str]] = {}
    scores: dict[str, tuple[float, bool]] = {}
    for row in rows:
        members.setdefault(row["family"], []).append(row["member"])
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
