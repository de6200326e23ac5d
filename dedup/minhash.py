"""Shingle hashes → MinHash signatures, one document or a batch; datasketch interop.

dedup uses datasketch's ``affine32`` permutation scheme (datasketch ≥ 2.0) bit for bit: the
input hash (the low 32 bits of a shingle hash) is pre-mixed with the MurmurHash3 32-bit
finaliser, then each permutation ``k`` maps it to ``a_k·h + b_k mod 2**32`` with odd ``a_k``,
and the signature keeps the minimum per permutation. ``a`` and ``b`` come from
``numpy.random.RandomState(seed)`` exactly as datasketch draws them, so a dedup signature equals
a ``datasketch.MinHash(num_perm, seed, hashfunc=<low 32 bits>)`` fed with the same shingles, and
converts to and from datasketch without loss. That is ``SketchParams(method="kperm")``;
``method="oph"`` (one-permutation hashing, dedup/oph.py) makes signatures that compare with
each other only.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from dedup import oph
from dedup.config import SketchParams
from dedup.errors import MissingExtraError, ParameterMismatchError
from dedup.model import Signature

U32 = npt.NDArray[np.uint32]
U64 = npt.NDArray[np.uint64]
I64 = npt.NDArray[np.int64]

EMPTY_VALUE = np.uint32(2**32 - 1)
#: The parameters of a datasketch MinHash with default num_perm and seed.
_CLASSIC = SketchParams(method="kperm")
#: Shingle hashes processed at once in a batch: bounds the working set to ~16 MiB per 128 perms.
_CHUNK = 32_768
#: OPH holds ~40 bytes per shingle in flight, whatever ``num_perm``.
_OPH_CHUNK = 1 << 20


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

    No Python work is done per shingle; an empty set gets the all-``2**32-1`` signature, as in
    datasketch. A set's signature does not depend on the other sets of the batch.
    """
    sizes = np.fromiter((s.size for s in shingle_sets), np.int64, len(shingle_sets))
    offsets = np.zeros(len(shingle_sets) + 1, dtype=np.int64)
    np.cumsum(sizes, out=offsets[1:])
    values = np.concatenate(shingle_sets) if shingle_sets else np.empty(0, np.uint64)
    return sketch_flat(values.astype(np.uint64, copy=False), offsets, params)


def sketch_flat(values: U64, offsets: I64, params: SketchParams = SketchParams()) -> U32:
    """``sketch_batch`` of the sets ``values[offsets[i]:offsets[i + 1]]`` held in one array."""
    out = np.full((offsets.size - 1, params.num_perm), EMPTY_VALUE, dtype=np.uint32)
    start = 0
    while start < offsets.size - 1:
        stop = _chunk_end(offsets, start, _CHUNK if params.method == "kperm" else _OPH_CHUNK)
        part = values[offsets[start] : offsets[stop]]
        local = offsets[start : stop + 1] - offsets[start]
        if params.method == "oph":
            out[start:stop] = oph.sketch_flat(part, local, params.num_perm, params.seed)
        else:
            out[start:stop] = _classic_range(part, local, params)
        start = stop
    return out


def _chunk_end(offsets: I64, start: int, chunk: int) -> int:
    """The first set after ``start`` at which the chunk's shingles would exceed ``chunk``
    (at least one set per chunk)."""
    limit = offsets[start] + chunk
    return max(start + 1, int(np.searchsorted(offsets, limit, side="right")) - 1)


def _classic_range(values: U64, offsets: I64, params: SketchParams) -> U32:
    """Classic signatures of a chunk of sets (one set may be larger than the chunk)."""
    out = np.full((offsets.size - 1, params.num_perm), EMPTY_VALUE, dtype=np.uint32)
    sizes = np.diff(offsets)
    rows = np.flatnonzero(sizes)
    if rows.size == 1 and sizes[rows[0]] > _CHUNK:
        out[rows[0]] = _sketch_large(values, params)
    elif rows.size:
        # reduceat would give an empty group the value at its start: only non-empty groups go.
        out[rows] = _min_over_groups(_premix(values), offsets[rows].astype(np.intp), params)
    return out


def _sketch_large(shingles: U64, params: SketchParams) -> U32:
    """One set bigger than a chunk, folded chunk by chunk."""
    values = np.full(params.num_perm, EMPTY_VALUE, dtype=np.uint32)
    first = np.zeros(1, dtype=np.intp)
    for begin in range(0, shingles.size, _CHUNK):
        part = _premix(shingles[begin : begin + _CHUNK])
        values = np.minimum(values, _min_over_groups(part, first, params)[0])
    return values


def to_datasketch(signature: Signature) -> Any:
    """The signature as a ``datasketch.LeanMinHash`` (usable in datasketch's LSH indexes).

    Raises ParameterMismatchError for a one-permutation (``oph``) signature: datasketch has
    no such scheme.
    """
    _require_classic(signature.params)
    lean_minhash = _datasketch().LeanMinHash
    return lean_minhash(
        seed=signature.params.seed, hashvalues=signature.values.copy(), scheme="affine32"
    )


def from_datasketch(minhash: Any, params: SketchParams = _CLASSIC) -> Signature:
    """A datasketch ``MinHash``/``LeanMinHash`` as a Signature with ``params``.

    Raises ParameterMismatchError when its scheme, seed or size differ from ``params``: only
    the caller knows the shingling it was fed, so ``params`` must state it.
    """
    _require_classic(params)
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


def _require_classic(params: SketchParams) -> None:
    if params.method != "kperm":
        raise ParameterMismatchError(
            f"datasketch MinHashes are classic (method 'kperm'), not {params.method!r}"
        )


def _datasketch() -> Any:
    try:
        import datasketch
    except ImportError as error:  # pragma: no cover - datasketch is a dependency
        raise MissingExtraError("datasketch is needed here: pip install datasketch") from error
    return datasketch
