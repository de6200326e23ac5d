"""The lineage graph is a graph a user can trust the shape of, whatever the evidence says."""

from __future__ import annotations

import random
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

import dedup
from dedup.lineage.graph import Candidate, draw
from dedup.model import Family, LineageEdge, Relation

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
DOCS = tuple(
    dedup.Document(p.name, p.read_text(encoding="utf-8")) for p in sorted(SEEDS.glob("*.txt"))
)
NAMES = [f"d{i}" for i in range(7)]
RELATIONS = st.sampled_from(
    [Relation.NEAR_DUPLICATE, Relation.CONTAINED, Relation.EXACT_DUPLICATE, Relation.PARTIAL_REUSE]
)


@st.composite
def candidates(draw_: st.DrawFn) -> list[Candidate]:
    pairs = draw_(st.lists(st.sampled_from([(a, b) for a in NAMES for b in NAMES if a < b]),
                           unique=True, max_size=15))  # fmt: skip
    found = []
    for a, b in pairs:
        source, target = (a, b) if draw_(st.booleans()) else (b, a)
        confidence = draw_(st.floats(0.0, 1.0))
        edge = LineageEdge(source, target, confidence, (), draw_(RELATIONS))
        found.append(Candidate(edge, draw_(st.integers(0, 50)), draw_(st.floats(0.0, 1.0))))
    return found


def families_of(found: list[Candidate]) -> list[Family]:
    """Copy families: the components of the copy edges."""
    parent = {n: n for n in NAMES}

    def root(n: str) -> str:
        while parent[n] != n:
            n = parent[n]
        return n

    for c in found:
        if c.edge.relation is not Relation.PARTIAL_REUSE:
            parent[root(c.edge.source)] = root(c.edge.target)
    groups: dict[str, list[str]] = {}
    for n in NAMES:
        groups.setdefault(root(n), []).append(n)
    return [Family(f"F{i}", tuple(m)) for i, m in enumerate(sorted(groups.values()))]


def is_acyclic(lineage: dedup.Lineage) -> bool:
    children: dict[str, list[str]] = {}
    for e in lineage:
        children.setdefault(e.source, []).append(e.target)
    state: dict[str, int] = {}

    def visit(node: str) -> bool:
        if state.get(node) == 1:
            return False
        if state.get(node) == 2:
            return True
        state[node] = 1
        ok = all(visit(child) for child in children.get(node, ()))
        state[node] = 2
        return ok

    return all(visit(n) for n in list(children))


@settings(deadline=None)
@given(candidates())
def test_the_graph_is_acyclic_with_one_primary_source_per_text(found: list[Candidate]) -> None:
    lineage = draw(found, families_of(found), 0.6, 2)
    assert is_acyclic(lineage)
    primaries = [e.target for e in lineage if e.primary]
    assert len(primaries) == len(set(primaries))
    for edge in lineage:
        if not edge.source.startswith("latent:"):
            assert edge.confidence >= 0.6
    ends = {e.source for e in lineage} | {e.target for e in lineage}
    assert {n.id for n in lineage.nodes} == ends


@settings(deadline=None)
@given(candidates(), st.randoms(use_true_random=False))
def test_the_order_of_the_evidence_does_not_change_the_graph(
    found: list[Candidate], rng: random.Random
) -> None:
    shuffled = found[:]
    rng.shuffle(shuffled)
    families = families_of(found)
    assert draw(shuffled, families, 0.6, 2) == draw(found, families, 0.6, 2)


@settings(max_examples=10, deadline=None)
@given(st.permutations(range(len(DOCS))))
def test_scanning_in_another_order_gives_the_same_lineage(order: list[int]) -> None:
    base = dedup.scan_documents(DOCS).lineage
    assert dedup.scan_documents([DOCS[i] for i in order]).lineage == base


@settings(max_examples=10, deadline=None)
@given(st.lists(st.sampled_from(["orchard", "mulch", "beetle", "tomato", "rain", "hedge"]),
                min_size=5, max_size=60))  # fmt: skip
def test_an_unrelated_document_leaves_the_edges_alone(words: list[str]) -> None:
    base = dedup.scan_documents(DOCS).lineage
    extra = dedup.Document("zzz_unrelated.txt", " ".join(words))
    assert dedup.scan_documents((*DOCS, extra)).lineage == base
