"""Normalised text → sorted, unique uint64 shingle hashes.

A shingle is a word n-gram (default) or a character n-gram of the normalised text. Each unit
(token, or code point) is hashed once; an n-gram's hash combines its units' hashes with array
arithmetic, ``splitmix64(Σ unit_j · C_j mod 2**64)`` with fixed odd constants ``C_j``, so the
hash of a shingle is the same in every run, process and machine and no Python call is made per
shingle. A text shorter than one n-gram yields a single shingle of all its units, so short texts
still compare.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from typing import Generic, TypeVar

import attrs
import numpy as np
import numpy.typing as npt
import xxhash

from dedup.config import ShingleConfig
from dedup.model import NormalizedText
from dedup.xxh3 import hash_spans

U64 = npt.NDArray[np.uint64]
_Scalar = TypeVar("_Scalar", bound=np.generic)
U32 = npt.NDArray[np.uint32]
I64 = npt.NDArray[np.int64]

# Fixed and documented so that shingle hashes are stable across releases; changing them
# changes every signature (bump NORMALIZER_VERSION's sibling in SketchParams if ever needed).
_POSITION_SEED = 0x5EED_D3D0
_MAX_NGRAM = 64


def _position_constants() -> U64:
    rng = np.random.Generator(np.random.PCG64(_POSITION_SEED))
    constants = rng.integers(0, 2**63, size=_MAX_NGRAM, dtype=np.uint64)
    return constants * np.uint64(2) + np.uint64(1)


_CONSTANTS = _position_constants()


def splitmix64(values: U64) -> U64:
    """The splitmix64 finaliser: a fast bijective avalanche on uint64 arrays."""
    z: U64 = values ^ (values >> np.uint64(30))
    z = z * np.uint64(0xBF58476D1CE4E5B9)
    z = z ^ (z >> np.uint64(27))
    z = z * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


# Token hashes already computed. News vocabulary is small and repetitive (a 10k-document corpus
# has ~3.3 million tokens but ~60,000 distinct ones), so looking a token up in a dict, which
# ``map`` does without a Python-level step, is several times cheaper than encoding and hashing
# it again. The cache is cleared when full, which bounds its memory (~100 MB).
_TOKEN_CACHE: dict[str, int] = {}
_TOKEN_CACHE_LIMIT = 1 << 19


def token_hashes(tokens: Sequence[str]) -> U64:
    """xxh3-64 of each token's UTF-8 bytes."""
    cache = _TOKEN_CACHE
    try:
        return np.fromiter(map(cache.__getitem__, tokens), np.uint64, len(tokens))
    except KeyError:
        pass
    new = set(tokens).difference(cache)
    if len(cache) + len(new) > _TOKEN_CACHE_LIMIT:
        cache.clear()
        new = set(tokens)
    digest = xxhash.xxh3_64_intdigest
    cache.update((token, digest(token.encode("utf-8"))) for token in new)
    return np.fromiter(map(cache.__getitem__, tokens), np.uint64, len(tokens))


def codepoint_hashes(text: str) -> U64:
    """A mixed hash of each code point of ``text`` (the units of character shingles)."""
    codepoints = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    return splitmix64(codepoints + np.uint64(0x9E3779B97F4A7C15))


def ngram_hashes(units: U64, n: int) -> U64:
    """Hash of every window of ``n`` consecutive units (all units if fewer than ``n``)."""
    if n > _MAX_NGRAM:
        raise ValueError(f"n-grams longer than {_MAX_NGRAM} units are not supported")
    if units.size == 0:
        return np.empty(0, dtype=np.uint64)
    width = min(n, units.size)
    count = units.size - width + 1
    acc = np.zeros(count, dtype=np.uint64)
    for j in range(width):
        acc += units[j : j + count] * _CONSTANTS[j]
    return splitmix64(acc)


def shingle(text: NormalizedText, config: ShingleConfig = ShingleConfig()) -> U64:
    """The sorted, unique shingle hashes of a normalised text."""
    return shingle_tokens(text.tokens, config)


def shingle_tokens(tokens: Sequence[str], config: ShingleConfig = ShingleConfig()) -> U64:
    """``shingle`` of the normalised text whose tokens are ``tokens``."""
    word = config.kind == "word"
    units = token_hashes(tokens) if word else codepoint_hashes(" ".join(tokens))
    return sorted_unique(ngram_hashes(units, config.size))


def shingle_texts(
    texts: Sequence[bytes],
    config: ShingleConfig = ShingleConfig(),
    tokens: JoinedTokens | None = None,
) -> tuple[U64, I64]:
    """``shingle_tokens`` of each normalised text (UTF-8, tokens joined by single spaces, as
    ``normalize.normalized_bytes`` gives it), packed: document ``d``'s sorted, unique shingles
    are ``values[offsets[d]:offsets[d + 1]]``.

    The tokens of a whole batch are hashed at once (``xxh3.hash_spans``) and its word n-grams
    combined in one pass of array arithmetic, windows that would cross into the next document
    dropped: no Python step per token and a few numpy calls per document. ``tokens`` may give
    ``joined_tokens(texts)`` when the caller has it already.
    """
    if config.kind != "word":
        return _pack([shingle_tokens(text.decode("utf-8").split(), config) for text in texts])
    joined = joined_tokens(texts) if tokens is None else tokens
    counts = joined.counts
    grams, gram_counts = _batch_ngrams(joined.hashes, counts, config.size)
    gram_offsets = np.zeros(counts.size + 1, dtype=np.int64)
    np.cumsum(gram_counts, out=gram_offsets[1:])
    return unique_per_document(grams, gram_offsets)


@attrs.frozen(eq=False)
class JoinedTokens:
    """A batch of normalised texts joined by spaces, and its tokens: where each starts and
    ends in ``buffer``, its hash (``token_hashes``), and how many tokens each text has."""

    buffer: bytes
    starts: I64
    ends: I64
    hashes: U64
    counts: I64


def joined_tokens(texts: Sequence[bytes]) -> JoinedTokens:
    """The tokens of normalised texts (UTF-8, tokens joined by single spaces), a batch at once."""
    buffer = b" ".join(texts)
    # Padding with a space on each side makes every token's bytes rise and fall once.
    in_word = np.frombuffer(b" " + buffer + b" ", dtype=np.uint8) != ord(" ")
    edges = np.flatnonzero(in_word[1:] != in_word[:-1])
    starts, ends = edges[0::2], edges[1::2]
    text_starts = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum(np.fromiter((len(t) + 1 for t in texts), np.int64, len(texts)), out=text_starts[1:])
    counts = np.diff(np.searchsorted(starts, text_starts))
    return JoinedTokens(buffer, starts, ends, hash_spans(buffer, starts, ends), counts)


def _batch_ngrams(units: U64, counts: I64, n: int) -> tuple[U64, I64]:
    """``ngram_hashes`` of each document's units, concatenated, and how many each has."""
    starts = np.zeros(counts.size + 1, dtype=np.int64)
    np.cumsum(counts, out=starts[1:])
    gram_counts = np.where(counts >= n, counts - n + 1, np.minimum(counts, 1))
    full = ngram_hashes(units, n) if units.size >= n else np.empty(0, np.uint64)
    # Window k is valid when it ends inside the document it starts in.
    owner = np.repeat(np.arange(counts.size), counts)[: full.size]
    grams = full[np.arange(full.size) + n <= starts[owner + 1]]
    short = np.flatnonzero((counts > 0) & (counts < n))
    if short.size:
        # Fewer tokens than n: one shingle of all of them, spliced in at the document's place.
        where = np.cumsum(gram_counts)[short] - 1
        extra = [ngram_hashes(units[starts[d] : starts[d + 1]], n)[0] for d in short.tolist()]
        grams = np.insert(grams, where - np.arange(short.size), np.array(extra, np.uint64))
    return grams, gram_counts


def unique_per_document(values: U64, offsets: I64) -> tuple[U64, I64]:
    """Each document's values sorted and deduplicated, packed again."""
    for start, stop in zip(offsets[:-1].tolist(), offsets[1:].tolist(), strict=True):
        values[start:stop].sort()
    keep = np.ones(values.size, dtype=bool)
    if values.size > 1:
        np.not_equal(values[1:], values[:-1], out=keep[1:])
        keep[offsets[:-1][offsets[:-1] < values.size]] = True
    kept = np.zeros(values.size + 1, dtype=np.int64)
    np.cumsum(keep, out=kept[1:])
    return values[keep], kept[offsets]


def _pack(arrays: Sequence[U64]) -> tuple[U64, I64]:
    offsets = np.zeros(len(arrays) + 1, dtype=np.int64)
    np.cumsum([a.size for a in arrays], out=offsets[1:])
    values = np.concatenate(arrays) if arrays else np.empty(0, np.uint64)
    return values.astype(np.uint64, copy=False), offsets


def sorted_unique(values: npt.NDArray[_Scalar]) -> npt.NDArray[_Scalar]:
    """``np.unique(values)``, for a short array: one sort and a mask, without the general
    machinery of ``np.unique`` that costs more than the sort itself on a news story."""
    ordered = np.sort(values)
    if ordered.size < 2:
        return ordered
    keep = np.empty(ordered.size, dtype=bool)
    keep[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    return ordered[keep]


#: Values gathered before they are packed into one segment (~64 MiB).
_SEGMENT = 1 << 23
_Packed = TypeVar("_Packed", np.uint32, np.uint64)


class PackedStore(Generic[_Packed]):
    """Many documents' sorted 64-bit values, packed into a few large arrays.

    One numpy array per document costs ~100 bytes of header and scatters a million small
    blocks over the heap; packed segments hold the values contiguously, and packing segment by
    segment never holds two copies of the whole corpus. Within a document, values whose top 32
    bits repeat are kept once (the first). What a segment keeps of each value is the subclass's
    (``_kept``). ``store[i]`` is document ``i``'s array (a read-only view).
    """

    def __init__(self) -> None:
        self._segments: list[npt.NDArray[_Packed]] = []
        self._offsets: list[I64] = []
        self._first_doc: list[int] = [0]
        self._pending: list[U64] = []
        self._pending_size = 0

    def _add(self, values: U64) -> None:
        self._pending.append(values)
        self._pending_size += values.size
        if self._pending_size >= _SEGMENT:
            self._pack()

    def __len__(self) -> int:
        return self._first_doc[-1] + len(self._pending)

    def __getitem__(self, index: int) -> npt.NDArray[_Packed]:
        if self._pending:
            self._pack()
        if not 0 <= index < self._first_doc[-1]:
            raise IndexError(index)
        segment = bisect.bisect_right(self._first_doc, index) - 1
        offsets = self._offsets[segment]
        local = index - self._first_doc[segment]
        return self._segments[segment][offsets[local] : offsets[local + 1]]

    def nbytes(self) -> int:
        """Bytes held by the packed values and their offsets."""
        return sum(s.nbytes for s in self._segments) + sum(o.nbytes for o in self._offsets)

    def _kept(self, values: U64, keep: npt.NDArray[np.bool_]) -> npt.NDArray[_Packed]:
        raise NotImplementedError

    def _pack(self) -> None:
        sizes = np.fromiter((s.size for s in self._pending), np.int64, len(self._pending))
        starts = np.zeros(sizes.size + 1, dtype=np.int64)
        np.cumsum(sizes, out=starts[1:])
        values = np.concatenate(self._pending)
        high = values >> np.uint64(32)
        # Sorted 64-bit values give sorted top halves: a repeat can only follow its twin.
        keep = np.ones(high.size, dtype=bool)
        np.not_equal(high[1:], high[:-1], out=keep[1:])
        keep[starts[:-1][sizes > 0]] = True
        kept_before = np.zeros(high.size + 1, dtype=np.int64)
        np.cumsum(keep, out=kept_before[1:])
        segment = self._kept(values, keep)
        segment.flags.writeable = False
        self._segments.append(segment)
        self._offsets.append(kept_before[starts])
        self._first_doc.append(self._first_doc[-1] + sizes.size)
        self._pending, self._pending_size = [], 0


class ShingleStore(PackedStore[np.uint32]):
    """The shingle sets of many documents, packed, at 4 bytes a shingle (``PackedStore``).

    A set keeps each shingle's top 32 bits, still sorted and made unique again: verification
    needs set sizes and intersections, and two of a story's ~500 shingles share their top 32
    bits with odds of about 1 in 30,000, so a score moves by less than 1/500 once in that many
    documents, while the store is half the size (1.3 GB instead of 2.6 GB for a million news
    texts).
    """

    def append(self, shingles: U64) -> None:
        """Add the next document's sorted, unique shingles."""
        self._add(shingles)

    def _kept(self, values: U64, keep: npt.NDArray[np.bool_]) -> U32:
        return (values[keep] >> np.uint64(32)).astype(np.uint32)
