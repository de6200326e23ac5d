"""Who copied whom: direction evidence for related pairs, and the lineage graph.

For every copy pair and every partial-reuse pair, the words each text shares with the other
are found (shared word n-grams for copies, the passage alignment for partial reuse) and the
evidence the texts carry is read off (``evidence.py``): publication dates, which text is the
other cut short, which one's extra text is page furniture and additions, page furniture both
carry (a shared innovation), credit lines naming the other's publisher, look-back phrases
("last month"). Two fitted logistic models (``weights.py``) turn it into the probability of
each direction and of a derivation at all; ``graph.py`` draws the acyclic graph with latent
sources.
"""

from __future__ import annotations

import collections
import functools
import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from dedup.cluster import UnionFind
from dedup.config import AlignConfig, LineageConfig, NormalizeConfig
from dedup.lineage.evidence import (
    DIRECTION_FEATURES,
    Features,
    Overlaps,
    Side,
    aligned_by_passages,
    aligned_by_shingles,
    features,
    longest_run,
    word_ngrams,
)
from dedup.lineage.graph import Candidate, draw
from dedup.lineage.siblings import discount_siblings
from dedup.lineage.signals import Paragraph, paragraph_key, signals, split_paragraphs
from dedup.lineage.weights import (
    derivation_factor,
    derivation_probability,
    direction_terms,
    sigmoid,
)
from dedup.model import (
    COPY_RELATIONS,
    Alignment,
    Document,
    Evidence,
    EvidenceKind,
    Family,
    Lineage,
    LineageEdge,
    NormalizedText,
    Pair,
    Relation,
)
from dedup.normalization import normalize_with_starts
from dedup.parallel import Mapper, ordered_map

B = npt.NDArray[np.bool_]

__all__ = ["Side", "boilerplate", "pair_evidence", "pair_features", "score_pair", "side", "trace"]

#: The relations whose pairs get a direction (same-story pairs only from dates and marks of a
#: later version: two write-ups of one event are not copies).
DIRECTED_RELATIONS = COPY_RELATIONS | {
    Relation.PARTIAL_REUSE, Relation.REWRITE, Relation.SAME_STORY
}  # fmt: skip
#: Word n-grams that tell which words of a pair are shared: short enough to find the words a
#: rewrite or a revision keeps between its edits.
EVIDENCE_NGRAM = 3
#: Shared words of a partial-reuse pair count in runs of this many or more: the passages the
#: texts share, without the phrases any two texts on one subject have.
PASSAGE_WORDS = 8
_EVIDENCE_KINDS: Mapping[str, EvidenceKind] = {
    "date": EvidenceKind.DATE,
    "trimmed": EvidenceKind.TRIMMED,
    "additions": EvidenceKind.ADDITIONS,
    "shared-innovation": EvidenceKind.SHARED_INNOVATION,
    "credit-line": EvidenceKind.CREDIT,
    "relative-date": EvidenceKind.RELATIVE_DATE,
    "update-marker": EvidenceKind.UPDATE_MARKER,
    "text-date": EvidenceKind.DATE,
    "growth": EvidenceKind.GROWTH,
}


@attrs.frozen
class _Context:
    """What every pair's evidence needs besides its two texts."""

    align: AlignConfig
    boilerplate: frozenset[str]
    normalize: NormalizeConfig = NormalizeConfig()


@attrs.frozen
class _Work:
    """Connected groups of pairs and their documents: one task for a worker process."""

    pairs: tuple[Pair, ...]
    documents: tuple[Document, ...]
    #: Per document: its paragraphs, when the first pass kept them.
    paragraphs: tuple[tuple[Paragraph, ...] | None, ...]


#: Pairs per task: groups are small (a story and its copies), a task holds several.
_PAIRS_PER_TASK = 64


def trace(
    pairs: Sequence[Pair],
    families: Sequence[Family],
    document: Callable[[str], Document],
    config: LineageConfig,
    align_config: AlignConfig,
    ngram: int,
    normalize_config: NormalizeConfig = NormalizeConfig(),
    jobs: int = 1,
    mapper: Mapper | None = None,
) -> Lineage:
    """The lineage graph of the copy, rewrite, partial-reuse and same-story ``pairs``;
    ``document(id)`` gives a document, ``normalize_config`` is the scan's normaliser; ``jobs``
    worker processes read the evidence (the graph does not depend on it). ``ngram``, the
    scan's shingle size, is not used: the evidence reads shared words by its own shorter
    n-grams (``EVIDENCE_NGRAM``), which find the words a rewrite keeps between its edits.

    Documents are read in two passes: one over the texts for the furniture that many stories
    carry (boilerplate), then one connected group of pairs at a time, whose documents'
    evidence is dropped before the next. The first pass keeps the documents it read up to
    ``_KEPT_CHARACTERS`` of text, so that most corpora are read once; beyond, the second pass
    reads them again.
    """
    directed = nearest_pairs(pairs, config.max_partners)
    family_of = {m: f.id for f in families for m in f.members}
    ids = sorted({p.a for p in directed} | {p.b for p in directed})
    # ``mapper``: the work done elsewhere (the Dask backend's workers).
    spread = mapper or functools.partial(_local_map, jobs=jobs)
    here = mapper is None and jobs <= 1
    kept = _Kept(document, _KEPT_CHARACTERS)
    found = _in_two_families(_cued_keys(ids, kept, spread, here), family_of)
    context = _Context(align_config, found, normalize_config)
    work = _works(_connected_groups(directed), kept.take)
    per_task = spread(functools.partial(_candidates, context=context), work)
    candidates = [candidate for task in per_task for candidate in task]
    return draw(candidates, families, config.min_confidence, config.latent_min_roots)


#: Characters of text the first pass keeps for the second (about 128 MB of text).
_KEPT_CHARACTERS = 1 << 27


def _local_map(
    function: Callable[[Any], Any], items: Iterable[Any], jobs: int
) -> Iterator[Any]:
    """``ordered_map`` in a ``Mapper``'s shape: this process, or ``jobs`` local ones."""
    return ordered_map(function, items, jobs)


#: Texts per task of the first pass when it is spread over processes.
_TEXTS_PER_TASK = 256


def _cued_keys(
    ids: Sequence[str],
    kept: _Kept,
    spread: Callable[[Callable[[Any], Any], Iterable[Any]], Iterator[Any]],
    here: bool,
) -> Iterator[tuple[str, list[str]]]:
    """Each document's cued furniture keys: read here, keeping its paragraphs for the second
    pass; or, when the work is spread, by the workers, in tasks of texts (sending paragraphs
    back and forth would cost the parent more than the workers' finding them again)."""
    if here:
        for doc_id in ids:
            doc = kept.read(doc_id)
            paragraphs = split_paragraphs(doc.text)
            kept.keep_paragraphs(doc_id, paragraphs)
            yield doc_id, _keys(doc.text, paragraphs)
        return
    tasks = (
        tuple((doc_id, kept.read(doc_id).text) for doc_id in ids[start : start + _TEXTS_PER_TASK])
        for start in range(0, len(ids), _TEXTS_PER_TASK)
    )
    for found in spread(_keys_of_texts, tasks):
        yield from found


def _keys_of_texts(texts: tuple[tuple[str, str], ...]) -> list[tuple[str, list[str]]]:
    """The cued furniture keys of each ``(id, text)`` (run in a worker)."""
    return [(doc_id, _keys(text, split_paragraphs(text))) for doc_id, text in texts]


def _keys(text: str, paragraphs: tuple[Paragraph, ...]) -> list[str]:
    """The ``paragraph_key`` of each paragraph that opens with a furniture cue."""
    return [paragraph_key(text, para) for para in paragraphs if para.cued]


class _Kept:
    """A document reader for the two passes: the first reads each document and keeps it (and
    its paragraphs, when they were found here), up to a number of characters of text, until
    the second takes them."""

    def __init__(self, document: Callable[[str], Document], budget: int) -> None:
        self._document = document
        self._budget = budget
        self._kept: dict[str, tuple[Document, tuple[Paragraph, ...] | None]] = {}

    def read(self, doc_id: str) -> Document:
        """The document, kept for the second pass while the budget lasts."""
        doc = self._document(doc_id)
        if len(doc.text) <= self._budget:
            self._kept[doc_id] = doc, None
            self._budget -= len(doc.text)
        return doc

    def keep_paragraphs(self, doc_id: str, paragraphs: tuple[Paragraph, ...]) -> None:
        """Keep a kept document's paragraphs too."""
        if doc_id in self._kept:
            self._kept[doc_id] = self._kept[doc_id][0], paragraphs

    def take(self, doc_id: str) -> tuple[Document, tuple[Paragraph, ...] | None]:
        """The document, read again unless kept (and then no longer kept), with its
        paragraphs if kept."""
        kept = self._kept.pop(doc_id, None)
        return kept if kept is not None else (self._document(doc_id), None)


def _works(
    groups: Iterable[list[Pair]],
    document: Callable[[str], tuple[Document, tuple[Paragraph, ...] | None]],
) -> Iterator[_Work]:
    """Groups gathered into tasks of about ``_PAIRS_PER_TASK`` pairs, with their documents."""
    pending: list[Pair] = []
    for group in groups:
        pending += group
        if len(pending) >= _PAIRS_PER_TASK:
            yield _work(pending, document)
            pending = []
    if pending:
        yield _work(pending, document)


def _work(
    pairs: list[Pair], document: Callable[[str], tuple[Document, tuple[Paragraph, ...] | None]]
) -> _Work:
    members = sorted({p.a for p in pairs} | {p.b for p in pairs})
    read = [document(doc_id) for doc_id in members]
    return _Work(tuple(pairs), tuple(doc for doc, _ in read), tuple(p for _, p in read))


def _candidates(work: _Work, context: _Context) -> list[Candidate]:
    """The candidate edge of each pair of a task (run in a worker process)."""
    sides = {
        doc.id: _side(doc, context.normalize, paragraphs)
        for doc, paragraphs in zip(work.documents, work.paragraphs, strict=True)
    }
    overlaps = Overlaps(sides, EVIDENCE_NGRAM)
    found = [
        _candidate(pair, sides[pair.a], sides[pair.b], context, overlaps)[0]
        for pair in work.pairs
    ]
    return discount_siblings(found, sides, EVIDENCE_NGRAM, overlaps.of)


def _in_two_families(
    cued: Iterable[tuple[str, Iterable[str]]], family_of: Mapping[str, str]
) -> frozenset[str]:
    """The keys (``cued``: each document's) found in two or more copy families."""
    seen: dict[str, set[str]] = collections.defaultdict(set)
    for doc_id, keys in cued:
        for key in keys:
            seen[key].add(family_of.get(doc_id, doc_id))
    return frozenset(key for key, found in seen.items() if len(found) >= 2)


def _side(
    doc: Document, config: NormalizeConfig, paragraphs: tuple[Paragraph, ...] | None
) -> Side:
    normal, starts = normalize_with_starts(doc.text, config)
    return side(doc, normal, EVIDENCE_NGRAM, starts, paragraphs)


def _connected_groups(pairs: Sequence[Pair]) -> list[list[Pair]]:
    """The pairs split by connected component of the documents they link, in first-seen order."""
    index: dict[str, int] = {}
    for pair in pairs:
        index.setdefault(pair.a, len(index))
        index.setdefault(pair.b, len(index))
    components = UnionFind(len(index))
    for pair in pairs:
        components.union(index[pair.a], index[pair.b])
    groups: dict[int, list[Pair]] = {}
    for pair in pairs:
        groups.setdefault(components.find(index[pair.a]), []).append(pair)
    return list(groups.values())


def nearest_pairs(pairs: Sequence[Pair], partners: int) -> list[Pair]:
    """The copy pairs among each document's ``partners`` most similar copies (by Jaccard, then
    id), and every rewrite, partial-reuse and same-story pair: a copy's source is among its
    nearest copies, and a story with a hundred copies must not cost five thousand
    comparisons."""
    copies = sorted(
        (p for p in pairs if p.relation in COPY_RELATIONS), key=lambda p: (-p.jaccard, p.a, p.b)
    )
    taken: collections.Counter[str] = collections.Counter()
    kept = []
    for pair in copies:
        if taken[pair.a] < partners or taken[pair.b] < partners:
            kept.append(pair)
        taken[pair.a] += 1
        taken[pair.b] += 1
    return kept + [
        p for p in pairs if p.relation in DIRECTED_RELATIONS and p.relation not in COPY_RELATIONS
    ]


def pair_features(
    a: Side, b: Side, ngram: int = EVIDENCE_NGRAM, found_boilerplate: frozenset[str] = frozenset()
) -> Features:
    """The copy evidence for a -> b (``benchmarks/lineage_eval.py`` fits the weights on it)."""
    return features(a, b, aligned_by_shingles(a, b, ngram), found_boilerplate)


def side(
    doc: Document,
    normal: NormalizedText,
    ngram: int = EVIDENCE_NGRAM,
    starts: npt.NDArray[np.int64] | None = None,
    paragraphs: tuple[Paragraph, ...] | None = None,
) -> Side:
    """A document as the evidence reads it (``ngram``: the word n-grams that tell which words
    a pair shares; ``starts``: the start offsets of ``normal``'s tokens, and ``paragraphs``,
    ``split_paragraphs`` of its text, when known)."""
    ngrams = word_ngrams(normal, ngram)
    found = signals(doc, normal, starts, paragraphs)
    return Side(doc.id, doc.text, normal, found, ngrams, np.unique(ngrams))


def boilerplate(sides: Iterable[Side], family_of: Mapping[str, str]) -> frozenset[str]:
    """Cued furniture paragraphs found in two or more copy families: a site's or a template's,
    not one publisher's insertion into one story."""
    return _in_two_families(
        ((one.id, [k for k in one.signals.cued_keys if k]) for one in sides), family_of
    )


def _candidate(
    pair: Pair, a: Side, b: Side, context: _Context, overlaps: Overlaps
) -> tuple[Candidate, Features]:
    """A pair's candidate edge from the words the two texts share: for partial reuse, those
    of the passages they share (no alignment: that is for showing passages, not judging)."""
    passage = pair.relation is Relation.PARTIAL_REUSE
    aligned = overlaps.passages(a.id, b.id, PASSAGE_WORDS) if passage else overlaps.pair(a.id, b.id)
    return _scored(a, b, pair.relation, aligned, passage, context.boilerplate)


def pair_evidence(
    a: Side,
    b: Side,
    relation: Relation = Relation.REWRITE,
    alignment: Alignment | None = None,
    found_boilerplate: frozenset[str] = frozenset(),
) -> Features:
    """The direction evidence for a -> b that a pair of this ``relation`` admits: all of it
    for copies and rewrites (word n-grams of ``EVIDENCE_NGRAM`` tell the shared words); for
    partial reuse (words of the aligned passages, ``alignment``) and same-story pairs only the
    evidence that holds between texts written apart (dates, marks of a later version,
    look-back phrases)."""
    return _evidence_of(a, b, relation, _aligned(a, b, alignment), found_boilerplate)


def _aligned(a: Side, b: Side, alignment: Alignment | None) -> tuple[B, B]:
    """The shared words of each side: those of the aligned passages, else of shared n-grams."""
    if alignment is not None:
        return aligned_by_passages(alignment, len(a.normal.tokens), len(b.normal.tokens))
    return aligned_by_shingles(a, b, EVIDENCE_NGRAM)


def _evidence_of(
    a: Side, b: Side, relation: Relation, aligned: tuple[B, B], found_boilerplate: frozenset[str]
) -> Features:
    """``pair_evidence`` from the words each side shares (``aligned``)."""
    found = features(a, b, aligned, found_boilerplate)
    if relation in COPY_RELATIONS or relation is Relation.REWRITE:
        # Look-back phrases speak only between texts written apart; in a copy or a revision
        # they are carried over, and the one left outside the shared text is in a cut ending.
        return attrs.evolve(found, retrospective=0.0)
    if relation in (Relation.PARTIAL_REUSE, Relation.SAME_STORY):
        return _only_written_apart(found)
    return found


def score_pair(
    a: Side,
    b: Side,
    relation: Relation,
    alignment: Alignment | None = None,
    found_boilerplate: frozenset[str] = frozenset(),
    beta: npt.NDArray[np.float64] | None = None,
) -> Candidate:
    """The candidate edge of a related pair: its likelier direction, with the probability of
    that direction (times, for copies, that of a derivation rather than a common source) and
    the evidence; ``beta`` overrides the fitted direction weights (for validation)."""
    aligned = _aligned(a, b, alignment)
    return _scored(a, b, relation, aligned, alignment is not None, found_boilerplate, beta)[0]


def _scored(
    a: Side,
    b: Side,
    relation: Relation,
    aligned: tuple[B, B],
    passage: bool,
    found_boilerplate: frozenset[str],
    beta: npt.NDArray[np.float64] | None = None,
) -> tuple[Candidate, Features]:
    """``score_pair`` from the words each side shares (``aligned``; ``passage``: those of the
    shared passages only, whose longest tells how much of the target the source explains)."""
    found = _evidence_of(a, b, relation, aligned, found_boilerplate)
    derived = derivation_probability(found) if relation in COPY_RELATIONS else 1.0
    factor = derivation_factor(found) if relation in COPY_RELATIONS else 1.0
    terms = direction_terms(found, beta)
    forward = sigmoid(float(terms.sum()))  # direction_probability, its terms kept for the report
    # Without evidence either way the edge is a coin's toss, oriented by content, not by name.
    a_first = forward > 0.5 or (forward == 0.5 and digest(a.text) <= digest(b.text))
    source, target, p = (a, b, forward) if a_first else (b, a, 1.0 - forward)
    edge = LineageEdge(
        source=source.id,
        target=target.id,
        confidence=round(p * factor, 6),
        evidence=_evidence(found, terms if source is a else -terms),
        relation=relation,
    )
    # The parent of a text is the one that explains most of it: its share of the target's story
    # words, furniture aside (for partial reuse, the words of the longest shared passage).
    story = target.signals.story_mask
    in_target = aligned[1] if source is a else aligned[0]
    shared = longest_run(in_target) if passage else int(np.count_nonzero(in_target & story))
    explained = min(1.0, shared / max(1, target.signals.story_words))
    return Candidate(edge, shared, derived, explained, _content_key(source, target)), found


def _content_key(source: Side, target: Side) -> tuple[str, str]:
    """The two texts' digests: ties between edges are broken by content, never by name."""
    return digest(source.text), digest(target.text)


@functools.lru_cache(maxsize=4096)
def digest(text: str) -> str:
    """A text's content key (kept for recent texts: every pair of a group asks for it)."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=12).hexdigest()


def _only_written_apart(found: Features) -> Features:
    """The evidence that holds between texts written apart: dates, marks of a later version
    and look-back phrases."""
    return attrs.evolve(
        found, trimmed=0.0, additions=0.0, shared_innovation=0.0, credit=0.0, growth=0.0
    )


def _evidence(found: Features, terms: npt.NDArray[np.float64]) -> tuple[Evidence, ...]:
    """The non-zero ``terms`` (each feature's, for the chosen direction), strongest first."""
    return tuple(
        sorted(
            (
                Evidence(_EVIDENCE_KINDS[name], found.details.get(name, ""), round(value, 4))
                for name, value in zip(DIRECTION_FEATURES, terms.tolist(), strict=True)
                if abs(value) >= 0.01
            ),
            key=lambda e: -abs(e.weight),
        )
    )
