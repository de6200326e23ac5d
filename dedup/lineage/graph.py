"""From scored candidate edges to an acyclic lineage graph with latent sources.

The primary sources are chosen from all the pairwise evidence at once: the maximum spanning
branching (Chu-Liu/Edmonds) of the candidate edges at or above the confidence floor, an edge
weighing its confidence times the share of the target's words the source explains (a text's
parent is the one it was taken from, not a sibling that has only part of it). Edges are added
in the order of their content (the digests of the two texts), so neither the input order nor
the file names change the result. A further edge into a text that has a source is kept as a
secondary source only on strong evidence (``SECONDARY_MIN``), when it is partial reuse from
another copy family (a text that mixes two) and closes no cycle. Copies of one family left
with no source among themselves, two or more of them, hang from a latent source: the text
they were all taken from, missing from the corpus.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

import attrs
import networkx as nx

from dedup.model import (
    COPY_RELATIONS,
    Evidence,
    EvidenceKind,
    Family,
    Lineage,
    LineageEdge,
    LineageNode,
    Relation,
)

#: Ids of latent nodes: this, then the id of the copy family whose source they stand for.
LATENT_PREFIX = "latent:"


#: A second source of a text is drawn only at this confidence or above (contamination is a
#: strong claim: held out on the real corpora, directions at 0.75 and above are right 84 % of
#: the time, docs/lineage.md).
SECONDARY_MIN = 0.75


@attrs.frozen
class Candidate:
    """A scored edge before the graph is drawn; ``undirected`` is the probability that the two
    derive one from the other at all (used for latent sources), ``explained`` the share of the
    target's words the source has, ``key`` what tells the edge apart by content (the texts'
    digests) when everything else ties."""

    edge: LineageEdge
    shared_words: int
    undirected: float
    explained: float = 1.0
    key: tuple[str, str] = ("", "")

    def weight(self) -> float:
        return self.edge.confidence * self.explained

    def order(self) -> tuple[float, int, tuple[str, str], str, str]:
        return (-self.weight(), -self.shared_words, self.key, self.edge.source, self.edge.target)


def draw(
    candidates: Iterable[Candidate],
    families: Sequence[Family],
    min_confidence: float,
    latent_min_roots: int,
) -> Lineage:
    """The lineage graph (see the module doc)."""
    every = sorted(candidates, key=lambda c: c.order())
    ranked = [c for c in every if c.edge.confidence >= min_confidence]
    family_of = {m: f.id for f in families for m in f.members}
    parents: dict[str, list[LineageEdge]] = defaultdict(list)
    for edge in _branching(ranked):
        parents[edge.target].append(edge)
    for candidate in ranked:
        edge = candidate.edge
        known = parents[edge.target]
        if (
            known
            and edge not in known
            and edge.confidence >= SECONDARY_MIN
            and not _reaches(parents, edge.source, edge.target)
            and _secondary(edge, known, family_of)
        ):
            known.append(attrs.evolve(edge, primary=False))
    latent = [
        e
        # Every candidate: the pairs of copies with no confident direction are the evidence
        # of a common source.
        for e in _latent_edges(every, families, parents, latent_min_roots)
        if e.confidence >= min_confidence
    ]
    # A copy's source outranks text it reuses in part: under a latent source, reuse is secondary.
    from_latent = {e.target for e in latent}
    edges = [
        attrs.evolve(e, primary=False) if e.target in from_latent else e
        for target in sorted(parents)
        for e in parents[target]
    ]
    edges += latent
    ordered = tuple(sorted(edges, key=lambda e: (e.target, not e.primary, e.source)))
    return Lineage(_nodes(edges, family_of), ordered)


def _branching(ranked: Sequence[Candidate]) -> list[LineageEdge]:
    """The primary edges: the maximum spanning branching of the candidates (one source per
    text at most, no cycle), the heaviest of parallel edges kept. Nodes and edges are added in
    the candidates' content order, so ties resolve alike whatever the names."""
    graph = nx.DiGraph()
    by_ends: dict[tuple[str, str], LineageEdge] = {}
    for candidate in ranked:
        edge = candidate.edge
        ends = (edge.source, edge.target)
        if ends in by_ends:
            continue
        by_ends[ends] = edge
        # A weightless edge would never be drawn; a tiny floor keeps a confident edge whose
        # source explains none of the target's words (dates alone) in the running.
        graph.add_edge(*ends, weight=max(candidate.weight(), 1e-9))
    chosen = nx.maximum_branching(graph, attr="weight", preserve_attrs=True)
    return [by_ends[ends] for ends in sorted(chosen.edges())]


def _reaches(parents: Mapping[str, list[LineageEdge]], start: str, goal: str) -> bool:
    """Whether ``goal`` is ``start`` or one of its ancestors (an edge goal -> start would
    close a cycle)."""
    seen, stack = set(), [start]
    while stack:
        node = stack.pop()
        if node == goal:
            return True
        if node not in seen:
            seen.add(node)
            stack += [e.source for e in parents.get(node, ())]
    return False


def _secondary(
    edge: LineageEdge, known: Sequence[LineageEdge], family_of: Mapping[str, str]
) -> bool:
    if edge.relation in COPY_RELATIONS or any(k.relation in COPY_RELATIONS for k in known):
        return False
    taken = {family_of.get(k.source, k.source) for k in known}
    return family_of.get(edge.source, edge.source) not in taken


def _latent_edges(
    ranked: Sequence[Candidate],
    families: Sequence[Family],
    parents: Mapping[str, list[LineageEdge]],
    min_roots: int,
) -> list[LineageEdge]:
    """Edges from a latent source to the copies of a family that have no source in it."""
    undirected: dict[frozenset[str], float] = {}
    for candidate in ranked:
        if candidate.edge.relation in COPY_RELATIONS:
            key = frozenset((candidate.edge.source, candidate.edge.target))
            undirected[key] = candidate.undirected
    # Per document, its copy partners: a root's pairs are found without a scan of all of them.
    partners: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for key, p in undirected.items():
        one, other = sorted(key)
        partners[one].append((other, p))
        partners[other].append((one, p))
    edges: list[LineageEdge] = []
    for family in families:
        members = set(family.members)
        roots = sorted(
            m for m in family.members
            if not any(e.source in members for e in parents.get(m, ()))
        )  # fmt: skip
        if len(family.members) < 2 or len(roots) < min_roots:
            continue
        edges += _from_latent(f"{LATENT_PREFIX}{family.id}", roots, partners)
    return edges


def _from_latent(
    latent: str, roots: Sequence[str], partners: Mapping[str, list[tuple[str, float]]]
) -> list[LineageEdge]:
    edges = []
    among = set(roots)
    for root in roots:
        common = [1.0 - p for other, p in partners.get(root, ()) if other in among]
        confidence = sum(common) / len(common) if common else 0.5
        others = len(roots) - 1
        evidence = Evidence(
            EvidenceKind.COMMON_SOURCE,
            f"shares text with {others} other cop{'y' if others == 1 else 'ies'} of the story, "
            "and none of them derives from another",
            0.0,
        )
        edges.append(
            LineageEdge(latent, root, round(confidence, 6), (evidence,), Relation.NEAR_DUPLICATE)
        )
    return edges


def _nodes(edges: Sequence[LineageEdge], family_of: Mapping[str, str]) -> tuple[LineageNode, ...]:
    ids = sorted({e.source for e in edges} | {e.target for e in edges})
    return tuple(
        LineageNode(i, latent=i.startswith(LATENT_PREFIX), family=_family(i, family_of))
        for i in ids
    )


def _family(node: str, family_of: Mapping[str, str]) -> str | None:
    if node.startswith(LATENT_PREFIX):
        return node.removeprefix(LATENT_PREFIX)
    return family_of.get(node)
