"""Shingle hashes → MinHash signatures, one document or a batch; datasketch interop.

dedup uses datasketch's ``affine32`` permutation scheme (datasketch ≥ 2.0) bit for bit: the
input hash (the low 32 bits of a shingle hash) is pre-mixed with the MurmurHash3 32-bit
finaliser, then each permutation ``k`` maps it to ``a_k·h + b_k mod 2**32`` with odd ``a_k``,
and the signature keeps the minimum per permutation. ``a`` and ``b`` come from
``numpy.random.RandomState(seed)`` exactly as datasketch draws them, so a dedup signature equals
a ``datasketch.MinHash(num_perm, seed, hashfunc=<low 32 bits>)`` fed with the same shingles, and
converts to and from datasketch without loss.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from dedup.config import SketchParams
from dedup.errors import MissingExtraError, ParameterMismatchError
from dedup.model import Signature

U32 = npt.NDArray[np.uint32]
U64 = npt.NDArray[np.uint64]

EMPTY_VALUE = np.uint32(2**32 - 1)
#: Shingle hashes processed at once in a batch: bounds the working set to ~16 MiB per 128 perms.
_CHUNK = 32_768


@functools.lru_cache(maxsize=16)
def permutations(num_perm: int, seed: int) -> tuple[U32, U32]:
    """The ``(a, b)`` parameters of the affine permutations, as datasketch draws them."""
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    a.flags.writeable = False
    b.flags.writeable = False
    return a, b


def fmix32(values: U32) -> U32:
    """MurmurHash3's 32-bit finaliser (datasketch's pre-mix)."""
    h: U32 = values ^ (values >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


def _premix(shingles: U64) -> U32:
    return fmix32((shingles & np.uint64(0xFFFFFFFF)).astype(np.uint32))


def _min_over_groups(mixed: U32, starts: npt.NDArray[np.intp], params: SketchParams) -> U32:
    """Per-group minimum of every permutation; ``starts`` are the groups' first indices."""
    a, b = permutations(params.num_perm, params.seed)
    permuted = mixed[:, None] * a[None, :] + b[None, :]
    return np.minimum.reduceat(permuted, starts, axis=0)


def sketch(shingles: U64, params: SketchParams = SketchParams()) -> Signature:
    """The MinHash signature of one shingle set."""
    return Signature(sketch_batch([shingles], params)[0], params)


def sketch_batch(shingle_sets: Sequence[U64], params: SketchParams = SketchParams()) -> U32:
    """Signatures of many shingle sets as one ``(len(shingle_sets), num_perm)`` uint32 matrix.

    Documents are processed in chunks of about 32k shingles, so no Python work is done per
    shingle; an empty set gets the all-``2**32-1`` signature, as in datasketch.
    """
    out = np.full((len(shingle_sets), params.num_perm), EMPTY_VALUE, dtype=np.uint32)
    sizes = np.fromiter((s.size for s in shingle_sets), np.int64, len(shingle_sets))
    start = 0
    while start < len(shingle_sets):
        stop = _chunk_end(sizes, start)
        _sketch_range(shingle_sets, sizes, start, stop, params, out)
        start = stop
    return out


def _chunk_end(sizes: npt.NDArray[np.int64], start: int) -> int:
    """First index after ``start`` whose cumulative size exceeds the chunk (at least one doc)."""
    cumulative = np.cumsum(sizes[start:])
    return start + max(1, int(np.searchsorted(cumulative, _CHUNK, side="right")))


def _sketch_range(
    shingle_sets: Sequence[U64],
    sizes: npt.NDArray[np.int64],
    start: int,
    stop: int,
    params: SketchParams,
    out: U32,
) -> None:
    rows = [i for i in range(start, stop) if sizes[i] > 0]
    if not rows:
        return
    if len(rows) == 1 and sizes[rows[0]] > _CHUNK:
        out[rows[0]] = _sketch_large(shingle_sets[rows[0]], params)
        return
    mixed = _premix(np.concatenate([shingle_sets[i] for i in rows]))
    starts = np.concatenate(([0], np.cumsum(sizes[rows])[:-1])).astype(np.intp)
    out[rows] = _min_over_groups(mixed, starts, params)


def _sketch_large(shingles: U64, params: SketchParams) -> U32:
    """One document bigger than a chunk, folded chunk by chunk."""
    values = np.full(params.num_perm, EMPTY_VALUE, dtype=np.uint32)
    first = np.zeros(1, dtype=np.intp)
    for begin in range(0, shingles.size, _CHUNK):
        part = _premix(shingles[begin : begin + _CHUNK])
        values = np.minimum(values, _min_over_groups(part, first, params)[0])
    return values


def to_datasketch(signature: Signature) -> Any:
    """The signature as a ``datasketch.LeanMinHash`` (usable in datasketch's LSH indexes)."""
    lean_minhash = _datasketch().LeanMinHash
    return lean_minhash(
        seed=signature.params.seed, hashvalues=signature.values.copy(), scheme="affine32"
    )


def from_datasketch(minhash: Any, params: SketchParams = SketchParams()) -> Signature:
    """A datasketch ``MinHash``/``LeanMinHash`` as a Signature with ``params``.

    Raises ParameterMismatchError when its scheme, seed or size differ from ``params``: only
    the caller knows the shingling it was fed, so ``params`` must state it.
    """
    scheme = getattr(minhash, "scheme", "legacy")
    if scheme != "affine32":
        raise ParameterMismatchError(f"dedup reads affine32 MinHashes only, got scheme {scheme!r}")
    values = np.asarray(minhash.hashvalues, dtype=np.uint32)
    if minhash.seed != params.seed or values.size != params.num_perm:
        raise ParameterMismatchError(
            f"MinHash has seed {minhash.seed} and {values.size} permutations; "
            f"params ask for seed {params.seed} and {params.num_perm}"
        )
    return Signature(values.copy(), params)


def _datasketch() -> Any:
    try:
        import datasketch
    except ImportError as error:  # pragma: no cover - datasketch is a dependency
        raise MissingExtraError("datasketch is needed here: pip install datasketch") from error
    return datasketch
