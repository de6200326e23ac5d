"""What each partition holds on its worker after loading, and the tasks that read from it.

A partition's documents are featurised by the local pipeline's own ``prepare`` (the batch code
of ``dedup.features``), so keys, shingles and signatures are those of a local scan. The
documents go to the client once, without the texts it can read again from the inputs; the
features stay on the worker, and later stages ask a partition for the few rows they need
(``offers``, ``rows_for``).
"""

from __future__ import annotations

import functools

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from dedup import pipeline
from dedup.config import ScanConfig
from dedup.dask.exchange import BYTES
from dedup.dask.inputs import Loaded
from dedup.dask.rows import copy_pair_rows
from dedup.documents import DocumentStore, Source
from dedup.loading import reread
from dedup.loading.jsonl import KEPT
from dedup.model import Document, Skipped
from dedup.report import folder, tables

I64 = npt.NDArray[np.int64]
U32 = npt.NDArray[np.uint32]

_LOW64 = (1 << 64) - 1
#: What a ``ShingleStore`` row holds: each shingle's top 32 bits (sent as they are).
SHINGLE = np.dtype(np.uint32)


@attrs.frozen(eq=False)
class Prepared:
    """One partition on its worker: the load's skips, kept documents, and their features."""

    skipped: tuple[Skipped, ...]
    #: Without their texts where they can be read again (files, JSONL lines).
    documents: DocumentStore
    ids: tuple[str, ...]
    #: The local pipeline's features of the kept documents (its ``documents`` left empty).
    features: pipeline.Prepared


def id_frame(loaded: Loaded, part: int) -> pd.DataFrame:
    """Every document's id with its place in the reading order, for the duplicate-id shuffle."""
    located = [(i, item) for i, item in enumerate(loaded.items) if not isinstance(item, Skipped)]
    return pd.DataFrame({
        "id": pd.Series([item[0].id for _, item in located], dtype=object),
        "part": np.full(len(located), part, dtype=np.int64),
        "pos": np.array([i for i, _ in located], dtype=np.int64),
        "where": pd.Series([item[1] for _, item in located], dtype=object),
    })  # fmt: skip


def repeated_ids(frame: pd.DataFrame) -> pd.DataFrame:
    """After the shuffle on ``id``: each repeat's place and its reason (first seen wins)."""
    ordered = frame.sort_values(["part", "pos"], kind="stable")
    first = ordered.drop_duplicates("id").set_index("id")["where"]
    repeats = ordered[ordered.duplicated("id")]
    reasons = [
        f"duplicate id '{doc_id}' (first seen at {first[doc_id]})" for doc_id in repeats["id"]
    ]
    return pd.DataFrame({
        "part": repeats["part"].to_numpy(np.int64),
        "pos": repeats["pos"].to_numpy(np.int64),
        "reason": pd.Series(reasons, dtype=object),
    })  # fmt: skip


def prepare(loaded: Loaded, part: int, config: ScanConfig, *repeats: pd.DataFrame) -> Prepared:
    """Drop repeated ids (``repeats``: all partitions' of them), then featurise the rest."""
    reasons: dict[int, str] = {}
    for frame in repeats:
        mine = frame[frame["part"] == part]
        reasons.update(zip(mine["pos"].tolist(), mine["reason"].tolist(), strict=True))
    skipped: list[Skipped] = []
    sourced: list[tuple[Document, Source | None]] = []
    for pos, item in enumerate(loaded.items):
        if isinstance(item, Skipped):
            skipped.append(item)
        elif pos in reasons:
            skipped.append(Skipped(item[1], reasons[pos]))
        else:
            doc, _, offset = item
            # KEPT: a record or compressed line with no offset to read again from
            path = doc.path if loaded.rereadable and offset != KEPT else None
            sourced.append((doc, None if path is None else Source(path, offset)))
    store = DocumentStore(functools.partial(reread, config=config.load))
    features = pipeline.prepare(iter(sourced), store, config, jobs=1)
    kept = features.documents
    return Prepared(
        tuple(skipped), kept, tuple(kept.ids), attrs.evolve(features, documents=DocumentStore())
    )


def key_frame(part: Prepared, offset: int) -> pd.DataFrame:
    """Each document's exact-text key (128 bits as two columns), global index and id."""
    keys = part.features.keys
    return pd.DataFrame({
        "hi": np.array([key >> 64 for key in keys], dtype=np.uint64),
        "lo": np.array([key & _LOW64 for key in keys], dtype=np.uint64),
        "doc": np.arange(offset, offset + len(keys), dtype=np.int64),
        "id": pd.Series(part.ids, dtype=object),
    })  # fmt: skip


def exact_edges(frame: pd.DataFrame) -> pd.DataFrame:
    """After the shuffle on the key: (member, representative) of every group of equal texts, the
    representative being the member with the smallest id, as ``pipeline._exact_groups`` has it."""
    ordered = frame.sort_values(["hi", "lo", "id"], kind="stable")
    firsts = ~ordered.duplicated(["hi", "lo"])
    rep = ordered["doc"].where(firsts).ffill().astype(np.int64)
    rep_id = ordered["id"].where(firsts).ffill()
    members = ~firsts.to_numpy()
    return pd.DataFrame({
        "member": ordered["doc"].to_numpy(np.int64)[members],
        "rep": rep.to_numpy(np.int64)[members],
        "member_id": pd.Series(ordered["id"].to_numpy(object)[members], dtype=object),
        "rep_id": pd.Series(rep_id.to_numpy(object)[members], dtype=object),
    })  # fmt: skip


def owned(values: I64, offset: int, size: int) -> I64:
    """The values that index this partition's documents, as local row numbers."""
    mine = values[(values >= offset) & (values < offset + size)]
    return (mine - offset).astype(np.int64)


def rows_for(part: Prepared, offset: int, wanted: I64) -> tuple[I64, U32]:
    """Global indices and signature rows of the wanted documents."""
    rows = np.unique(owned(wanted, offset, len(part.ids)))
    return rows + offset, part.features.signatures[rows]


def offers(part: Prepared, offset: int, wanted: pd.DataFrame) -> pd.DataFrame:
    """The shingle sets (and ids) that candidate partitions asked this partition for
    (``wanted``: its requests, routed here), one row per document and asking partition."""
    rows = (wanted["doc"].to_numpy(np.int64) - offset).tolist()
    store = part.features.shingles
    return pd.DataFrame({
        "dest": wanted["dest"].to_numpy(np.int64),
        "doc": wanted["doc"].to_numpy(np.int64),
        "id": pd.Series([part.ids[row] for row in rows], dtype=object),
        "shingles": pd.Series([np.asarray(store[row], SHINGLE).tobytes() for row in rows],
                              dtype=BYTES),
    })  # fmt: skip


def write_loaded(part: Prepared, out: str, unit: int) -> list[tuple[str, str, int]]:
    """Write a read partition's documents and skips (``unit``: its input's place, which names
    the files so that the tables keep the input order); (table, path, rows) of each file."""
    found = [("documents", *folder.write_partition(
        tables.document_rows(part.documents), "documents", out, f"part-{unit:06d}"))]
    named = ((f"a-{unit:06d}-1", part.skipped), (f"b-{unit:06d}", part.features.dropped))
    for name, skips in named:
        if skips:
            rows = tables.skipped_rows(skips)
            found.append(("skipped", *folder.write_partition(rows, "skipped", out, name)))
    return found


def write_exact(edges: pd.DataFrame, out: str, name: str) -> tuple[str, int]:
    """Write an exact-duplicate partition's pairs."""
    members = edges["member"].tolist()
    reps = edges["rep"].tolist()
    ids = dict(zip(members, edges["member_id"].tolist(), strict=True))
    ids.update(zip(reps, edges["rep_id"].tolist(), strict=True))
    found = copy_pair_rows(ids, zip(members, reps, strict=True), [])
    return folder.write_partition(found, "pairs", out, name)
