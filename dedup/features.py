"""Texts → what the later stages need of each: exact-text key, shingles, MinHash signature.

Normalising, shingling and sketching are pure per document, so batches of documents run in
worker processes (``jobs > 1``) and come back in input order: the result is the same for every
``jobs``. Batches keep Python-level overhead low and bound each worker's memory.
"""

from __future__ import annotations

import collections
import itertools
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor

import attrs
import numpy as np
import numpy.typing as npt
import xxhash

from dedup.config import ScanConfig
from dedup.minhash import sketch_batch, sketch_flat
from dedup.normalize import normalized_bytes
from dedup.shingle import shingle_texts
from dedup.story import content_params, content_terms

U64 = npt.NDArray[np.uint64]
U32 = npt.NDArray[np.uint32]

#: Documents per batch handed to a worker: large enough to amortise process overhead.
BATCH = 256
#: Batches in flight per worker process: enough that no worker waits for the next.
_IN_FLIGHT_PER_JOB = 3


@attrs.frozen(eq=False)
class Features:
    """Per-document features of one batch; ``keys[i]`` is None for a text with no words."""

    keys: tuple[int | None, ...]
    shingles: tuple[U64, ...]
    signatures: U32
    #: Content-word sets and their signatures (``ScanConfig.story``; empty when off).
    content: tuple[U64, ...] = ()
    content_signatures: U32 = attrs.field(factory=lambda: np.empty((0, 0), np.uint32))


def featurize(texts: Sequence[str], config: ScanConfig) -> Features:
    """Features of a batch of texts, in order."""
    # The normalised texts as bytes, not tokens with spans: the spans are rebuilt for the few
    # documents that get aligned, and the tokens are hashed from the bytes a batch at once.
    normalised = [normalized_bytes(text, config.normalize) for text in texts]
    keys = tuple(xxhash.xxh3_128_intdigest(text) if text else None for text in normalised)
    values, offsets = shingle_texts(normalised, config.sketch.shingle)
    signatures = sketch_flat(values, offsets, config.sketch)
    shingle_sets = tuple(np.split(values, offsets[1:-1]))
    if not config.story:
        return Features(keys, shingle_sets, signatures)
    content = tuple(
        content_terms(text.decode("utf-8").split(), config.stories.stem) for text in normalised
    )
    content_signatures = sketch_batch(content, content_params(config.stories))
    return Features(keys, shingle_sets, signatures, content, content_signatures)


def featurize_all(texts: Iterable[str], config: ScanConfig, jobs: int = 1) -> Iterator[Features]:
    """Features of every text, batch by batch, in input order, on ``jobs`` processes."""
    batches = _batches(texts)
    if jobs <= 1:
        yield from (featurize(batch, config) for batch in batches)
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        # A few batches per worker in flight, taken back in submission order: pool.map would
        # submit every batch at once, holding the whole corpus's texts in its queue.
        window: collections.deque[Future[Features]] = collections.deque()
        for batch in batches:
            window.append(pool.submit(featurize, batch, config))
            if len(window) >= _IN_FLIGHT_PER_JOB * jobs:
                yield window.popleft().result()
        while window:
            yield window.popleft().result()


def _batches(texts: Iterable[str]) -> Iterator[list[str]]:
    iterator = iter(texts)
    while batch := list(itertools.islice(iterator, BATCH)):
        yield batch
