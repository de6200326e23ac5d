"""What a careful editor finds in the seeds (see ../shared/design/seeds-truth.md), by meaning."""

from pathlib import Path

import pytest

import dedup
from dedup.model import COPY_RELATIONS, Relation

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def short(doc_id: str) -> str:
    return doc_id[:3]


@pytest.fixture(scope="module")
def result() -> dedup.ScanResult:
    return dedup.scan([SEEDS])


def relations(result: dedup.ScanResult) -> dict[tuple[str, str], Relation]:
    return {(short(p.a), short(p.b)): p.relation for p in result.pairs}


def test_all_five_seeds_are_read(result: dedup.ScanResult) -> None:
    assert sorted(short(d.id) for d in result.documents) == ["000", "001", "002", "003", "004"]
    assert result.skipped == ()


def test_exactly_one_copy_pair_001_002_near_duplicate(result: dedup.ScanResult) -> None:
    copies = [p for p in result.pairs if p.relation in COPY_RELATIONS]
    assert [(short(p.a), short(p.b), p.relation) for p in copies] == [
        ("001", "002", Relation.NEAR_DUPLICATE)
    ]
    assert copies[0].jaccard >= 0.9


def test_000_tells_the_same_story_as_001_and_002(result: dedup.ScanResult) -> None:
    found = relations(result)
    assert found[("000", "001")] is Relation.SAME_STORY
    assert found[("000", "002")] is Relation.SAME_STORY


def test_004_reuses_a_passage_of_000(result: dedup.ScanResult) -> None:
    found = relations(result)
    assert found[("000", "004")] is Relation.PARTIAL_REUSE
    # 004 shares only a weakly paraphrased sentence with 001/002: reuse at most, never a story.
    assert found.get(("001", "004")) in (None, Relation.PARTIAL_REUSE)
    assert found.get(("002", "004")) in (None, Relation.PARTIAL_REUSE)


def test_nothing_is_claimed_about_003(result: dedup.ScanResult) -> None:
    assert not any("003" in key for key in relations(result))


def test_families_are_001_002_and_three_singletons(result: dedup.ScanResult) -> None:
    groups = sorted(tuple(short(m) for m in f.members) for f in result.families)
    assert groups == [("000",), ("001", "002"), ("003",), ("004",)]


def test_story_families_are_000_001_002_then_003_and_004(result: dedup.ScanResult) -> None:
    groups = sorted(tuple(short(m) for m in f.members) for f in result.stories)
    assert groups == [("000", "001", "002"), ("003",), ("004",)]


def test_scan_does_not_depend_on_input_order(tmp_path: Path) -> None:
    files = sorted(SEEDS.glob("*.txt"))
    forward = dedup.scan(files)
    backward = dedup.scan(list(reversed(files)))
    assert forward.pairs == backward.pairs
    assert forward.families == backward.families
    assert forward.stories == backward.stories
