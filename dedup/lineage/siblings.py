"""Siblings are not parents: an edge u -> v whose shared words another text explains better.

When u and v were both taken from w (two students' answers cut from one article, two outlets'
copies of one wire), u shares with v only words that w has too, and w has more of v. The
pairwise evidence may still point u -> v (the shorter text looks the later), but u adds
nothing to v's history that w does not: the claim that u is v's source rests on words w
explains. Each such edge's confidence is scaled by the share of what u explains in v that the
better-explaining text lacks (the stemmatic rule: only shared innovations, readings a
witness has and its other possible exemplars lack, show descent).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence

import attrs
import numpy as np
import numpy.typing as npt

from dedup.lineage.evidence import Side, aligned_by_shingles
from dedup.lineage.graph import Candidate
from dedup.model import Evidence, EvidenceKind, Relation

B = npt.NDArray[np.bool_]
#: A text explains v "better" than u only with this many more of v's words (at least
#: ``_MARGIN_WORDS``): a few words matched by chance are no evidence.
_MARGIN_SHARE = 0.02
_MARGIN_WORDS = 3


def discount_siblings(
    candidates: Sequence[Candidate],
    sides: Mapping[str, Side],
    ngram: int,
    shared: Callable[[str, str], B] | None = None,
) -> list[Candidate]:
    """``candidates`` with the confidence of each sibling edge scaled down (see the module
    doc); partial reuse (a passage, not a whole text) is left alone and explains nothing.
    ``shared(of, by)``, when given, gives the words of ``of`` in an n-gram ``by`` has (the
    masks the pairs' evidence already found)."""
    whole = [c for c in candidates if c.edge.relation is not Relation.PARTIAL_REUSE]
    neighbours: dict[str, set[str]] = defaultdict(set)
    for candidate in whole:
        neighbours[candidate.edge.source].add(candidate.edge.target)
        neighbours[candidate.edge.target].add(candidate.edge.source)
    covered: dict[tuple[str, str], B] = {}

    def mask(by: str, of: str) -> B:
        """The story words of ``of`` (furniture aside: a page's template is no descent) inside
        an n-gram that ``by`` has."""
        if (by, of) not in covered:
            if shared is not None:
                words = shared(of, by)
            else:
                words = aligned_by_shingles(sides[of], sides[by], ngram)[0]
            covered[(by, of)] = words & sides[of].signals.story_mask
        return covered[(by, of)]

    found = []
    for candidate in candidates:
        if candidate.edge.relation is Relation.PARTIAL_REUSE:
            found.append(candidate)
            continue
        source, target = candidate.edge.source, candidate.edge.target
        others = sorted(neighbours[target] - {source})
        found.append(
            _discounted(candidate, mask(source, target), {w: mask(w, target) for w in others})
        )
    return found


def _discounted(candidate: Candidate, own: B, others: Mapping[str, B]) -> Candidate:
    """The candidate scaled by 1 - (the largest share of its explained words that a text
    explaining clearly more of the target also has)."""
    explained = int(own.sum())
    margin = max(_MARGIN_WORDS, _MARGIN_SHARE * own.size)
    worst, by = 0.0, ""
    for other, theirs in others.items():
        if int(theirs.sum()) >= explained + margin:
            overlap = int((own & theirs).sum()) / max(1, explained)
            if overlap > worst:
                worst, by = overlap, other
    if not by:
        return candidate
    edge = candidate.edge
    evidence = Evidence(
        EvidenceKind.COMMON_SOURCE,
        f"{by} has more of {edge.target}, and {worst:.0%} of what {edge.source} shares with it",
        round(float(np.log(max(1e-6, 1.0 - worst))), 4),
    )
    scaled = attrs.evolve(
        edge,
        confidence=round(edge.confidence * (1.0 - worst), 6),
        evidence=(*edge.evidence, evidence),
    )
    return attrs.evolve(candidate, edge=scaled)
