"""Rows of the result tables (``dedup.report.tables``) as the Dask workers make them: copy
pairs from global document indices, families ranked by a sort across partitions."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence

from dedup.model import Relation
from dedup.pipeline import ordered_pairs
from dedup.report.tables import Row, pair_rows
from dedup.verify import Overlap


def ranked_family_rows(
    families: Iterable[tuple[int, float, bool, Sequence[str]]], first: int
) -> Iterator[Row]:
    """Rows of families given as (size, cohesion, loose, members) in rank order, the first
    named ``F{first + 1}`` (families made apart, ranked by a sort across partitions)."""
    for rank, (size, value, loose, members) in enumerate(families, first + 1):
        for member in members:
            yield {"family": f"F{rank}", "document": member, "size": size,
                   "cohesion": value, "loose": loose, "story": None}  # fmt: skip


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
