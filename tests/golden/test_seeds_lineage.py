"""Lineage of the seeds, by meaning (../shared/design/seeds-truth.md): 002 -> 001 because both
carry The Moscow Times' "Related article" line; 000 before 004, which looks back at it;
nothing claimed about 003, nor a direction between the translation 000 and the copies."""

from __future__ import annotations

from pathlib import Path

import pytest

import dedup
from dedup.model import EvidenceKind

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def seed(number: str) -> str:
    (path,) = SEEDS.glob(f"{number}_*.txt")
    return path.name


@pytest.fixture(scope="module")
def lineage() -> dedup.Lineage:
    return dedup.scan([SEEDS]).lineage


def test_the_page_is_the_source_of_the_body_copy(lineage: dedup.Lineage) -> None:
    (edge,) = [e for e in lineage.sources(seed("001")) if e.primary]
    assert (edge.source, edge.relation) == (seed("002"), dedup.Relation.NEAR_DUPLICATE)
    assert 0.6 <= edge.confidence < 1.0
    shared = [e for e in edge.evidence if e.kind is EvidenceKind.SHARED_INNOVATION]
    assert shared and "Related article" in shared[0].detail and shared[0].weight > 0


def test_the_later_story_derives_from_the_dispatch_by_its_dates(lineage: dedup.Lineage) -> None:
    edges = {e.source: e for e in lineage.sources(seed("004"))}
    assert seed("000") in edges
    edge = edges[seed("000")]
    assert edge.relation is dedup.Relation.PARTIAL_REUSE
    dated = [e for e in edge.evidence if e.kind in (EvidenceKind.DATE, EvidenceKind.RELATIVE_DATE)]
    assert dated and "last month" in dated[0].detail
    assert not lineage.sources(seed("000"))


def test_nothing_is_claimed_about_the_unrelated_story(lineage: dedup.Lineage) -> None:
    assert seed("003") not in {n.id for n in lineage.nodes}


def test_the_copies_have_no_latent_source_when_one_derives_from_the_other(
    lineage: dedup.Lineage,
) -> None:
    assert not [n for n in lineage.nodes if n.latent]
    assert lineage.roots() == tuple(sorted({seed("000"), seed("002")}))
