"""A query: one document against everything indexed, verified and related as the scan does.

Candidates come from three places: the copy LSH (shingle signatures), the containment samples
(so a short text inside a long one is found whatever their Jaccard) and, when fewer copies than
asked are found, the story LSH (content words). Copies are scored exactly on the stored
shingles (``dedup.verify``); looser pairs are related by alignment (``dedup.story``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

import attrs
import numpy as np
import numpy.typing as npt

from dedup.align import align_normalized
from dedup.config import ScanConfig
from dedup.features import Features, featurize
from dedup.index.rows import (
    SAMPLE_BITS,
    Tables,
    content_hash,
    samples,
    shingles_of,
    text_of,
    verification_keys,
)
from dedup.lsh.sqlite import select_in
from dedup.model import Alignment, Containment, Document, Relation
from dedup.normalize import normalize
from dedup.story import Side, content_terms, verify_candidates
from dedup.verify import Overlap, overlap, verify_pairs

U32 = npt.NDArray[np.uint32]
#: Documents sharing a containment sample that are looked at, most samples shared first.
_MAX_CONTAINMENT_CANDIDATES = 64


@attrs.frozen
class Match:
    """An indexed document related to the query, with exact scores.

    ``containment.a_in_b`` is the share of the query's shingles found in the match,
    ``containment.b_in_a`` the share of the match's shingles found in the query.
    ``alignment`` (query as A) holds the shared passages when asked for.
    """

    doc_id: str
    relation: Relation
    jaccard: float
    containment: Containment
    alignment: Alignment | None = None


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
        taken = itself | {c.row for c in candidates if c.doc_id in {m.doc_id for m in matches}}
        matches += _related(db, tables, config, document, features, taken, top - len(matches))
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
    samples, and one inside the query has all of its own among the query's.
    """
    probe = samples(shingles).tolist()
    if not probe:
        return set()
    marks = ",".join("?" * len(probe))
    hits = db.execute(
        f"SELECT s.doc, count(*), d.shingle_count FROM samples s JOIN documents d "
        f"ON d.id = s.doc WHERE s.hash IN ({marks}) GROUP BY s.doc",
        probe,
    ).fetchall()
    # Half the asked containment in the sample estimate: samples of short texts are few.
    need = containment / 2
    found = [
        (shared, doc) for doc, shared, size in hits
        if shared / len(probe) >= need or shared / max(size / 2**SAMPLE_BITS, 1.0) >= need
    ]
    found.sort(reverse=True)
    return {doc for _, doc in found[:_MAX_CONTAINMENT_CANDIDATES]}


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
    document: Document,
    features: Features,
    taken: set[int],
    wanted: int,
) -> list[Match]:
    """Up to ``wanted`` partial-reuse and same-story matches, most similar content first."""
    # The candidates sharing most content bands, as many as matches are wanted: each costs an
    # alignment (~10 ms for news articles), the bulk of a query's time.
    best = tables.stories.ranked(features.content_signatures[0], wanted + len(taken))
    looked = [row for row in best.tolist() if row not in taken][:wanted]
    sides: list[Side] = [(document.id, document.text, normalize(document.text, config.normalize))]
    shingle_sets = [verification_keys([features.shingles[0]])[0]]
    content = [features.content[0]]
    for row in looked:
        doc_id, text, blob = db.execute(
            "SELECT doc_id, text, shingles FROM documents WHERE id = ?", (row,)
        ).fetchone()
        text = text_of(text)
        sides.append((doc_id, text, normalize(text, config.normalize)))
        shingle_sets.append(shingles_of(blob))
        content.append(content_terms(sides[-1][2].tokens, config.stories.stem))
    batch = [(0, j) for j in range(1, len(sides))]
    return [
        _match(sides[j][0], relation, overlap(shingle_sets[0], shingle_sets[j]))
        for _, j, relation in verify_candidates(batch, content, sides.__getitem__, config)
    ]


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
