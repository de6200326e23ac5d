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
    for rows in range(1, num_perm + 1):
        # Every band count for these rows at once (a row of the grid each): the integrals are
        # the same numbers as one at a time, and the first optimum in (bands, rows) order wins.
        bands = np.arange(1, num_perm // rows + 1)[:, None]
        fp = _trapezoid(1.0 - (1.0 - below**rows) ** bands, below)
        fn = _trapezoid((1.0 - above**rows) ** bands, above)
        errors = np.asarray(fp * fp_weight + fn * fn_weight, dtype=np.float64)
        index = int(np.argmin(errors))
        error = float(errors[index])
        candidate = (index + 1, rows)
        if error < best_error or (error == best_error and candidate < best):
            best, best_error = candidate, error
    return best


def _trapezoid(y: np.ndarray, x: np.ndarray) -> np.ndarray:
    """The trapezoid rule along the last axis, as ``np.trapezoid(y, x, axis=-1)`` computes it.

    Written out because ``np.trapezoid`` exists only from NumPy 2.0 (1.x calls it ``trapz``,
    which 2.x deprecates) and the declared minimum is NumPy 1.26.
    """
    return np.asarray((np.diff(x) * (y[..., 1:] + y[..., :-1]) / 2.0).sum(axis=-1))


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
