"""Names never decide lineage: renamed and shuffled inputs give the same graph up to the
renaming, and every direction feature is antisymmetric by construction."""

from __future__ import annotations

import itertools
import random
from pathlib import Path

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

import dedup
from dedup.lineage import pair_evidence, side
from dedup.lineage.graph import Candidate, draw
from dedup.model import Family, Lineage, LineageEdge, Relation

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
DOCS = tuple(
    dedup.Document(p.name, p.read_text(encoding="utf-8")) for p in sorted(SEEDS.glob("*.txt"))
)
NAMES = [f"d{i}" for i in range(6)]
RELATIONS = st.sampled_from([Relation.NEAR_DUPLICATE, Relation.REWRITE, Relation.PARTIAL_REUSE])


def shape(lineage: Lineage, name_of: dict[str, str]) -> set[tuple[str, str, float, str, bool]]:
    """The edges with every document named through ``name_of`` (a latent node by the sorted
    names of its children: its own id carries a family id)."""
    children: dict[str, list[str]] = {}
    for e in lineage:
        children.setdefault(e.source, []).append(name_of.get(e.target, e.target))

    def named(node: str) -> str:
        if node.startswith("latent:"):
            return "latent:" + ",".join(sorted(children[node]))
        return name_of[node]

    return {
        (named(e.source), named(e.target), e.confidence, e.relation.value, e.primary)
        for e in lineage
    }


@st.composite
def candidates(draw_: st.DrawFn) -> list[Candidate]:
    """Scored edges between documents whose content (``key``) is one per name, with many ties
    in confidence."""
    pairs = draw_(st.lists(st.sampled_from(list(itertools.combinations(NAMES, 2))),
                           unique=True, max_size=12))  # fmt: skip
    found = []
    for a, b in pairs:
        source, target = (a, b) if draw_(st.booleans()) else (b, a)
        confidence = draw_(st.sampled_from([0.5, 0.7, 0.9, 1.0]))
        edge = LineageEdge(source, target, confidence, (), draw_(RELATIONS))
        explained = draw_(st.sampled_from([0.5, 1.0]))
        key = (f"text of {source}", f"text of {target}")
        found.append(Candidate(edge, 10, draw_(st.sampled_from([0.3, 1.0])), explained, key))
    return found


def renamed(found: list[Candidate], name_of: dict[str, str]) -> list[Candidate]:
    """The same candidates under new names (their content keys unchanged)."""

    def one(c: Candidate) -> Candidate:
        ends = {"source": name_of[c.edge.source], "target": name_of[c.edge.target]}
        return attrs.evolve(c, edge=attrs.evolve(c.edge, **ends))

    return [one(c) for c in found]


def one_family(names: list[str]) -> list[Family]:
    return [Family("F", tuple(sorted(names)))]


@settings(deadline=None, max_examples=200)
@given(candidates(), st.randoms(use_true_random=False))
def test_renaming_and_shuffling_the_evidence_renames_the_graph(
    found: list[Candidate], rng: random.Random
) -> None:
    new_names = [f"z{i}" for i in range(len(NAMES))]
    rng.shuffle(new_names)
    name_of = dict(zip(NAMES, new_names, strict=True))
    moved = renamed(found, name_of)
    rng.shuffle(moved)
    base = draw(found, one_family(NAMES), 0.6, 2)
    again = draw(moved, one_family(new_names), 0.6, 2)
    identity = {n: n for n in new_names}
    assert shape(base, name_of) == shape(again, identity)


@settings(max_examples=6, deadline=None)
@given(st.permutations(range(len(DOCS))), st.randoms(use_true_random=False))
def test_renamed_and_shuffled_files_give_the_same_lineage_up_to_the_names(
    order: list[int], rng: random.Random
) -> None:
    base = dedup.scan_documents(DOCS).lineage
    fresh = [f"{rng.randrange(10**6):06d}_{i}.txt" for i in range(len(DOCS))]
    name_of = {DOCS[i].id: fresh[i] for i in range(len(DOCS))}
    moved = [dedup.Document(fresh[i], DOCS[i].text) for i in order]
    again = dedup.scan_documents(moved).lineage
    assert shape(base, name_of) == shape(again, {n: n for n in fresh})


def test_every_direction_feature_changes_sign_with_the_pair() -> None:
    sides = [side(d, dedup.normalize(d.text)) for d in DOCS]
    for a, b in itertools.permutations(sides, 2):
        for relation in (Relation.NEAR_DUPLICATE, Relation.REWRITE, Relation.SAME_STORY):
            forward = pair_evidence(a, b, relation).direction()
            backward = pair_evidence(b, a, relation).direction()
            assert (forward == -backward).all(), (a.id, b.id, relation)
