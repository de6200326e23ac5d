"""Partition-wise steps of the copy graph: band keys, bucket pairs, verification, components.

Each function runs on one partition (a pandas frame after a Dask shuffle, or a worker's
partition); together they give what ``MemoryLsh``, ``verify_pairs`` and ``families`` give on one
machine, with the same helpers: ``band_keys`` and ``bucket_pairs`` of ``dedup.lsh.memory``,
``verify_pairs`` of ``dedup.verify``, ``UnionFind`` of ``dedup.cluster``.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from dedup.cluster import UnionFind
from dedup.config import ScanConfig
from dedup.dask.exchange import BYTES
from dedup.dask.parts import SHINGLE, Prepared, owned
from dedup.dask.rows import copy_pair_rows
from dedup.lsh.memory import band_keys, bucket_pairs, unique_pairs
from dedup.model import Relation
from dedup.report import folder
from dedup.verify import Hashes, Overlap, verify_pairs

I64 = npt.NDArray[np.int64]
Verified = list[tuple[int, int, Relation, Overlap]]
#: Documents linked by copy edges: each node with its component's label (a member's index).
Forest = tuple[I64, I64]

BAND_META = pd.DataFrame({
    "band": np.empty(0, np.uint16), "key": np.empty(0, np.uint64), "doc": np.empty(0, np.int64),
})  # fmt: skip
PAIR_META = pd.DataFrame({"a": np.empty(0, np.int64), "b": np.empty(0, np.int64)})


def band_frame(
    part: Prepared,
    offset: int,
    shape: tuple[int, int],
    *exact: pd.DataFrame,
) -> pd.DataFrame:
    """One row per band of each representative (``exact``: all exact-duplicate edges; their
    members are left out, as the local LSH indexes representatives only)."""
    bands, rows = shape
    size = len(part.ids)
    members = [owned(frame["member"].to_numpy(np.int64), offset, size) for frame in exact]
    keep = np.ones(size, dtype=bool)
    for local in members:
        keep[local] = False
    local_rows = np.flatnonzero(keep)
    keys = band_keys(part.features.signatures[local_rows], bands, rows)
    return pd.DataFrame({
        "band": np.repeat(np.arange(bands, dtype=np.uint16)[None, :], len(local_rows), 0).ravel(),
        "key": keys.ravel(),
        "doc": np.repeat(local_rows + offset, bands).astype(np.int64),
    })  # fmt: skip


def bucket_candidates(frame: pd.DataFrame, max_bucket_pairs: int) -> pd.DataFrame:
    """After the shuffle on the key: each band's bucket pairs, as ``MemoryLsh`` makes them.

    Rows are put in document order first, so the stable sort inside ``bucket_pairs`` pairs each
    member of a large bucket with the same next members as the local index does.
    """
    found = [np.empty((0, 2), np.int64)]
    ordered = frame.sort_values(["band", "doc"], kind="stable")
    bands = ordered["band"].to_numpy()
    docs = ordered["doc"].to_numpy(np.int64)
    keys = ordered["key"].to_numpy(np.uint64)
    edges = np.flatnonzero(np.r_[True, bands[1:] != bands[:-1], True])
    for start, stop in zip(edges[:-1].tolist(), edges[1:].tolist(), strict=True):
        pairs = bucket_pairs(keys[start:stop], max_bucket_pairs)
        found.append(docs[start:stop][pairs])
    return _pair_frame(np.concatenate(found))


def distinct_pairs(frame: pd.DataFrame) -> pd.DataFrame:
    """After the shuffle on ``a``: each candidate once, sorted, as the local index gives them."""
    return _pair_frame(unique_pairs(frame[["a", "b"]].to_numpy(np.int64)))


def _pair_frame(pairs: I64) -> pd.DataFrame:
    pairs = pairs.reshape(-1, 2)
    return pd.DataFrame({"a": pairs[:, 0].copy(), "b": pairs[:, 1].copy()})


def verify(pairs: pd.DataFrame, config: ScanConfig, sets: Mapping[int, Hashes]) -> Verified:
    """The candidates that hold up on their shingle sets (``sets``: those of the documents in
    these pairs, by global index)."""
    return verify_pairs(
        pairs[["a", "b"]].to_numpy(np.int64), sets, config.threshold,
        config.containment_threshold, config.min_jaccard,
    )  # fmt: skip


def edge_array(edges: pd.DataFrame | Checked) -> I64:
    """Copy edges as an ``(n, 2)`` array: exact (member, representative) or verified pairs."""
    if isinstance(edges, pd.DataFrame):
        exact: I64 = edges[["member", "rep"]].to_numpy(np.int64).reshape(-1, 2)
        return exact
    return np.array([(i, j) for i, j, _, _ in edges.verified], dtype=np.int64).reshape(-1, 2)


def forest(*parts: I64 | Forest) -> Forest:
    """The components of the edges given, as (node, label): a union-find over the nodes that
    have an edge. Forests are edge lists too (node → label), so merging two is a call of this."""
    blocks = [np.stack(p, axis=1) if isinstance(p, tuple) else p for p in parts]
    edges = np.concatenate([np.empty((0, 2), np.int64), *blocks]).astype(np.int64)
    nodes, inverse = np.unique(edges, return_inverse=True)
    inverse = inverse.reshape(-1, 2)
    groups = UnionFind(nodes.size)
    for a, b in inverse.tolist():
        groups.union(a, b)
    roots = np.array([groups.find(i) for i in range(nodes.size)], dtype=np.int64)
    return nodes.astype(np.int64), nodes[roots].astype(np.int64) if nodes.size else nodes


def labels(found: Forest, docs: I64) -> I64:
    """Each document's component label (itself when it has no copy edge)."""
    nodes, roots = found
    where = np.searchsorted(nodes, docs)
    where[where == nodes.size] = 0
    hit = nodes[where] == docs if nodes.size else np.zeros(docs.size, dtype=bool)
    return np.where(hit, roots[where] if nodes.size else docs, docs)


#: A request for a document's shingle set: its partition, the document, the candidate
#: partition that needs it.
REQUEST_META = pd.DataFrame({
    "owner": np.empty(0, np.int64), "doc": np.empty(0, np.int64), "dest": np.empty(0, np.int64),
})  # fmt: skip
#: A document's id and shingle set (its ``ShingleStore`` row's bytes) on their way to a
#: candidate partition.
OFFER_META = pd.DataFrame({
    "dest": np.empty(0, np.int64), "doc": np.empty(0, np.int64),
    "id": pd.Series([], dtype=object), "shingles": pd.Series([], dtype=BYTES),
})  # fmt: skip


def requests(pairs: pd.DataFrame, starts: I64, dest: int) -> pd.DataFrame:
    """The documents of candidate partition ``dest``, each once, with the partition that holds
    it (``starts``: each feature partition's first global index)."""
    docs = np.unique(pairs[["a", "b"]].to_numpy(np.int64).ravel())
    owner = np.searchsorted(starts, docs, side="right") - 1
    return pd.DataFrame({
        "owner": owner.astype(np.int64), "doc": docs, "dest": np.full(docs.size, dest, np.int64),
    })  # fmt: skip


@attrs.frozen(eq=False)
class Checked:
    """A candidate partition verified: the pairs that hold up, and the ids of its documents."""

    verified: Verified
    ids: dict[int, str]


def verify_routed(pairs: pd.DataFrame, offered: pd.DataFrame, config: ScanConfig) -> Checked:
    """``verify`` on the shingle sets routed to this candidate partition."""
    docs = offered["doc"].tolist()
    sets = {
        int(doc): np.frombuffer(blob, dtype=SHINGLE)
        for doc, blob in zip(docs, offered["shingles"].tolist(), strict=True)
    }
    ids = dict(zip(docs, offered["id"].tolist(), strict=True))
    return Checked(verify(pairs, config, sets), ids)


def write_verified(checked: Checked, out: str, name: str) -> tuple[str, int]:
    """Write a verified candidate partition's pairs."""
    found = copy_pair_rows(checked.ids, [], checked.verified)
    return folder.write_partition(found, "pairs", out, name)
