"""Invariants of shingling and MinHash signatures."""

import json
import subprocess
import sys

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.config import SketchParams
from dedup.minhash import sketch, sketch_batch
from dedup.normalization import normalize
from dedup.shingling import shingle

VOCABULARY = ["the", "head", "of", "space", "agency", "leak", "said", "crew", "Soyuz", "team"]
WORDS = st.lists(st.sampled_from(VOCABULARY))


def shingle_pair(shared: int, only_a: int, only_b: int, seed: int) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(seed)
    values = np.unique(rng.integers(0, 2**64 - 1, size=shared + only_a + only_b, dtype=np.uint64))
    rng.shuffle(values)
    common, a_extra = values[:shared], values[shared : shared + only_a]
    b_extra = values[shared + only_a :]
    return np.sort(np.concatenate([common, a_extra])), np.sort(np.concatenate([common, b_extra]))


@settings(max_examples=60)
@given(
    shared=st.integers(1, 600),
    only_a=st.integers(0, 600),
    only_b=st.integers(0, 600),
    seed=st.integers(0, 2**32 - 1),
)
def test_jaccard_estimate_is_within_the_expected_error(
    shared: int, only_a: int, only_b: int, seed: int
) -> None:
    a, b = shingle_pair(shared, only_a, only_b, seed)
    exact = np.intersect1d(a, b).size / np.union1d(a, b).size
    params = SketchParams(num_perm=256, method="kperm")  # OPH: test_oph_properties.py
    estimate = sketch(a, params).jaccard(sketch(b, params))
    # The estimate is a mean of 256 Bernoulli(J) draws; 5 standard errors (+ a small slack for
    # the affine scheme) bound it with failure odds far below one in a million.
    bound = 5 * np.sqrt(exact * (1 - exact) / params.num_perm) + 0.02
    assert abs(estimate - exact) <= bound


@given(WORDS, WORDS)
def test_jaccard_estimate_is_symmetric(a: list[str], b: list[str]) -> None:
    sig_a = sketch(shingle(normalize(" ".join(a))))
    sig_b = sketch(shingle(normalize(" ".join(b))))
    assert sig_a.jaccard(sig_b) == sig_b.jaccard(sig_a)


@given(st.lists(WORDS, min_size=1, max_size=8))
def test_batch_signatures_equal_one_at_a_time(texts: list[list[str]]) -> None:
    sets = [shingle(normalize(" ".join(t))) for t in texts]
    assert np.array_equal(sketch_batch(sets), np.stack([sketch(s).values for s in sets]))


def test_signatures_are_identical_in_a_fresh_process() -> None:
    text = "Say hello to the entire American team. They proved themselves to be very worthy."
    here = sketch(shingle(normalize(text))).values.tolist()
    code = (
        "import dedup, json, sys; "
        "print(json.dumps(dedup.sketch(dedup.shingle(dedup.normalize(sys.argv[1]))).values.tolist()))"
    )
    there = subprocess.run(
        [sys.executable, "-c", code, text], capture_output=True, text=True, check=True,
        env={"PYTHONHASHSEED": "12345", "PATH": ""},
    ).stdout
    assert here == json.loads(there)
