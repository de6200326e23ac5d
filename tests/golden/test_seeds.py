"""What a careful editor finds in the seeds (see ../shared/design/seeds-truth.md), by meaning."""

from pathlib import Path

import pytest

import dedup
from dedup.model import Relation

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def short(doc_id: str) -> str:
    return doc_id[:3]


@pytest.fixture(scope="module")
def result() -> dedup.ScanResult:
    return dedup.scan([SEEDS])


def test_all_five_seeds_are_read(result: dedup.ScanResult) -> None:
    assert sorted(short(d.id) for d in result.documents) == ["000", "001", "002", "003", "004"]
    assert result.skipped == ()


def test_exactly_one_copy_pair_001_002_near_duplicate(result: dedup.ScanResult) -> None:
    assert [(short(p.a), short(p.b), p.relation) for p in result.pairs] == [
        ("001", "002", Relation.NEAR_DUPLICATE)
    ]
    assert result.pairs[0].jaccard >= 0.9


def test_families_are_001_002_and_three_singletons(result: dedup.ScanResult) -> None:
    groups = sorted(tuple(short(m) for m in f.members) for f in result.families)
    assert groups == [("000",), ("001", "002"), ("003",), ("004",)]


def test_scan_does_not_depend_on_input_order(tmp_path: Path) -> None:
    files = sorted(SEEDS.glob("*.txt"))
    forward = dedup.scan(files)
    backward = dedup.scan(list(reversed(files)))
    assert forward.pairs == backward.pairs
    assert forward.families == backward.families
