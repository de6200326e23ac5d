"""xxh3-64 (seed 0) of many short byte strings at once, with numpy: the token hash of a scan.

``xxhash.xxh3_64_intdigest`` costs a Python call per token; news tokens are short, and XXH3
hashes inputs of up to 16 bytes by closed formulas (``XXH3_len_1to3_64b``, ``len_4to8``,
``len_9to16`` of the reference implementation, fixed here to seed 0 and the default secret),
which vectorise. Longer tokens (rare) are hashed one by one by the xxhash library. A test checks
every length from 0 to 40 against the library.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import xxhash

U8 = npt.NDArray[np.uint8]
U64 = npt.NDArray[np.uint64]
I64 = npt.NDArray[np.int64]

# The first 72 bytes of XXH3's default secret (kSecret), read as little-endian words.
_SECRET = bytes.fromhex(
    "b8fe6c3923a44bbe7c01812cf721ad1cded46de9839097db7240a4a4b7b3671f"
    "cb79e64eccc0e578825ad07dccff7221b8084674f743248ee03590e6813a264c"
    "3c2852bb91c300cb"
)


def _le64(offset: int) -> int:
    return int.from_bytes(_SECRET[offset : offset + 8], "little")


def _le32(offset: int) -> int:
    return int.from_bytes(_SECRET[offset : offset + 4], "little")


_M64 = (1 << 64) - 1
_FLIP_1TO3 = np.uint64(_le32(0) ^ _le32(4))
_FLIP_4TO8 = np.uint64(_le64(8) ^ _le64(16))
_FLIP_9TO16_LO = np.uint64(_le64(24) ^ _le64(32))
_FLIP_9TO16_HI = np.uint64(_le64(40) ^ _le64(48))
_PRIME64_2 = np.uint64(0xC2B2AE3D27D4EB4F)
_PRIME64_3 = np.uint64(0x165667B19E3779F9)
_PRIME_MX1 = np.uint64(0x165667919E3779F9)
_PRIME_MX2 = np.uint64(0x9FB21C651E98DF25)
_EMPTY = xxhash.xxh3_64_intdigest(b"")
_LOW32 = np.uint64(0xFFFFFFFF)


def _u(value: int) -> np.uint64:
    return np.uint64(value)


def _rotl(x: U64, bits: int) -> U64:
    rotated: U64 = (x << _u(bits)) | (x >> _u(64 - bits))
    return rotated


def _xxh64_avalanche(h: U64) -> U64:
    h = h ^ (h >> _u(33))
    h = h * _PRIME64_2
    h = h ^ (h >> _u(29))
    h = h * _PRIME64_3
    return h ^ (h >> _u(32))


def _xxh3_avalanche(h: U64) -> U64:
    h = h ^ (h >> _u(37))
    h = h * _PRIME_MX1
    return h ^ (h >> _u(32))


def _rrmxmx(h: U64, length: U64) -> U64:
    h = h ^ (_rotl(h, 49) ^ _rotl(h, 24))
    h = h * _PRIME_MX2
    h = h ^ ((h >> _u(35)) + length)
    h = h * _PRIME_MX2
    return h ^ (h >> _u(28))


def _mul128_fold64(a: U64, b: U64) -> U64:
    """Low 64 bits XOR high 64 bits of the 128-bit product, from 32-bit halves."""
    a_lo, a_hi = a & _LOW32, a >> _u(32)
    b_lo, b_hi = b & _LOW32, b >> _u(32)
    lo_lo, hi_lo, lo_hi, hi_hi = a_lo * b_lo, a_hi * b_lo, a_lo * b_hi, a_hi * b_hi
    cross = (lo_lo >> _u(32)) + (hi_lo & _LOW32) + lo_hi
    upper = (hi_lo >> _u(32)) + (cross >> _u(32)) + hi_hi
    lower = (cross << _u(32)) | (lo_lo & _LOW32)
    folded: U64 = lower ^ upper
    return folded


def _byteswap(x: U64) -> U64:
    return x.byteswap()


def _read(buf: U8, at: I64, width: int) -> U64:
    """Little-endian unsigned integers of ``width`` bytes at each offset of ``buf``: one gather
    of ``width``-byte rows from an overlapping view, instead of one gather per byte."""
    rows = np.lib.stride_tricks.as_strided(
        buf, shape=(buf.size - width + 1, width), strides=(1, 1), writeable=False
    )
    dtype = np.dtype("<u4") if width == 4 else np.dtype("<u8")
    return rows[at].view(dtype).ravel().astype(np.uint64)


def hash_spans(buf: bytes, starts: I64, ends: I64) -> U64:
    """``xxh3_64(buf[s:e])`` for every ``(s, e)``."""
    array = np.frombuffer(buf, dtype=np.uint8)
    lengths = ends - starts
    out = np.empty(starts.size, dtype=np.uint64)
    for low, high, kernel in ((1, 3, _len_1to3), (4, 8, _len_4to8), (9, 16, _len_9to16)):
        pick = np.flatnonzero((lengths >= low) & (lengths <= high))
        if pick.size:
            out[pick] = kernel(array, starts[pick], lengths[pick].astype(np.uint64))
    out[lengths == 0] = _EMPTY
    for index in np.flatnonzero(lengths > 16).tolist():
        out[index] = xxhash.xxh3_64_intdigest(buf[starts[index] : ends[index]])
    return out


def _len_1to3(buf: U8, at: I64, length: U64) -> U64:
    size = length.astype(np.int64)
    c1 = buf[at].astype(np.uint64)
    c2 = buf[at + (size >> 1)].astype(np.uint64)
    c3 = buf[at + size - 1].astype(np.uint64)
    combined = (c1 << _u(16)) | (c2 << _u(24)) | c3 | (length << _u(8))
    return _xxh64_avalanche(combined ^ _FLIP_1TO3)


def _len_4to8(buf: U8, at: I64, length: U64) -> U64:
    first = _read(buf, at, 4)
    last = _read(buf, at + length.astype(np.int64) - 4, 4)
    keyed = (last + (first << _u(32))) ^ _FLIP_4TO8
    return _rrmxmx(keyed, length)


def _len_9to16(buf: U8, at: I64, length: U64) -> U64:
    lo = _read(buf, at, 8) ^ _FLIP_9TO16_LO
    hi = _read(buf, at + length.astype(np.int64) - 8, 8) ^ _FLIP_9TO16_HI
    acc = length + _byteswap(lo) + hi + _mul128_fold64(lo, hi)
    return _xxh3_avalanche(acc)
