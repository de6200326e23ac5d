"""The fast paths of a scan give what the plain definitions give."""

import random
import sys

import numpy as np
import pytest
import xxhash

import dedup
from dedup.config import ShingleConfig
from dedup.normalization import normalize, normalized_tokens
from dedup.shingling import (
    ShingleStore,
    shingle,
    shingle_texts,
    shingle_tokens,
    sorted_unique,
    token_hashes,
)
from dedup.verify import intersection_size, overlap, verify_pairs
from dedup.xxh3 import hash_spans


def random_sets(sizes: list[int], seed: int = 0, universe: int = 2**64 - 1) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [np.unique(rng.integers(0, universe, size=n, dtype=np.uint64)) for n in sizes]


def test_sorted_unique_equals_numpy_unique() -> None:
    rng = np.random.default_rng(1)
    for size in (0, 1, 2, 50):
        values = rng.integers(0, 20, size=size).astype(np.uint64)
        assert np.array_equal(sorted_unique(values), np.unique(values))


@pytest.mark.parametrize("config", [ShingleConfig(), ShingleConfig(kind="char", size=4)])
def test_shingles_of_tokens_equal_shingles_of_the_normalised_text(config: ShingleConfig) -> None:
    text = "Borisov's <b>crew</b> said: the Soyuz team, the Soyuz team — café ½ www.x.org"
    assert np.array_equal(shingle_tokens(normalized_tokens(text), config),
                          shingle(normalize(text), config))  # fmt: skip


def test_token_hash_cache_gives_the_pinned_hashes_when_full(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # dedup.shingle is also the name of a function: patch the module itself.
    monkeypatch.setattr(sys.modules["dedup.shingling"], "_TOKEN_CACHE_LIMIT", 3)
    words = ["the", "head", "of", "russian", "space", "the"]
    first, again = token_hashes(words), token_hashes(list(reversed(words)))
    assert int(first[0]) == 0xCB1283631CF33D7D
    assert np.array_equal(again, first[::-1])


def top_halves(values: np.ndarray) -> np.ndarray:
    return np.unique((values >> np.uint64(32)).astype(np.uint32))


def test_shingle_store_returns_each_document_set_of_top_halves() -> None:
    sets = random_sets([0, 3, 5, 1, 0, 7] * 50)
    store = ShingleStore()
    for index, values in enumerate(sets):
        store.append(values)
        if index == 100:
            assert np.array_equal(store[100], top_halves(values))  # readable while it grows
    assert len(store) == len(sets)
    for index, values in enumerate(sets):
        assert np.array_equal(store[index], top_halves(values))
    with pytest.raises(IndexError):
        store[len(sets)]


def test_shingle_store_sets_stay_unique_and_whole_when_top_halves_repeat() -> None:
    # Within a document two hashes share a top half; across documents the same set follows.
    twin = np.array([5 << 32 | 1, 5 << 32 | 9, 7 << 32], dtype=np.uint64)
    store = ShingleStore()
    for values in (twin, twin, np.array([7 << 32], dtype=np.uint64)):
        store.append(values)
    assert [store[i].tolist() for i in range(3)] == [[5, 7], [5, 7], [7]]
    assert overlap(store[0], store[1]).jaccard == 1.0


def test_batched_verification_scores_equal_pairwise_overlap() -> None:
    # A small universe so that the sets overlap.
    sets = random_sets([0, 1, 40, 60, 60, 200, 5], seed=3, universe=300)
    pairs = np.array([(i, j) for i in range(len(sets)) for j in range(len(sets)) if i != j])
    verified = verify_pairs(pairs, sets, threshold=0.0, containment_threshold=0.0)
    assert [(i, j) for i, j, _, _ in verified] == [tuple(p) for p in pairs.tolist()]
    for i, j, _, score in verified:
        assert score == overlap(sets[i], sets[j])
        assert intersection_size(sets[i], sets[j]) == round(
            score.containment.a_in_b * sets[i].size
        )


def test_oph_scan_finds_the_same_copies_as_classic() -> None:
    base = "The head of the Russian space agency said the crew of the Soyuz was ready. " * 3
    docs = [dedup.Document(f"d{i}", base + f"Note number {i} follows here.") for i in range(6)]
    docs.append(dedup.Document("other", "An unrelated text about football and the weather."))
    oph = dedup.ScanConfig(sketch=dedup.SketchParams(method="oph"))
    kperm = dedup.ScanConfig(sketch=dedup.SketchParams(method="kperm"))
    assert dedup.scan_documents(docs, oph).pairs == dedup.scan_documents(docs, kperm).pairs


def test_hash_spans_equals_xxh3_of_every_length() -> None:
    rng = random.Random(0)
    pieces = [bytes(rng.randrange(256) for _ in range(n)) for n in list(range(41)) * 20]
    ends = np.cumsum([len(p) for p in pieces])
    starts = ends - [len(p) for p in pieces]
    got = hash_spans(b"".join(pieces), starts.astype(np.int64), ends.astype(np.int64))
    assert got.tolist() == [xxhash.xxh3_64_intdigest(p) for p in pieces]


@pytest.mark.parametrize(
    "config", [ShingleConfig(), ShingleConfig(size=3), ShingleConfig(size=1),
               ShingleConfig(kind="char", size=3)],
)  # fmt: skip
def test_batched_shingles_equal_one_document_at_a_time(config: ShingleConfig) -> None:
    rng = random.Random(1)
    vocabulary = ["a", "b", "c", "café", "x" * 30, "東"]
    for _ in range(100):
        lists = [
            [rng.choice(vocabulary) for _ in range(rng.choice([0, 1, 2, 4, 5, 6, 20]))]
            for _ in range(rng.randint(0, 8))
        ]
        values, offsets = shingle_texts([" ".join(t).encode("utf-8") for t in lists], config)
        for index, tokens in enumerate(lists):
            assert np.array_equal(
                values[offsets[index] : offsets[index + 1]], shingle_tokens(tokens, config)
            )
