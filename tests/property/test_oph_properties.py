"""Invariants of one-permutation hashing (``SketchParams(method="oph")``)."""

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from dedup.config import SketchParams
from dedup.errors import ParameterMismatchError
from dedup.minhash import sketch, sketch_batch, to_datasketch

OPH = SketchParams(method="oph")


def random_sets(sizes: list[int], seed: int = 0) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [np.unique(rng.integers(0, 2**64 - 1, size=n, dtype=np.uint64)) for n in sizes]


@settings(max_examples=60)
@given(
    shared=st.integers(1, 600),
    only_a=st.integers(0, 600),
    only_b=st.integers(0, 600),
    seed=st.integers(0, 2**32 - 1),
)
def test_oph_jaccard_estimate_is_within_the_expected_error(
    shared: int, only_a: int, only_b: int, seed: int
) -> None:
    # Sets of a few shingles are coarse under OPH: when two of them fall into one bin, the
    # densified signature repeats the winner everywhere (see dedup/oph.py).
    assume(shared + only_a + only_b >= 64)
    rng = np.random.default_rng(seed)
    values = np.unique(rng.integers(0, 2**64 - 1, size=shared + only_a + only_b, dtype=np.uint64))
    rng.shuffle(values)
    a = np.sort(values[: shared + only_a])
    b = np.sort(np.concatenate([values[:shared], values[shared + only_a :]]))
    exact = np.intersect1d(a, b).size / np.union1d(a, b).size
    params = SketchParams(num_perm=256, method="oph")
    estimate = sketch(a, params).jaccard(sketch(b, params))
    bound = 5 * np.sqrt(exact * (1 - exact) / params.num_perm) + 0.02
    assert abs(estimate - exact) <= bound


@given(st.lists(st.integers(0, 700), min_size=1, max_size=12), st.integers(0, 1000))
def test_oph_batch_signatures_equal_one_at_a_time(sizes: list[int], seed: int) -> None:
    sets = random_sets(sizes, seed)
    alone = np.stack([sketch(s, OPH).values for s in sets])
    assert np.array_equal(sketch_batch(sets, OPH), alone)


def test_oph_fills_every_bin_of_a_non_empty_set_and_none_of_an_empty_one() -> None:
    tiny, empty = sketch_batch(random_sets([1, 0]), OPH)
    assert len(set(tiny.tolist())) == 1 and tiny[0] != 2**32 - 1
    assert (empty == 2**32 - 1).all()


def test_identical_sets_have_identical_oph_signatures_and_disjoint_ones_differ() -> None:
    a, b = random_sets([300, 300], seed=5)
    assert sketch(a, OPH) == sketch(a.copy(), OPH)
    assert sketch(a, OPH).jaccard(sketch(b, OPH)) < 0.05


def test_oph_signatures_are_pinned_across_releases() -> None:
    # Stored OPH signatures must compare with the next release's.
    values = np.arange(1, 40, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    row = sketch(np.unique(values), SketchParams(num_perm=8, method="oph")).values
    assert row.tolist() == PINNED


def test_oph_signatures_do_not_convert_to_datasketch() -> None:
    with pytest.raises(ParameterMismatchError, match="kperm"):
        to_datasketch(sketch(random_sets([10])[0], OPH))


PINNED = [83841194, 279628863, 1259598645, 1896119671, 119433610, 365469342, 925287383, 373990598]
