"""Metric functions: small examples worked by hand, textbook ARI values, brute force agreement."""

from __future__ import annotations

import itertools
import random

import metrics
import pytest
from hypothesis import given
from hypothesis import strategies as st
from metrics import PRF, adjusted_rand_index, pair_prf, pairwise_prf


def clustering(labels: list[int]) -> dict[str, str]:
    return {f"d{i}": f"c{label}" for i, label in enumerate(labels)}


def brute_counts(predicted: dict[str, str], truth: dict[str, str]) -> tuple[int, int, int, int]:
    """(together in both, only in predicted, only in truth, apart in both) by enumeration."""
    a = b = c = d = 0
    for x, y in itertools.combinations(sorted(truth), 2):
        p, t = predicted[x] == predicted[y], truth[x] == truth[y]
        a += p and t
        b += p and not t
        c += t and not p
        d += not p and not t
    return a, b, c, d


def brute_ari(predicted: dict[str, str], truth: dict[str, str]) -> float:
    """Pair-counting form of the ARI (Steinley 2004): 2(ad - bc) / ((a+b)(b+d) + (a+c)(c+d))."""
    a, b, c, d = brute_counts(predicted, truth)
    denominator = (a + b) * (b + d) + (a + c) * (c + d)
    return 1.0 if denominator == 0 else 2 * (a * d - b * c) / denominator


def test_pairwise_prf_by_hand() -> None:
    truth = {"a": "1", "b": "1", "c": "1", "d": "2", "e": "2"}  # pairs ab ac bc de
    predicted = {"a": "x", "b": "x", "c": "y", "d": "y", "e": "y"}  # pairs ab cd ce de
    score = pairwise_prf(predicted, truth)
    assert (score.tp, score.fp, score.fn) == (2, 2, 2)
    assert score.precision == score.recall == score.f1 == 0.5


def test_pairwise_prf_counts_pairs_not_documents() -> None:
    truth = clustering([0] * 4 + [1] * 2)  # 6 + 1 true pairs
    predicted = clustering([0] * 4 + [1, 2])  # the big family found, the small pair missed
    score = pairwise_prf(predicted, truth)
    assert (score.tp, score.fp, score.fn) == (6, 0, 1)
    assert score.precision == 1.0
    assert score.recall == pytest.approx(6 / 7)
    assert score.f1 == pytest.approx(2 * (6 / 7) / (1 + 6 / 7))


@pytest.mark.parametrize(
    ("predicted", "truth", "expected"),
    [
        ([0, 0, 1, 1], [0, 0, 1, 1], 1.0),
        ([0, 0, 1, 1], [1, 1, 0, 0], 1.0),  # labels do not matter
        ([0, 0, 1, 2], [0, 0, 1, 1], 4 / 7),  # scikit-learn's documented 0.57
        ([0, 0, 1, 1], [0, 0, 1, 2], 4 / 7),
        ([0, 0, 0, 0], [0, 1, 2, 3], 0.0),
        ([0, 0, 1, 1], [0, 1, 0, 1], -0.5),
    ],
)
def test_ari_textbook_values(predicted: list[int], truth: list[int], expected: float) -> None:
    assert adjusted_rand_index(clustering(predicted), clustering(truth)) == pytest.approx(expected)


def test_ari_hubert_arabie_contingency_example() -> None:
    # Contingency table [[1, 1, 0], [1, 2, 1], [0, 0, 4]] (Wikipedia's ARI worked example shape):
    # sum C(n_ij, 2) = 1 + 6 = 7; rows 2, 4, 4 -> 1 + 6 + 6 = 13; columns 2, 3, 5 -> 1 + 3 + 10
    # = 14; C(10, 2) = 45. ARI = (7 - 13 * 14 / 45) / ((13 + 14) / 2 - 13 * 14 / 45).
    predicted = [0, 0, 1, 1, 1, 1, 2, 2, 2, 2]
    truth = [0, 1, 0, 1, 1, 2, 2, 2, 2, 2]
    expected = (7 - 13 * 14 / 45) / (27 / 2 - 13 * 14 / 45)
    assert adjusted_rand_index(clustering(predicted), clustering(truth)) == pytest.approx(expected)
    assert expected == pytest.approx(0.31257, abs=1e-5)


def test_trivial_clusterings() -> None:
    singletons = clustering(list(range(5)))
    one = clustering([0] * 5)
    assert adjusted_rand_index(singletons, singletons) == 1.0
    assert adjusted_rand_index(one, one) == 1.0
    assert adjusted_rand_index({}, {}) == 1.0
    assert adjusted_rand_index({"a": "x"}, {"a": "y"}) == 1.0
    assert pairwise_prf(singletons, singletons) == PRF(1.0, 1.0, 1.0, 0, 0, 0)
    assert pairwise_prf({}, {}) == PRF(1.0, 1.0, 1.0, 0, 0, 0)


def test_conventions_when_one_side_has_no_pairs() -> None:
    singletons, one = clustering([0, 1, 2]), clustering([0, 0, 0])
    nothing_found = pairwise_prf(singletons, one)
    assert (nothing_found.precision, nothing_found.recall, nothing_found.f1) == (1.0, 0.0, 0.0)
    all_false = pairwise_prf(one, singletons)
    assert (all_false.precision, all_false.recall, all_false.f1) == (0.0, 1.0, 0.0)
    assert (all_false.tp, all_false.fp, all_false.fn) == (0, 3, 0)


def test_clusterings_must_cover_the_same_documents() -> None:
    with pytest.raises(ValueError, match="different documents"):
        pairwise_prf({"a": "1", "b": "1"}, {"a": "1", "c": "1"})
    with pytest.raises(ValueError, match="different documents"):
        adjusted_rand_index({"a": "1"}, {"a": "1", "b": "2"})


partitions = st.integers(0, 14).flatmap(
    lambda n: st.tuples(st.lists(st.integers(0, 4), min_size=n, max_size=n),
                        st.lists(st.integers(0, 4), min_size=n, max_size=n))
)  # fmt: skip


@given(partitions)
def test_contingency_agrees_with_brute_force(labels: tuple[list[int], list[int]]) -> None:
    predicted, truth = clustering(labels[0]), clustering(labels[1])
    a, b, c, _ = brute_counts(predicted, truth)
    score = pairwise_prf(predicted, truth)
    assert (score.tp, score.fp, score.fn) == (a, b, c)
    assert score == PRF.from_counts(a, b, c)
    assert adjusted_rand_index(predicted, truth) == pytest.approx(brute_ari(predicted, truth))
    assert adjusted_rand_index(predicted, truth) == pytest.approx(
        adjusted_rand_index(truth, predicted)
    )


@given(partitions)
def test_pairwise_prf_equals_pair_prf_on_enumerated_pairs(
    labels: tuple[list[int], list[int]],
) -> None:
    predicted, truth = clustering(labels[0]), clustering(labels[1])

    def pairs(c: dict[str, str]) -> set[tuple[str, str]]:
        return {(y, x) for x, y in itertools.combinations(sorted(c), 2) if c[x] == c[y]}

    assert pairwise_prf(predicted, truth) == pair_prf(pairs(predicted), pairs(truth))


def test_pair_prf_ignores_order_and_rejects_self_pairs() -> None:
    score = pair_prf({("b", "a"), ("c", "d")}, {("a", "b"), ("d", "e")})
    assert (score.tp, score.fp, score.fn) == (1, 1, 1)
    assert pair_prf(set(), set()) == PRF(1.0, 1.0, 1.0, 0, 0, 0)
    assert pair_prf([("a", "b"), ("b", "a")], [("a", "b")]).precision == 1.0
    with pytest.raises(ValueError, match="itself"):
        pair_prf({("a", "a")}, set())


def test_large_clusterings_are_fast_and_exact() -> None:
    rng = random.Random(7)
    n = 200_000
    truth = {f"d{i}": f"t{i // 4}" for i in range(n)}  # families of 4
    predicted = {d: (label if rng.random() < 0.9 else d) for d, label in truth.items()}
    score = pairwise_prf(predicted, truth)
    assert score.fp == 0
    assert score.tp + score.fn == 6 * n // 4
    assert 0.5 < score.recall < 1.0
    assert 0.0 < adjusted_rand_index(predicted, truth) < 1.0


def test_module_exports() -> None:
    assert {"PRF", "pairwise_prf", "adjusted_rand_index", "pair_prf"} <= set(dir(metrics))
