"""One suite, every LSH backend: what the scan and the persistent index rely on."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest

from dedup.config import LshParams
from dedup.errors import ParameterMismatchError
from dedup.lsh.protocol import LshIndex, make_lsh

PARAMS = LshParams(threshold=0.5)
Factory = Callable[..., LshIndex]


@pytest.fixture(params=["memory", "sqlite"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, Factory]]:
    connections: list[sqlite3.Connection] = []

    def factory(params: LshParams = PARAMS, num_perm: int = 128) -> LshIndex:
        if request.param == "memory":
            return make_lsh(params, num_perm)
        db = sqlite3.connect(tmp_path / "lsh.db", isolation_level=None)
        connections.append(db)
        return make_lsh(params, num_perm, connection=db, table="copies")

    yield request.param, factory
    for db in connections:
        db.close()


def signatures() -> np.ndarray:
    """Rows 0 and 1 agree on all but 6 of 128 values; row 2 is unrelated, row 3 equals row 0."""
    rng = np.random.default_rng(1)
    base = rng.integers(0, 2**32, size=128, dtype=np.uint32)
    near = base.copy()
    near[:6] += 1
    far = rng.integers(0, 2**32, size=128, dtype=np.uint32)
    return np.stack([base, near, far, base])


def test_similar_documents_pair_and_a_probe_finds_them(backend: tuple[str, Factory]) -> None:
    _, factory = backend
    index = factory()
    sigs = signatures()
    index.add(sigs[:3])
    assert len(index) == 3
    assert index.candidate_pairs().tolist() == [[0, 1]]
    assert index.query(sigs[1]).tolist() == [0, 1]
    assert index.query(sigs[2]).tolist() == [2]


def test_named_ids_are_what_queries_and_pairs_return(backend: tuple[str, Factory]) -> None:
    _, factory = backend
    index = factory()
    sigs = signatures()
    index.add(sigs[:2], np.array([40, 7]))
    index.add(sigs[2:], np.array([3, 12]))
    assert index.candidate_pairs().tolist() == [[7, 12], [7, 40], [12, 40]]
    assert index.query(sigs[0]).tolist() == [7, 12, 40]


def test_removed_documents_are_no_longer_found(backend: tuple[str, Factory]) -> None:
    _, factory = backend
    index = factory()
    sigs = signatures()
    index.add(sigs, np.array([1, 2, 3, 4]))
    index.remove(np.array([4, 99]))
    assert len(index) == 3
    assert index.query(sigs[0]).tolist() == [1, 2]
    assert index.candidate_pairs().tolist() == [[1, 2]]
    # Re-adding an id replaces what it held.
    index.add(sigs[2:3], np.array([1]))
    assert index.query(sigs[0]).tolist() == [2]


def sqlite_factory(path: Path) -> Factory:
    """A backend kept in a file: the in-memory one lives only as long as its process."""

    def factory(params: LshParams = PARAMS) -> LshIndex:
        return make_lsh(params, 128, connection=sqlite3.connect(path, isolation_level=None),
                        table="copies")

    return factory


def test_reopening_gives_the_same_answers(tmp_path: Path) -> None:
    factory = sqlite_factory(tmp_path / "lsh.db")
    sigs = signatures()
    first = factory()
    first.add(sigs, np.array([5, 6, 7, 8]))
    first.remove(np.array([6]))
    before = (first.query(sigs[0]).tolist(), first.candidate_pairs().tolist())
    again = factory()
    assert (again.query(sigs[0]).tolist(), again.candidate_pairs().tolist()) == before
    assert before == ([5, 8], [[5, 8]])


def test_signatures_of_another_width_are_refused(backend: tuple[str, Factory]) -> None:
    _, factory = backend
    index = factory()
    index.add(signatures())
    with pytest.raises(ParameterMismatchError, match="128"):
        index.add(signatures()[:, :64])
    with pytest.raises(ParameterMismatchError, match="128"):
        index.query(signatures()[0, :64])


def test_reopening_with_other_parameters_is_refused(tmp_path: Path) -> None:
    factory = sqlite_factory(tmp_path / "lsh.db")
    factory().add(signatures())
    with pytest.raises(ParameterMismatchError, match="copies"):
        factory(LshParams(threshold=0.8))
