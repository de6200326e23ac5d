"""Verified pairs → families: the connected components of the copy graph.

Chaining is bounded by construction: every edge is a verified pair, near-duplicate edges have
Jaccard ≥ the threshold ``t``, and Jaccard distance is a metric, so two documents ``k`` edges
apart still share at least ``1 - k(1 - t)`` of their shingles' union. A footer or other
boilerplate shared by many documents is a small share of each one's shingles, so it neither
reaches the LSH candidate threshold nor passes verification, and cannot glue families together.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence

import attrs
import numpy as np
import numpy.typing as npt

from dedup.model import Family

#: Members compared for cohesion; beyond this a deterministic sample (the first by id) stands in.
_COHESION_SAMPLE = 64


class UnionFind:
    """Disjoint sets over ``0..n-1`` with path halving and union by size."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))
        self.size = [1] * n

    def find(self, x: int) -> int:
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        if self.size[ra] < self.size[rb]:
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.size[ra] += self.size[rb]


def families(ids: Sequence[str], edges: Iterable[tuple[int, int]]) -> tuple[Family, ...]:
    """Every document in exactly one family; largest families first, then by first member.

    Family ids (``F1``, ``F2``, …) follow that order, so they do not depend on input order.
    """
    groups = UnionFind(len(ids))
    for a, b in edges:
        groups.union(a, b)
    members: dict[int, list[str]] = {}
    for index, doc_id in enumerate(ids):
        members.setdefault(groups.find(index), []).append(doc_id)
    ordered = sorted((tuple(sorted(m)) for m in members.values()), key=lambda m: (-len(m), m))
    return tuple(Family(id=f"F{rank}", members=m) for rank, m in enumerate(ordered, start=1))


def cohesion(signatures: npt.NDArray[np.uint32]) -> float:
    """Median estimated Jaccard over all pairs of the given signature rows (1.0 for one row)."""
    rows = signatures[:_COHESION_SAMPLE]
    if rows.shape[0] < 2:
        return 1.0
    agree = (rows[:, None, :] == rows[None, :, :]).mean(axis=2)
    upper = agree[_upper_triangle(rows.shape[0])]
    return float(np.median(upper))


@functools.lru_cache(maxsize=_COHESION_SAMPLE + 1)
def _upper_triangle(size: int) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """``np.triu_indices(size, k=1)``, kept: most families have two to six members, and
    building the indices cost more than the cohesion itself."""
    first, second = np.triu_indices(size, k=1)
    return first, second


def with_cohesion(
    found: Sequence[Family],
    row_of: dict[str, int],
    signatures: npt.NDArray[np.uint32],
    threshold: float,
) -> tuple[Family, ...]:
    """Families with their cohesion; those of three or more below ``threshold`` are ``loose``."""
    scored = []
    for family in found:
        if len(family.members) < 2:
            scored.append(family)
            continue
        value = cohesion(signatures[[row_of[m] for m in family.members]])
        # Two members cannot chain: their cohesion is just their pair's Jaccard.
        loose = len(family.members) > 2 and value < threshold
        scored.append(attrs.evolve(family, cohesion=value, loose=loose))
    return tuple(scored)
