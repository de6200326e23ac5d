"""Story families: cohesive groups of copy families, never chains.

Units (copy families) are linked by their ``rewrite`` and ``same-story`` pairs; within each
connected group of links, average-linkage clustering over ``rare_cover`` (0 for pairs that
share no rare word) merges two parts only while the mean cover between them stays at or above
``family_cover``. A weather widget or a template linking two different stories adds one pair,
not a family: the mean over all their members' pairs stays low, and the parts stay apart.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs
import numpy as np
import numpy.typing as npt
from scipy.cluster.hierarchy import fcluster, linkage

from dedup.cluster import UnionFind

I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]


@attrs.frozen(eq=False)
class CoverTable:
    """``rare_cover`` of unit pairs: ``values[k]`` for the pair keyed ``keys[k]`` (sorted),
    a pair ``a < b`` of ``units`` keyed ``a * units + b``."""

    keys: I64
    values: F64
    units: int

    def lookup(self, a: I64, b: I64) -> F64:
        """The cover of each pair ``(a[k], b[k])`` with ``a < b``; 0 for pairs not held."""
        wanted = a * self.units + b
        at = np.minimum(np.searchsorted(self.keys, wanted), max(self.keys.size - 1, 0))
        if not self.keys.size:
            return np.zeros(wanted.size)
        found: F64 = np.where(self.keys[at] == wanted, self.values[at], 0.0)
        return found


def story_groups(
    links: Sequence[tuple[int, int]], cover: CoverTable, floor: float
) -> list[tuple[list[int], float]]:
    """Groups of two or more units (each sorted) and each group's cohesion: the mean cover over
    its pairs of units."""
    components = UnionFind(cover.units)
    for a, b in links:
        components.union(a, b)
    members: dict[int, list[int]] = {}
    for unit in sorted({u for pair in links for u in pair}):
        members.setdefault(components.find(unit), []).append(unit)
    return [
        (group, _mean(_pair_covers(group, cover)))
        for component in members.values()
        for group in _cohesive_parts(component, cover, floor)
        if len(group) > 1
    ]


def _cohesive_parts(component: list[int], cover: CoverTable, floor: float) -> list[list[int]]:
    """The component cut where average linkage would merge parts less similar than ``floor``."""
    if len(component) == 2:
        return [component]
    similarity = np.clip(_pair_covers(component, cover), 0.0, 1.0)
    tree = linkage(1.0 - similarity, method="average")
    labels = fcluster(tree, t=1.0 - floor, criterion="distance")
    parts: dict[int, list[int]] = {}
    for unit, label in zip(component, labels.tolist(), strict=True):
        parts.setdefault(label, []).append(unit)
    return sorted(parts.values())


def _pair_covers(group: list[int], cover: CoverTable) -> F64:
    """The condensed vector (scipy's order) of the cover of every pair of the sorted group."""
    first, second = np.triu_indices(len(group), k=1)
    units = np.asarray(group, dtype=np.int64)
    return cover.lookup(units[first], units[second])


def _mean(values: F64) -> float:
    return float(values.mean()) if values.size else 1.0
