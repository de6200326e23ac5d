"""Copy families made and named on the workers, for results written as tables.

``dedup.cluster.families`` names families ``F1``, ``F2``, … largest first, then by their
members; ``with_cohesion`` scores them. Here the same, without the client holding them:

1. each partition labels its documents with their component in the copy forest (a document
   with no copy is its own component) and sends (label, id, signature) rows;
2. a shuffle on the label brings each component's members together: its size, first member,
   cohesion (``dedup.cluster.cohesion`` on the members' signatures in id order) and members;
3. a sample sort orders the components by (size descending, first member): each partition sends
   a few keys to the client, which picks one boundary per partition; the rows go to their
   range; each range's count gives its first rank, and its families are written with their ids.

Two families never share a member, so (size, first member) orders them as (size, members) does.
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Sequence

import numpy as np
import pandas as pd

from dedup.cluster import cohesion
from dedup.dask import graph
from dedup.dask.exchange import BYTES
from dedup.dask.parts import Prepared
from dedup.dask.rows import ranked_family_rows
from dedup.report.folder import write_partition

COMPONENT_META = pd.DataFrame({
    "label": np.empty(0, np.int64), "id": pd.Series([], dtype=object),
    "signature": pd.Series([], dtype=BYTES),
})  # fmt: skip
SUMMARY_META = pd.DataFrame({
    "key": pd.Series([], dtype=object), "size": np.empty(0, np.int64),
    "cohesion": np.empty(0, np.float64), "loose": np.empty(0, bool),
    "members": pd.Series([], dtype=object),
})  # fmt: skip
RANGE_META = SUMMARY_META.assign(range=np.empty(0, np.int64))
#: Keys each partition offers the client for the boundaries of the sort.
SAMPLE = 64
#: A family's size as a fixed-width complement, so that keys sort largest first.
_SIZE_DIGITS = 12


def component_rows(part: Prepared, offset: int, found: graph.Forest) -> pd.DataFrame:
    """Each document's component label and id, with its signature when it has copies."""
    docs = np.arange(offset, offset + len(part.ids), dtype=np.int64)
    labels = graph.labels(found, docs)
    copied = np.isin(docs, found[0])
    signatures = part.features.signatures
    blobs = [signatures[row].tobytes() if copied[row] else b"" for row in range(docs.size)]
    return pd.DataFrame({
        "label": labels.astype(np.int64), "id": pd.Series(part.ids, dtype=object),
        "signature": pd.Series(blobs, dtype=BYTES),
    })  # fmt: skip


def summaries(frame: pd.DataFrame, threshold: float) -> pd.DataFrame:
    """After the shuffle on the label: one row per component, as ``with_cohesion`` scores it."""
    groups: dict[int, list[tuple[str, bytes]]] = {}
    columns = (frame["label"].tolist(), frame["id"].tolist(), frame["signature"].tolist())
    for label, doc_id, blob in zip(*columns, strict=True):
        groups.setdefault(label, []).append((doc_id, blob))
    rows = [_summary(sorted(members), threshold) for members in groups.values()]
    return pd.DataFrame({
        "key": pd.Series([r[0] for r in rows], dtype=object),
        "size": np.array([r[1] for r in rows], dtype=np.int64),
        "cohesion": np.array([r[2] for r in rows], dtype=np.float64),
        "loose": np.array([r[3] for r in rows], dtype=bool),
        "members": pd.Series([r[4] for r in rows], dtype=object),
    })  # fmt: skip


def _summary(
    members: list[tuple[str, bytes]], threshold: float
) -> tuple[str, int, float, bool, str]:
    ids = [doc_id for doc_id, _ in members]
    value, loose = 1.0, False
    if len(ids) > 1:
        value = cohesion(np.stack([np.frombuffer(blob, np.uint32) for _, blob in members]))
        # As with_cohesion: two members cannot chain.
        loose = len(ids) > 2 and value < threshold
    key = f"{10**_SIZE_DIGITS - len(ids):0{_SIZE_DIGITS}d}{ids[0]}"
    return key, len(ids), value, loose, json.dumps(ids, ensure_ascii=False)


def key_sample(frame: pd.DataFrame) -> list[str]:
    """Up to ``SAMPLE`` keys of a partition, evenly spread over its sorted keys."""
    keys = sorted(frame["key"].tolist())
    if len(keys) <= SAMPLE:
        return keys
    step = len(keys) / SAMPLE
    return [keys[int(i * step)] for i in range(SAMPLE)]


def boundaries(samples: Sequence[Sequence[str]], ranges: int) -> list[str]:
    """``ranges - 1`` keys that cut the sampled keys into ``ranges`` ranges of similar size."""
    keys = sorted(key for sample in samples for key in sample)
    if not keys:
        return []
    return [keys[len(keys) * i // ranges] for i in range(1, ranges)]


def placed(frame: pd.DataFrame, cuts: Sequence[str]) -> pd.DataFrame:
    """Each component row with the range its key falls in."""
    where = [bisect.bisect_right(cuts, key) for key in frame["key"].tolist()]
    return frame.assign(range=np.array(where, dtype=np.int64))


def write_range(frame: pd.DataFrame, first: int, out: str, name: str) -> tuple[str, int]:
    """Write one range's families, ranked from ``first`` (the families before this range)."""
    ordered = frame.sort_values("key")
    columns = (ordered["size"].tolist(), ordered["cohesion"].tolist(),
               ordered["loose"].tolist(), ordered["members"].tolist())  # fmt: skip
    families = [(size, value, bool(loose), json.loads(members))
                for size, value, loose, members in zip(*columns, strict=True)]  # fmt: skip
    return write_partition(ranked_family_rows(families, first), "families", out, name)
