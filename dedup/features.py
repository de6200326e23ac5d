"""Texts → what the later stages need of each: exact-text key, shingles, MinHash signature.

Normalising, shingling and sketching are pure per document, so batches of documents run in
worker processes (``jobs > 1``) and come back in input order: the result is the same for every
``jobs``. Batches keep Python-level overhead low and bound each worker's memory.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterable, Iterator, Sequence

import attrs
import numpy as np
import numpy.typing as npt
import xxhash

from dedup.config import ScanConfig
from dedup.minhash import sketch_batch, sketch_flat
from dedup.normalization import normalized_bytes_batch
from dedup.parallel import ordered_map
from dedup.shingling import joined_tokens, shingle_texts
from dedup.tiers.words import content_params, content_words_of_texts

U64 = npt.NDArray[np.uint64]
U32 = npt.NDArray[np.uint32]

#: Documents per batch handed to a worker: large enough to amortise process overhead.
BATCH = 256


@attrs.frozen(eq=False)
class Features:
    """Per-document features of one batch; ``keys[i]`` is None for a text with no words."""

    keys: tuple[int | None, ...]
    shingles: tuple[U64, ...]
    signatures: U32
    #: Content-word sets (``ScanConfig.story``; empty when off), where each word first occurs,
    #: and their signatures (only when asked for: the persistent index's story LSH).
    content: tuple[U64, ...] = ()
    content_positions: tuple[U32, ...] = ()
    content_signatures: U32 = attrs.field(factory=lambda: np.empty((0, 0), np.uint32))


def featurize(texts: Sequence[str], config: ScanConfig, content_sketch: bool = True) -> Features:
    """Features of a batch of texts, in order; ``content_sketch``: also the content words'
    signatures (the scan's story tier needs the words only)."""
    # The normalised texts as bytes, not tokens with spans: the spans are rebuilt for the few
    # documents that get aligned, and the tokens are hashed from the bytes a batch at once.
    normalised = normalized_bytes_batch(texts, config.normalize)
    keys = tuple(xxhash.xxh3_128_intdigest(text) if text else None for text in normalised)
    tokens = joined_tokens(normalised)
    values, offsets = shingle_texts(normalised, config.sketch.shingle, tokens)
    signatures = sketch_flat(values, offsets, config.sketch)
    shingle_sets = tuple(np.split(values, offsets[1:-1]))
    if not config.story:
        return Features(keys, shingle_sets, signatures)
    words = content_words_of_texts(normalised, config.stories.stem, tokens)
    content = tuple(terms for terms, _ in words)
    positions = tuple(first for _, first in words)
    if not content_sketch:
        return Features(keys, shingle_sets, signatures, content, positions)
    content_signatures = sketch_batch(content, content_params(config.stories))
    return Features(keys, shingle_sets, signatures, content, positions, content_signatures)


def featurize_all(
    texts: Iterable[str], config: ScanConfig, jobs: int = 1, content_sketch: bool = True
) -> Iterator[Features]:
    """Features of every text, batch by batch, in input order, on ``jobs`` processes."""
    work = functools.partial(featurize, config=config, content_sketch=content_sketch)
    return ordered_map(work, _batches(texts), jobs)


def _batches(texts: Iterable[str]) -> Iterator[list[str]]:
    iterator = iter(texts)
    while batch := list(itertools.islice(iterator, BATCH)):
        yield batch
