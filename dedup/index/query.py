"""A query: one document against everything indexed, verified and related as the scan does.

Candidates come from three places: the copy LSH (shingle signatures), the containment samples
(so a short text inside a long one is found whatever their Jaccard) and, when fewer copies than
asked are found, the story LSH (content words). Copies are scored exactly on the stored
shingles (``dedup.verify``); looser candidates are measured as the scan's story tier measures
a pair (``dedup.tiers.pairwise``, with the document frequencies the index keeps) and named by
the scan's rule (``dedup.relations``). Alignment only shows passages (``passages=True``).
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Sequence

import attrs
import numpy as np
import numpy.typing as npt

from dedup.alignment import align_normalized
from dedup.config import ScanConfig
from dedup.features import Features, featurize
from dedup.index.rows import (
    SAMPLE_BITS,
    Tables,
    content_hash,
    frequencies,
    samples,
    shingles_of,
    text_of,
    verification_keys,
    word_keys,
    words_of,
)
from dedup.lsh.sqlite import select_in
from dedup.model import Alignment, Containment, Document, NormalizedText, Relation, ReuseEvidence
from dedup.normalization import normalize
from dedup.relations import RELATIONS, decide
from dedup.tiers.evidence import evidence_of, figures_of
from dedup.tiers.pairwise import Frequencies, pair_evidence, terms_of
from dedup.verify import Overlap, intersection_sizes, overlap_of_sizes, verify_pairs

U32 = npt.NDArray[np.uint32]
U64 = npt.NDArray[np.uint64]
F64 = npt.NDArray[np.float64]
#: What one side of a pair is for the alignment: ``(id, text, normalised text)``.
Side = tuple[str, str, NormalizedText]
#: Documents sharing a containment sample that are looked at, most samples shared first.
_MAX_CONTAINMENT_CANDIDATES = 64
#: Documents whose size is read to tell whether they lie inside the query, most shared samples
#: first, a batch at a time: a boilerplate sample is shared by thousands of documents, and each
#: read costs a page of the documents table (tens of ms for thousands).
_MAX_SIZE_READS = 512
_SIZE_BATCH = 64
#: Documents holding one containment sample beyond which it is boilerplate, not evidence.
_BOILERPLATE_SAMPLE = 256
#: Story candidates, those sharing most content bands, among which the nearest are chosen.
_STORY_POOL = 64


@attrs.frozen
class Match:
    """An indexed document related to the query, with exact scores.

    ``containment.a_in_b`` is the share of the query's shingles found in the match,
    ``containment.b_in_a`` the share of the match's shingles found in the query.
    ``alignment`` (query as A) holds the shared passages when asked for; ``evidence``, what
    the story tier measured of a looser match (as a scan's ``Pair.evidence``).
    """

    doc_id: str
    relation: Relation
    jaccard: float
    containment: Containment
    alignment: Alignment | None = None
    evidence: ReuseEvidence | None = None


@attrs.frozen
class _Candidate:
    row: int
    doc_id: str
    text_key: bytes
    shingles: U32


def find(
    db: sqlite3.Connection,
    tables: Tables,
    config: ScanConfig,
    document: Document,
    *,
    top: int,
    min_containment: float | None,
) -> list[Match]:
    """The matches of ``document`` in the index (unsorted, unlimited), read from ``db``."""
    features = featurize([document.text], config)
    key = features.keys[0]
    if key is None:
        return []
    shingles = verification_keys([features.shingles[0]])[0]
    containment = config.containment_threshold if min_containment is None else min_containment
    rows = set(tables.copies.query(features.signatures[0]).tolist())
    rows |= _sharing_samples(db, shingles, containment)
    itself = _itself(db, document)
    candidates = _candidates(db, rows - itself)
    matches = _copies(candidates, shingles, key.to_bytes(16, "little"), config, min_containment)
    if config.story and len(matches) < top:
        copied = {m.doc_id for m in matches}
        taken = itself | {c.row for c in candidates if c.doc_id in copied}
        near = {c.row for c in candidates if c.doc_id not in copied}
        matches += _related(db, tables, config, features, shingles, taken, near,
                            top - len(matches), bool(itself))
    if min_containment is not None:
        matches = [m for m in matches if _reach(m) >= min_containment]
    return matches


def ranked(matches: Sequence[Match], top: int) -> list[Match]:
    """Copies before looser relations, then the most similar first (by Jaccard or containment,
    whichever is higher), then by id; the first ``top``."""
    order = sorted(matches, key=lambda m: (m.relation not in _COPIES, -_reach(m), m.doc_id))
    return order[:top]


_COPIES = frozenset({Relation.EXACT_DUPLICATE, Relation.NEAR_DUPLICATE, Relation.CONTAINED})


def _reach(match: Match) -> float:
    return max(match.jaccard, match.containment.a_in_b, match.containment.b_in_a)


def _itself(db: sqlite3.Connection, document: Document) -> set[int]:
    """The query's own row, when the same document (id and text) is indexed: not its own match."""
    row = db.execute(
        "SELECT id FROM documents WHERE doc_id = ? AND content_hash = ?",
        (document.id, content_hash(document.text)),
    ).fetchone()
    return set() if row is None else {int(row[0])}


def _sharing_samples(db: sqlite3.Connection, shingles: U32, containment: float) -> set[int]:
    """Documents that may contain the query, or lie inside it, at ``containment`` or more.

    Samples are chosen by value, so a document holding all of the query holds all of its
    samples, and one inside the query has all of its own among the query's. Boilerplate
    samples do not count (``_sample_hits``). The most shared samples first, at most
    ``_MAX_CONTAINMENT_CANDIDATES``.
    """
    probe = samples(shingles).tolist()
    hits, telling = _sample_hits(db, probe)
    if not telling:
        return set()
    # Half the asked containment in the sample estimate: samples of short texts are few.
    need = containment / 2
    # Ties by document id, not by row: answers must not depend on the order of adds.
    names = dict(select_in(db, "SELECT id, doc_id FROM documents WHERE id IN ({marks})",
                           sorted(hits)))  # fmt: skip
    order = sorted(
        ((shared, doc) for doc, shared in hits.items()), key=lambda h: (-h[0], names.get(h[1], ""))
    )
    # Those holding enough of the query's samples come first (the test grows with the count).
    holding = sum(1 for shared, _ in order if shared / telling >= need)
    found = order[:holding]
    rest = order[holding : holding + _MAX_SIZE_READS]
    for start in range(0, len(rest), _SIZE_BATCH):
        if len(found) >= _MAX_CONTAINMENT_CANDIDATES:
            break
        batch = rest[start : start + _SIZE_BATCH]
        sizes = _sizes(db, [doc for _, doc in batch])
        found += [
            (shared, doc) for shared, doc in batch
            if shared / max(sizes[doc] / 2**SAMPLE_BITS, 1.0) >= need
        ]
    return {doc for _, doc in found[:_MAX_CONTAINMENT_CANDIDATES]}


def _sample_hits(db: sqlite3.Connection, probe: list[int]) -> tuple[Counter[int], int]:
    """How many of the query's samples each document holds, and how many samples were looked
    up: those held by more than ``_BOILERPLATE_SAMPLE`` documents are left out (page furniture,
    a wire's standard lines), which says nothing of containment and cost a query tens of ms."""
    hits: Counter[int] = Counter()
    telling = 0
    for value in probe:
        docs = db.execute(
            "SELECT doc FROM samples WHERE hash = ? LIMIT ?", (value, _BOILERPLATE_SAMPLE + 1)
        ).fetchall()
        if len(docs) <= _BOILERPLATE_SAMPLE:
            telling += 1
            hits.update(doc for (doc,) in docs)
    return hits, telling


def _sizes(db: sqlite3.Connection, rows: list[int]) -> dict[int, int]:
    """The shingle count of each document (a page of the documents table each)."""
    query = "SELECT id, shingle_count FROM documents WHERE id IN ({marks})"
    return {int(row): int(size) for row, size in select_in(db, query, sorted(rows))}


def _candidates(db: sqlite3.Connection, rows: set[int]) -> list[_Candidate]:
    query = "SELECT id, doc_id, text_key, shingles FROM documents WHERE id IN ({marks})"
    return [
        _Candidate(int(row), doc_id, bytes(text_key), shingles_of(blob))
        for row, doc_id, text_key, blob in select_in(db, query, sorted(rows))
    ]


def _copies(
    candidates: Sequence[_Candidate],
    shingles: U32,
    key: bytes,
    config: ScanConfig,
    min_containment: float | None,
) -> list[Match]:
    """The candidates that verify as copies by the scan's rules; an asked ``min_containment``
    lowers the containment threshold and lifts the scan's Jaccard floor."""
    if not candidates:
        return []
    containment = config.containment_threshold
    floor = config.min_jaccard
    if min_containment is not None:
        containment, floor = min(containment, min_containment), 0.0
    sets = [shingles, *(c.shingles for c in candidates)]
    pairs = np.array([(0, i) for i in range(1, len(sets))], dtype=np.int64)
    matches = []
    for _, j, relation, score in verify_pairs(pairs, sets, config.threshold, containment, floor):
        candidate = candidates[j - 1]
        if candidate.text_key == key:
            relation = Relation.EXACT_DUPLICATE
        matches.append(_match(candidate.doc_id, relation, score))
    return matches


def _related(
    db: sqlite3.Connection,
    tables: Tables,
    config: ScanConfig,
    features: Features,
    shingles: U32,
    taken: set[int],
    near: set[int],
    wanted: int,
    indexed: bool,
) -> list[Match]:
    """The looser matches (``rewrite``, ``partial-reuse``, ``same-story``; a copy the copy tier
    missed) among the query's nearest story candidates (at most ``wanted``, and the scan's
    ``candidates_per_document``), named by the scan's rule (``relations.decide``) on the
    figures the scan's story tier measures (``tiers.pairwise``), with the index's document
    frequencies plus the query's own unless it is ``indexed``. ``near`` are the copy
    candidates that did not verify as copies."""
    limit = min(wanted, config.stories.candidates_per_document)
    looked = _nearest_stories(db, tables, features.content_signatures[0], taken, near, limit)
    if not looked:
        return []
    query = "SELECT id, doc_id, shingles, words FROM documents WHERE id IN ({marks})"
    found = {row: (doc_id, shingles_of(held), words_of(told))
             for row, doc_id, held, told in select_in(db, query, looked)}
    names = [found[row][0] for row in looked]
    sets = [shingles, *(found[row][1] for row in looked)]
    words = [word_keys(features.content[:1], features.content_positions[:1])[0],
             *(found[row][2] for row in looked)]
    pairs = np.array([(0, j) for j in range(1, len(sets))], dtype=np.int64)
    evidence = pair_evidence(sets, words, pairs, *_frequencies(db, sets, words, indexed),
                             config.stories)
    overlaps = np.stack(intersection_sizes(pairs, sets), axis=1)
    codes = decide(figures_of(evidence, overlaps), config)
    return [
        attrs.evolve(_match(names[k], RELATIONS[codes[k]],
                            overlap_of_sizes(*(int(v) for v in overlaps[k]))),
                     evidence=evidence_of(evidence, k))
        for k in np.flatnonzero(codes >= 0).tolist()
    ]  # fmt: skip


def _frequencies(
    db: sqlite3.Connection, sets: Sequence[U32], words: Sequence[U64], indexed: bool
) -> tuple[Frequencies, Frequencies]:
    """The document frequencies the figures of the query (``sets[0]``, ``words[0]``) against
    its candidates read: of the shingles it shares with them, and of all their content words.
    A query that is not indexed counts as one more document, as in a scan of the index with
    it."""
    shared = [np.intersect1d(sets[0], other, assume_unique=True) for other in sets[1:]]
    prints = np.unique(np.concatenate(shared)).astype(np.uint32)
    terms = np.unique(np.concatenate([terms_of(w) for w in words])).astype(np.uint32)
    own = None if indexed else sets[0]
    told = None if indexed else terms_of(words[0])
    return frequencies(db, "shingle_df", prints, own), frequencies(db, "word_df", terms, told)


def _nearest_stories(
    db: sqlite3.Connection,
    tables: Tables,
    signature: U32,
    taken: set[int],
    near: set[int],
    limit: int,
) -> list[int]:
    """The ``limit`` story candidates most similar to the query by the scan's rule
    : the share of equal content-sketch values (``sketch_similarity``), ties by id.

    The ``near`` misses of the copy tier come first: they share shingles or containment
    samples, verbatim text that may be a passage (a short article inside a long one). Of the
    others only those sharing most content bands are weighed: news shares content words
    widely, so thousands of documents share a band with any article, and the nearest by
    sketch are among those sharing most bands.
    """
    ranked = tables.stories.ranked(signature, _STORY_POOL + len(taken)).tolist()
    pool = sorted(near) + [row for row in ranked if row not in taken and row not in near]
    if not pool:
        return []
    found = tables.stories.signatures(np.asarray(pool, dtype=np.int64))
    rows = list(found)
    names = dict(select_in(db, "SELECT id, doc_id FROM documents WHERE id IN ({marks})", rows))
    similarity = sketch_similarity(np.stack([found[row] for row in rows]), signature).tolist()
    order = sorted(
        zip(rows, similarity, strict=True), key=lambda r: (r[0] not in near, -r[1], names[r[0]])
    )
    return [row for row, _ in order[:limit]]


def sketch_similarity(signatures: U32, signature: U32) -> F64:
    """The share of values of each row of ``signatures`` equal to ``signature``'s: the
    estimated content-word Jaccard by which story candidates are ranked."""
    similarity: F64 = (signatures == signature).mean(axis=1)
    return similarity


def _match(doc_id: str, relation: Relation, score: Overlap) -> Match:
    return Match(doc_id, relation, score.jaccard, score.containment)


def with_passages(
    db: sqlite3.Connection, config: ScanConfig, document: Document, matches: Sequence[Match]
) -> list[Match]:
    """Each match with the passages it shares with the query (query as A)."""
    query: Side = (document.id, document.text, normalize(document.text, config.normalize))
    out = []
    for match in matches:
        text = db.execute(
            "SELECT text FROM documents WHERE doc_id = ?", (match.doc_id,)
        ).fetchone()[0]
        decoded = text_of(text)
        side: Side = (match.doc_id, decoded, normalize(decoded, config.normalize))
        out.append(attrs.evolve(match, alignment=align_normalized(query, side, config.align)))
    return out
