"""What each partition holds on its worker after loading, and the tasks that read from it.

A partition's documents are featurised by the local pipeline's own ``prepare`` (the batch code
of ``dedup.features``), so keys, shingles and signatures are those of a local scan. The
documents go to the client once, without the texts it can read again from the inputs; the
features stay on the worker, and later stages ask a partition for the few rows they need
(``shingles_for``, ``rows_for``).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from dedup import pipeline
from dedup.config import ScanConfig
from dedup.dask.inputs import Loaded
from dedup.documents import DocumentStore, Source
from dedup.loading import reread
from dedup.loading.jsonl import KEPT
from dedup.model import Document, Skipped

I64 = npt.NDArray[np.int64]
U64 = npt.NDArray[np.uint64]
U32 = npt.NDArray[np.uint32]

_LOW64 = (1 << 64) - 1


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
    members = ~firsts.to_numpy()
    return pd.DataFrame({
        "member": ordered["doc"].to_numpy(np.int64)[members],
        "rep": rep.to_numpy(np.int64)[members],
    })  # fmt: skip


def owned(values: I64, offset: int, size: int) -> I64:
    """The values that index this partition's documents, as local row numbers."""
    mine = values[(values >= offset) & (values < offset + size)]
    return (mine - offset).astype(np.int64)


def shingles_for(part: Prepared, offset: int, wanted: I64) -> dict[int, U64]:
    """The shingle sets of the wanted documents that this partition holds, by global index."""
    rows = np.unique(owned(wanted, offset, len(part.ids)))
    store = part.features.shingles
    return {offset + row: np.array(store[row]) for row in rows.tolist()}


def rows_for(part: Prepared, offset: int, wanted: I64) -> tuple[I64, U32]:
    """Global indices and signature rows of the wanted documents."""
    rows = np.unique(owned(wanted, offset, len(part.ids)))
    return rows + offset, part.features.signatures[rows]


def pair_ends(pairs: Sequence[pd.DataFrame]) -> I64:
    """Every document index that appears in the pair frames."""
    if not pairs:
        return np.empty(0, np.int64)
    return np.unique(np.concatenate([f[c].to_numpy(np.int64) for f in pairs for c in ("a", "b")]))
