"""The in-memory LSH index: band keys as arrays, candidates by sorting, no Python per document."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from dedup.config import LshParams
from dedup.errors import ParameterMismatchError
from dedup.lsh.params import resolve_bands
from dedup.shingling import splitmix64

U32 = npt.NDArray[np.uint32]
U64 = npt.NDArray[np.uint64]
Pairs = npt.NDArray[np.int64]

_ROW_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)


def band_keys(signatures: U32, bands: int, rows: int) -> U64:
    """A 64-bit key per document and band, shape ``(n, bands)``.

    Keys of equal band values are equal; a rare collision of unequal bands only adds a
    candidate, which verification then rejects.
    """
    keys = np.empty((signatures.shape[0], bands), dtype=np.uint64)
    # A chunk of signatures at a time bounds the temporaries (several (chunk, bands) arrays).
    for start in range(0, signatures.shape[0], _KEY_CHUNK):
        chunk = signatures[start : start + _KEY_CHUNK]
        acc = np.broadcast_to(np.arange(bands, dtype=np.uint64), (chunk.shape[0], bands))
        # Row r of every band at once: the same arithmetic per key as band by band, in a few
        # array operations instead of a few per signature column.
        for row in range(rows):
            column = chunk[:, row : bands * rows : rows].astype(np.uint64)
            acc = splitmix64((acc * _ROW_MULTIPLIER) ^ column)
        keys[start : start + chunk.shape[0]] = acc
    return keys


#: Signatures whose band keys are computed together.
_KEY_CHUNK = 1 << 15


def bucket_pairs(keys: U64, max_pairs_per_member: int) -> Pairs:
    """Index pairs ``(i, j)``, ``i < j``, of documents that share a key in one band.

    Within a bucket each member is paired with its next ``max_pairs_per_member`` members in
    index order, so a bucket of size ``m`` costs ``O(m · max_pairs_per_member)``, not ``m²``;
    pairs in a small bucket are all produced.
    """
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    n = sorted_keys.size
    found: list[Pairs] = []
    starts = np.flatnonzero(sorted_keys[:-1] == sorted_keys[1:]) if n > 1 else np.empty(0, np.intp)
    distance = 1
    while starts.size and distance <= max_pairs_per_member:
        found.append(np.stack((order[starts], order[starts + distance]), axis=1).astype(np.int64))
        distance += 1
        starts = starts[starts + distance < n]
        starts = starts[sorted_keys[starts] == sorted_keys[starts + distance]]
    if not found:
        return np.empty((0, 2), dtype=np.int64)
    return np.concatenate(found)


def unique_pairs(pairs: Pairs) -> Pairs:
    """Pairs ordered ``(low, high)``, deduplicated and sorted."""
    if pairs.size == 0:
        return np.empty((0, 2), dtype=np.int64)
    codes = np.unique(_pair_codes(pairs))
    return np.stack((codes >> 32, codes & 0xFFFFFFFF), axis=1).astype(np.int64)


class _PairSet:
    """Candidate pairs of many bands, deduplicated as they come.

    Near-duplicates share most of their bands, so the bands' pair lists repeat each pair many
    times (37 bands at the default threshold): merging every few bands keeps memory near the
    distinct pairs' size instead of the sum over bands.
    """

    def __init__(self) -> None:
        self._distinct = np.empty(0, dtype=np.int64)
        self._pending: list[npt.NDArray[np.int64]] = []
        self._pending_size = 0

    def add(self, pairs: Pairs) -> None:
        codes = _pair_codes(pairs)
        self._pending.append(codes)
        self._pending_size += codes.size
        if self._pending_size > max(self._distinct.size, 1 << 20):
            self._merge()

    def pairs(self) -> Pairs:
        self._merge()
        codes = self._distinct
        return np.stack((codes >> 32, codes & 0xFFFFFFFF), axis=1).astype(np.int64)

    def _merge(self) -> None:
        pending = np.concatenate(self._pending) if self._pending else self._distinct[:0]
        pending.sort()
        merged = np.concatenate([self._distinct, pending])
        # Two sorted runs: the stable sort (timsort) merges them in one linear pass, where
        # np.unique would sort the whole again (at 1M documents, 20 s of a 44 s LSH stage).
        merged.sort(kind="stable")
        keep = np.ones(merged.size, dtype=bool)
        np.not_equal(merged[1:], merged[:-1], out=keep[1:])
        self._distinct = merged[keep]
        self._pending, self._pending_size = [], 0


def _pair_codes(pairs: Pairs) -> npt.NDArray[np.int64]:
    """One int64 per pair, ``low << 32 | high`` (indices are below 2**31): a 1-D unique is many
    times faster than np.unique(axis=0), and sorting the codes sorts the pairs."""
    low = np.minimum(pairs[:, 0], pairs[:, 1]).astype(np.int64)
    high = np.maximum(pairs[:, 0], pairs[:, 1]).astype(np.int64)
    codes: npt.NDArray[np.int64] = (low << 32) | high
    return codes


class MemoryLsh:
    """Banded MinHash LSH over a signature matrix held in memory."""

    def __init__(self, params: LshParams, num_perm: int) -> None:
        self.params = params
        self.num_perm = num_perm
        self.bands, self.rows = resolve_bands(params, num_perm)
        self._keys: list[U64] = []
        # Ids only once a caller names its documents: a scan's positions need no second array.
        self._ids: list[Pairs] | None = None
        #: Rows (positions) of removed documents.
        self._dead: set[int] = set()

    def __len__(self) -> int:
        return self._rows() - len(self._dead)

    def add(self, signatures: U32, ids: Pairs | None = None) -> None:
        """Add documents; without ``ids`` they take the next positions in insertion order."""
        check_width(signatures, self.num_perm)
        start = self._rows()
        if ids is not None or self._ids is not None:
            if self._ids is None:
                self._ids = [np.arange(start, dtype=np.int64)]
            given = np.arange(start, start + len(signatures)) if ids is None else ids
            # A re-added id replaces the earlier document of that id.
            self.remove(np.asarray(given, dtype=np.int64))
            self._ids.append(np.asarray(given, dtype=np.int64))
        self._keys.append(band_keys(signatures, self.bands, self.rows))

    def remove(self, ids: Pairs) -> None:
        """Forget documents; unknown ids are ignored."""
        if self._rows():
            rows = np.flatnonzero(np.isin(self._all_ids(), np.asarray(ids, dtype=np.int64)))
            self._dead |= set(rows.tolist())

    def candidate_pairs(self) -> Pairs:
        """Every pair of indexed documents that share at least one band."""
        if not self._keys:
            return np.empty((0, 2), dtype=np.int64)
        # (One block, as a scan adds, is used as it is: no copy of every key.)
        keys = self._keys[0] if len(self._keys) == 1 else np.concatenate(self._keys)
        live = self._live()
        if live is not None:
            keys = keys[live]
        found = _PairSet()
        for band in range(self.bands):
            found.add(bucket_pairs(keys[:, band], self.params.max_bucket_pairs))
        pairs = found.pairs()
        if self._ids is None and live is None:
            return pairs
        ids = self._all_ids() if live is None else self._all_ids()[live]
        return unique_pairs(ids[pairs])

    def query(self, signature: U32) -> npt.NDArray[np.int64]:
        """Ids of indexed documents that share a band with ``signature``, sorted."""
        if not self._keys:
            return np.empty(0, dtype=np.int64)
        check_width(signature.reshape(1, -1), self.num_perm)
        probe = band_keys(signature.reshape(1, -1), self.bands, self.rows)
        keys = np.concatenate(self._keys)
        hits = (keys == probe).any(axis=1)
        live = self._live()
        if live is not None:
            hits &= live
        return np.sort(self._all_ids()[hits])

    def _rows(self) -> int:
        return sum(block.shape[0] for block in self._keys)

    def _all_ids(self) -> Pairs:
        if self._ids is None:
            return np.arange(self._rows(), dtype=np.int64)
        return np.concatenate(self._ids)

    def _live(self) -> npt.NDArray[np.bool_] | None:
        if not self._dead:
            return None
        live = np.ones(self._rows(), dtype=bool)
        live[np.fromiter(self._dead, np.int64, len(self._dead))] = False
        return live


def check_width(signatures: U32, num_perm: int) -> None:
    """Raise ParameterMismatchError unless each row has the index's ``num_perm`` values."""
    if signatures.ndim != 2 or signatures.shape[1] != num_perm:
        raise ParameterMismatchError(
            f"the index holds signatures of {num_perm} values; got shape {signatures.shape}"
        )
