import datasketch
import numpy as np
import pytest

from dedup.config import ShingleConfig, SketchParams
from dedup.errors import ParameterMismatchError
from dedup.minhash import from_datasketch, sketch, sketch_batch, to_datasketch


def random_sets(sizes: list[int], seed: int = 0) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [np.unique(rng.integers(0, 2**64 - 1, size=n, dtype=np.uint64)) for n in sizes]


def datasketch_minhash(shingles: np.ndarray, params: SketchParams) -> datasketch.MinHash:
    minhash = datasketch.MinHash(num_perm=params.num_perm, seed=params.seed, hashfunc=int)
    if shingles.size:
        minhash.update_batch([int(h) & 0xFFFFFFFF for h in shingles])
    return minhash


CLASSIC = SketchParams(method="kperm")


@pytest.mark.parametrize(
    "params", [CLASSIC, SketchParams(num_perm=64, seed=42, method="kperm")]
)
def test_signatures_equal_datasketch_fed_the_same_shingles(params: SketchParams) -> None:
    # Sizes straddle the batch chunk (32k shingles) and include an empty set.
    sets = random_sets([0, 1, 7, 500, 40_000, 33])
    matrix = sketch_batch(sets, params)
    for shingles, row in zip(sets, matrix, strict=True):
        assert np.array_equal(datasketch_minhash(shingles, params).hashvalues, row)


@pytest.mark.parametrize("params", [CLASSIC, SketchParams(method="oph")])
def test_batching_does_not_change_signatures(params: SketchParams) -> None:
    sets = random_sets([300] * 250 + [50_000, 0, 2_000_000])
    together = sketch_batch(sets, params)
    alone = np.stack([sketch(s, params).values for s in sets])
    assert np.array_equal(together, alone)


def test_round_trip_through_datasketch_keeps_values_and_works_in_its_lsh() -> None:
    a, b = random_sets([400, 400], seed=3)
    b = np.unique(np.concatenate([a[:380], b[:20]]))
    sig_a, sig_b = sketch(a, CLASSIC), sketch(b, CLASSIC)
    lean = to_datasketch(sig_a)
    assert from_datasketch(lean) == sig_a
    assert lean.jaccard(to_datasketch(sig_b)) == pytest.approx(sig_a.jaccard(sig_b))
    index = datasketch.MinHashLSH(threshold=0.7, num_perm=128)
    index.insert("a", lean)
    assert index.query(to_datasketch(sig_b)) == ["a"]


def test_comparing_signatures_of_different_parameters_is_refused() -> None:
    shingles = random_sets([100])[0]
    words = sketch(shingles, SketchParams())
    chars = sketch(shingles, SketchParams(shingle=ShingleConfig(kind="char")))
    other_seed = sketch(shingles, SketchParams(seed=2))
    for other in (chars, other_seed):
        with pytest.raises(ParameterMismatchError, match="different parameters"):
            words.jaccard(other)


def test_from_datasketch_refuses_another_seed_or_scheme() -> None:
    with pytest.raises(ParameterMismatchError, match="seed"):
        from_datasketch(datasketch.MinHash(num_perm=128, seed=7))
    with pytest.raises(ParameterMismatchError, match="scheme"):
        from_datasketch(datasketch.MinHash(num_perm=128, seed=1, scheme="legacy"))
