"""One-permutation hashing (OPH) with optimal densification: MinHash at one hash per shingle.

Classic MinHash applies ``k`` permutations to every shingle (``k`` multiply-adds each). OPH
(Li, Owen & Zhang, 2012) hashes each shingle once with a seeded 64-bit mix: the high 32 bits
choose one of ``k`` bins, the low 32 bits are its value, and each bin keeps its minimum. Two
sets agree on a non-empty bin with probability equal to their Jaccard similarity, as a classic
MinHash value does.

A bin that no shingle fell into (a set smaller than a few times ``k`` leaves some) is filled by
*optimal densification* (Shrivastava, ICML 2017): empty bin ``i`` probes bins
``p(i, 1), p(i, 2), …``, a fixed pseudo-random sequence that depends on ``i`` and the seed
only, and copies the value of the first bin that is not empty. Because every set probes the same
sequence, two sets agree on a densified bin with probability equal to their Jaccard similarity
too, and the estimator's variance stays close to classic MinHash's.

The price: a set of a few shingles is sketched coarsely. Its few values are copied into every
bin, so when two of its shingles fall into one bin, the loser is absent from the whole
signature and the estimate moves by a large step (classic MinHash would lose it in only some
permutations). Verification is exact either way; it only changes which tiny texts become
candidates. From a few dozen shingles on, the estimate is as good as classic MinHash's.

Every step is array arithmetic over a batch of documents; the result of a document does not
depend on the batch it is in. An empty set gets the all-``2**32-1`` signature.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from dedup.shingling import splitmix64

U32 = npt.NDArray[np.uint32]
U64 = npt.NDArray[np.uint64]
I64 = npt.NDArray[np.int64]

EMPTY_VALUE = np.uint32(2**32 - 1)
_LOW32 = np.uint64(0xFFFFFFFF)
_SEED_MIX = np.uint64(0x9E3779B97F4A7C15)
_PROBE_MIX = np.uint64(0xD1B54A32D192ED03)


def _seed_key(seed: int, salt: np.uint64) -> np.uint64:
    return np.uint64(splitmix64(np.array([seed], dtype=np.uint64) * _SEED_MIX + salt)[0])


def _bin_of(hashes: U64, bins: int) -> U64:
    """Range reduction of the high 32 bits to ``[0, bins)`` by multiply-shift (no division)."""
    return ((hashes >> np.uint64(32)) * np.uint64(bins)) >> np.uint64(32)


def sketch_flat(values: U64, offsets: I64, num_perm: int, seed: int) -> U32:
    """OPH signatures of the sets ``values[offsets[d]:offsets[d + 1]]``, one row per set."""
    docs = offsets.size - 1
    out = np.full(docs * num_perm, EMPTY_VALUE, dtype=np.uint32)
    if values.size:
        doc_of = np.repeat(np.arange(docs, dtype=np.int64), np.diff(offsets))
        hashes = splitmix64(values ^ _seed_key(seed, np.uint64(0)))
        cells = doc_of * num_perm + _bin_of(hashes, num_perm).astype(np.int64)
        np.minimum.at(out, cells, (hashes & _LOW32).astype(np.uint32))
        filled = np.zeros(docs * num_perm, dtype=bool)
        filled[cells] = True
        _densify(out, filled, num_perm, seed)
    return out.reshape(docs, num_perm)


def _densify(out: U32, filled: npt.NDArray[np.bool_], num_perm: int, seed: int) -> None:
    """Fill each empty bin of a non-empty set from the first filled bin of its probe sequence.

    Only originally filled bins are copied from, so the order of filling does not matter.
    """
    rows = filled.reshape(-1, num_perm)
    has_any = rows.any(axis=1)
    empty = np.flatnonzero(~rows[has_any].ravel())
    if empty.size == 0:
        return
    # Map cells of the non-empty rows back to cells of the whole matrix.
    row_index = np.flatnonzero(has_any)
    cells = row_index[empty // num_perm] * num_perm + empty % num_perm
    key = _seed_key(seed, _PROBE_MIX)
    attempt, step = 1, _FIRST_PROBES
    while cells.size:
        bins = cells % num_perm
        # The next ``step`` probes of every cell at once: the first that hits a filled bin is
        # the one a probe at a time would reach. A set of a few shingles needs hundreds of
        # probes per empty bin, so the step doubles.
        tries = np.arange(attempt, attempt + step, dtype=np.uint64)
        sources = (cells - bins)[:, None] + _probe(bins[:, None], tries[None, :], key, num_perm)
        hits = filled[sources]
        found = hits.any(axis=1)
        first = hits[found].argmax(axis=1)
        out[cells[found]] = out[sources[found, first]]
        cells = cells[~found]
        attempt, step = attempt + step, min(2 * step, _MAX_PROBES)


#: Probes tried per empty bin in the first step, and at most in later ones.
_FIRST_PROBES = 4
_MAX_PROBES = 256


def _probe(bins: I64, attempt: U64, key: np.uint64, num_perm: int) -> I64:
    """The ``attempt``-th bin that empty bin ``bins`` borrows from, the same for every set
    (``bins`` and ``attempt`` broadcast)."""
    mixed = splitmix64((bins.astype(np.uint64) << np.uint64(32)) ^ attempt ^ key)
    return _bin_of(mixed, num_perm).astype(np.int64)
