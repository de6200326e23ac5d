"""The tier below copies: ``rewrite``, ``partial-reuse``, ``same-story``, story families and the
boilerplate set aside, found from fingerprints every document yields once.

Each copy family is one *unit*, represented by its fullest member. Units are paired through
the non-boilerplate word shingles (verbatim reuse) and the rare content words they share
(``postings``, ``evidence``): every pair that shares anything is known with its figures, with no
per-document candidate cap and no alignment, so a pair's relation does not depend on which
other documents were scanned with it. ``dedup.relations`` names each pair's relation; a pair
that meets the copy rule is a copy whichever tier found it. Story families are cohesive groups
(``families``); the boilerplate is reported (``boilerplate``). Alignment runs only to show
passages (``dedup diff``, ``--passages``, the HTML report).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence

import attrs
import numpy as np
import numpy.typing as npt

from dedup.cluster import UnionFind
from dedup.config import ScanConfig
from dedup.model import Boilerplate, NormalizedText, Relation, ReuseEvidence
from dedup.relations import RELATIONS, decide, passage_shingles
from dedup.tiers.boilerplate import boilerplate_passages
from dedup.tiers.evidence import UnitPairs, evidence_of, figures_of, unit_pairs
from dedup.tiers.families import CoverTable, story_groups
from dedup.tiers.postings import Postings
from dedup.tiers.words import WordSets, WordStore
from dedup.verify import Overlap, ShingleSets, intersection_sizes, overlap_of_sizes

__all__ = ["LooserPair", "TierResult", "WordSets", "WordStore", "looser_tier"]

I64 = npt.NDArray[np.int64]

#: The relations that tie copy families into one story family.
_STORY_LINKS = frozenset({Relation.REWRITE, Relation.SAME_STORY})


@attrs.frozen
class LooserPair:
    """A related pair of documents (indices) found by the tier, with its scores."""

    a: int
    b: int
    relation: Relation
    score: Overlap
    evidence: ReuseEvidence


@attrs.frozen
class TierResult:
    """The tier's pairs (copies it found too, and the looser relations), the story families
    as groups of document indices with their cohesion, and the boilerplate it set aside."""

    pairs: tuple[LooserPair, ...]
    stories: tuple[tuple[tuple[int, ...], float], ...]
    boilerplate: tuple[Boilerplate, ...]


def looser_tier(
    ids: Sequence[str],
    shingles: ShingleSets,
    words: WordSets,
    copy_edges: Sequence[tuple[int, int]],
    config: ScanConfig,
    normalised: Callable[[int], NormalizedText],
) -> TierResult:
    """The tier over documents ``0..len(ids)-1`` whose copy pairs are ``copy_edges``."""
    # Families, and their members, in the order of their ids, not of the input: which member
    # pairs stand for two families (``pairs_per_families``) must not follow the input order.
    members = sorted(
        (sorted(group, key=ids.__getitem__) for group in _copy_families(len(ids), copy_edges)),
        key=lambda group: ids[group[0]],
    )
    units = [_fullest(group, shingles, ids) for group in members]
    stories = config.stories
    lowest = min(stories.story_cover, stories.rewrite_cover, stories.family_cover)
    found, verbatim = unit_pairs(shingles, words, units, stories.shingle_cap, stories.word_cap,
                                 stories.rewrite_cover, keep_cover=lowest / 2)
    boiler = _boilerplate_held(verbatim, stories.shingle_cap)
    pairs = _related(found, members, units, shingles, boiler, config)
    unit_of = {doc: u for u, group in enumerate(members) for doc in group}
    links = [(unit_of[p.a], unit_of[p.b]) for p in pairs if p.relation in _STORY_LINKS]
    groups = story_groups(links, _covers(found, len(units)), stories.family_cover)
    story_families = tuple(
        (tuple(sorted(d for u in group for d in members[u])), cohesion)
        for group, cohesion in groups
    )
    shown = stories.boilerplate_shown if config.sketch.shingle.kind == "word" else 0
    boilerplate = boilerplate_passages(
        verbatim, stories.shingle_cap, shown, units, ids, normalised, config.sketch.shingle.size
    )
    return TierResult(tuple(pairs), story_families, boilerplate)


def _copy_families(count: int, edges: Sequence[tuple[int, int]]) -> list[list[int]]:
    """The copy families as lists of document indices (singletons included)."""
    groups = UnionFind(count)
    for a, b in edges:
        groups.union(a, b)
    found: dict[int, list[int]] = {}
    for doc in range(count):
        found.setdefault(groups.find(doc), []).append(doc)
    return list(found.values())


def _fullest(group: list[int], shingles: ShingleSets, ids: Sequence[str]) -> int:
    """The member with the most shingles (ties: the smallest id) stands for its family."""
    return min(group, key=lambda d: (-shingles[d].size, ids[d]))


def _boilerplate_held(verbatim: Postings, cap: int) -> I64:
    """How many boilerplate shingles each unit holds."""
    heavy = np.repeat(verbatim.df > cap, verbatim.df)
    held: I64 = np.bincount(verbatim.holders[heavy], minlength=verbatim.units)
    return held


def _covers(found: UnitPairs, units: int) -> CoverTable:
    return CoverTable(found.a * units + found.b, found.cover, units)


def _related(
    found: UnitPairs,
    members: list[list[int]],
    units: Sequence[int],
    shingles: ShingleSets,
    boiler: I64,
    config: ScanConfig,
) -> list[LooserPair]:
    """The unit pairs that meet a relation, as pairs of their documents (at most
    ``pairs_per_families`` per pair of copy families, the first by id), each scored exactly on
    its shingles and named by ``relations.decide`` with its units' evidence."""
    unit_docs = np.asarray(units, dtype=np.int64)
    sizes = np.fromiter((shingles[u].size for u in units), np.int64, len(units))
    # Exact overlap only where the copy rule could hold: the non-boilerplate shared shingles
    # plus all the boilerplate the smaller side holds reach its containment threshold.
    bound = found.shared_shingles + np.minimum(boiler[found.a], boiler[found.b])
    scored = bound >= config.containment_threshold * np.minimum(sizes[found.a], sizes[found.b])
    stories = config.stories
    looser = (found.shared_shingles >= passage_shingles(config)) | (
        found.cover >= min(stories.story_cover, stories.rewrite_cover)
    )
    could = np.flatnonzero(scored | looser)
    pairs = np.stack([unit_docs[found.a[could]], unit_docs[found.b[could]]], 1)
    overlap = _overlaps(pairs, shingles, scored[could])
    related = could[decide(figures_of(found, overlap, could), config) >= 0]
    docs, owner = _member_pairs(found, related, members, config.stories.pairs_per_families)
    exact = _overlaps(docs, shingles, np.ones(len(docs), dtype=bool))
    codes = decide(figures_of(found, exact, owner), config)
    return [
        LooserPair(int(docs[k, 0]), int(docs[k, 1]), RELATIONS[codes[k]],
                   overlap_of_sizes(*(int(v) for v in exact[k])), evidence_of(found, int(owner[k])))
        for k in np.flatnonzero(codes >= 0).tolist()
    ]  # fmt: skip


def _overlaps(docs: I64, shingles: ShingleSets, wanted: npt.NDArray[np.bool_]) -> I64:
    """Rows ``(shared, size_a, size_b)`` of each pair of documents; zeros where not wanted."""
    table = np.zeros((len(docs), 3), dtype=np.int64)
    where = np.flatnonzero(wanted)
    if where.size:
        table[where] = np.stack(intersection_sizes(docs[where], shingles), axis=1)
    return table


def _member_pairs(
    found: UnitPairs, related: I64, members: list[list[int]], cap: int
) -> tuple[I64, I64]:
    """Document pairs of the related unit pairs (at most ``cap`` each, the first by id), and
    each one's unit pair."""
    docs: list[tuple[int, int]] = []
    owner: list[int] = []
    for index in related.tolist():
        group_a, group_b = members[int(found.a[index])], members[int(found.b[index])]
        for pair in itertools.islice(itertools.product(group_a, group_b), cap):
            docs.append(pair)
            owner.append(index)
    return np.array(docs, dtype=np.int64).reshape(-1, 2), np.array(owner, dtype=np.int64)
