"""Choosing bands and rows for a Jaccard threshold.

A pair with Jaccard ``s`` becomes a candidate with probability ``1 - (1 - s**r)**b``. The optimum
minimises the weighted area of false positives (below the threshold) and false negatives (above
it), as in Leskovec, Rajaraman & Ullman, *Mining of Massive Datasets*, ch. 3, and datasketch's
``MinHashLSH``; the integrals are computed here with numpy on a fine grid.
"""

from __future__ import annotations

import functools

import numpy as np

from dedup.config import LshParams
from dedup.errors import ConfigError

_GRID = 1001


def candidate_probability(similarity: float, bands: int, rows: int) -> float:
    """Probability that a pair of Jaccard ``similarity`` shares at least one band."""
    return float(1.0 - (1.0 - similarity**rows) ** bands)


@functools.lru_cache(maxsize=64)
def optimal_bands(
    threshold: float, num_perm: int, fp_weight: float = 0.5, fn_weight: float = 0.5
) -> tuple[int, int]:
    """The ``(bands, rows)`` with ``bands·rows ≤ num_perm`` that minimise the weighted error."""
    below = np.linspace(0.0, threshold, _GRID)
    above = np.linspace(threshold, 1.0, _GRID)
    best, best_error = (1, 1), float("inf")
    for bands in range(1, num_perm + 1):
        for rows in range(1, num_perm // bands + 1):
            fp = np.trapezoid(1.0 - (1.0 - below**rows) ** bands, below)
            fn = np.trapezoid((1.0 - above**rows) ** bands, above)
            error = fp * fp_weight + fn * fn_weight
            if error < best_error:
                best, best_error = (bands, rows), float(error)
    return best


def resolve_bands(params: LshParams, num_perm: int) -> tuple[int, int]:
    """The bands and rows to use: the explicit pair when given, else the optimum."""
    if params.bands is None and params.rows is None:
        return optimal_bands(params.threshold, num_perm)
    if params.bands is None or params.rows is None:
        raise ConfigError("give both bands and rows, or neither")
    if params.bands * params.rows > num_perm:
        raise ConfigError(
            f"bands × rows = {params.bands * params.rows} exceeds num_perm = {num_perm}"
        )
    return params.bands, params.rows
