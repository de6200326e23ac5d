import datasketch.lsh
import numpy as np
import pytest

from dedup.config import LshParams
from dedup.errors import ConfigError
from dedup.lsh.memory import MemoryLsh, band_keys, bucket_pairs
from dedup.lsh.params import candidate_probability, optimal_bands, resolve_bands
from dedup.shingling import splitmix64


@pytest.mark.parametrize("threshold", [0.3, 0.5, 0.8, 0.9])
def test_optimal_bands_agree_with_datasketch(threshold: float) -> None:
    assert optimal_bands(threshold, 128) == datasketch.lsh._optimal_param(threshold, 128, 0.5, 0.5)


def test_s_curve_is_steep_around_threshold() -> None:
    bands, rows = optimal_bands(0.5, 128)
    assert candidate_probability(0.9, bands, rows) > 0.99
    assert candidate_probability(0.1, bands, rows) < 0.01


def test_explicit_bands_must_fit_num_perm() -> None:
    with pytest.raises(ConfigError, match="exceeds"):
        resolve_bands(LshParams(bands=20, rows=10), 128)
    with pytest.raises(ConfigError, match="both"):
        resolve_bands(LshParams(bands=20), 128)


def test_bucket_pairs_gives_all_pairs_of_small_buckets() -> None:
    keys = np.array([5, 1, 5, 2, 5, 1], dtype=np.uint64)
    pairs = {tuple(sorted(p)) for p in bucket_pairs(keys, 10).tolist()}
    assert pairs == {(0, 2), (0, 4), (2, 4), (1, 5)}


def test_oversized_bucket_costs_linear_not_quadratic_and_stays_connected() -> None:
    keys = np.zeros(10_000, dtype=np.uint64)
    pairs = bucket_pairs(keys, 4)
    assert len(pairs) < 4 * 10_000
    # consecutive members are paired, so the bucket stays one connected group
    assert {tuple(p) for p in pairs[:, :2].tolist()} >= {(i, i + 1) for i in range(9_999)}


def test_similar_signatures_become_candidates_and_dissimilar_do_not() -> None:
    rng = np.random.default_rng(1)
    base = rng.integers(0, 2**32, size=128, dtype=np.uint32)
    near = base.copy()
    near[:6] += 1
    far = rng.integers(0, 2**32, size=128, dtype=np.uint32)
    index = MemoryLsh(LshParams(threshold=0.5), 128)
    index.add(np.stack([base, near, far]))
    assert index.candidate_pairs().tolist() == [[0, 1]]
    assert index.query(near).tolist() == [0, 1]


def test_band_keys_are_each_bands_hash_chain_as_stored_indexes_have_them() -> None:
    # Index files hold these keys: any change to how they are computed breaks old indexes.
    generator = np.random.default_rng(0)
    for count, bands, rows in [(7, 37, 3), (7, 32, 4), (7, 1, 1), (40_000, 37, 3)]:
        signatures = generator.integers(0, 2**32, size=(count, 128)).astype(np.uint32)
        expected = np.empty((count, bands), dtype=np.uint64)
        for band in range(bands):
            acc = np.full(count, band, dtype=np.uint64)
            for column in range(band * rows, (band + 1) * rows):
                mixed = (acc * np.uint64(0x9E3779B97F4A7C15)) ^ signatures[:, column]
                acc = splitmix64(mixed.astype(np.uint64))
            expected[:, band] = acc
        assert np.array_equal(band_keys(signatures, bands, rows), expected)
