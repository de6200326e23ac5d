"""``scan()``: load → normalise → exact groups → shingle → sketch → LSH → verify → families.

The stages after loading (``prepare``, ``ordered_pairs``, ``story_tiers``, ``trace_lineage``,
``with_passages``, with ``Prepared``, ``Tail`` and ``StageClock``) are public to the
package: the Dask backend (``dedup.dask``) runs the same ones on its partitions.
"""

from __future__ import annotations

import collections
import functools
import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from dedup.alignment import align_normalized
from dedup.cluster import families, with_cohesion
from dedup.config import AlignConfig, NormalizeConfig, ScanConfig
from dedup.documents import DocumentStore, Source, Texts
from dedup.features import featurize_all
from dedup.lineage import trace
from dedup.loading import load_sourced, reread
from dedup.lsh.memory import MemoryLsh
from dedup.model import (
    COPY_RELATIONS,
    Boilerplate,
    Containment,
    Document,
    Family,
    Lineage,
    Pair,
    Relation,
    ScanResult,
    Skipped,
)
from dedup.normalization import normalize as normalize_text
from dedup.parallel import Mapper
from dedup.progress import Progress, counted, notify
from dedup.shingling import ShingleStore
from dedup.tiers import TierResult, WordSets, WordStore, looser_tier
from dedup.verify import Overlap, ShingleSets, verify_pairs

PathArg = str | os.PathLike[str]
#: Word n-grams that mark shared text for lineage when the scan shingles characters.
_WORD_NGRAM = 5
_IDENTICAL = Overlap(jaccard=1.0, containment=Containment(1.0, 1.0))


@attrs.frozen(eq=False)
class Prepared:
    """Documents that have words, their features (same order), and what was dropped."""

    documents: DocumentStore
    keys: tuple[int, ...]
    shingles: ShingleStore
    signatures: npt.NDArray[np.uint32]
    dropped: tuple[Skipped, ...]
    #: Content words and where each first occurs (``ScanConfig.story``; empty when off).
    words: WordStore = attrs.field(factory=WordStore)


def scan(
    paths: PathArg | Iterable[PathArg],
    config: ScanConfig = ScanConfig(),
    *,
    jobs: int = 1,
    progress: Progress | None = None,
) -> ScanResult:
    """Scan files, folders and JSONL files for copies (``jobs``: worker processes).

    Bad inputs never raise: they are listed in ``ScanResult.skipped`` with the reason. Documents
    are read, sketched and dropped in batches: the texts are read again from their files when a
    later stage or ``ScanResult.documents`` needs them. ``progress`` receives a ProgressEvent
    per stage and batch (dedup.progress); None: silent.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    skipped: list[Skipped] = []

    def documents() -> Iterator[tuple[Document, Source | None]]:
        for item in load_sourced(paths, config.load):
            if isinstance(item, Skipped):
                skipped.append(item)
            else:
                yield item

    store = DocumentStore(functools.partial(reread, config=config.load))
    return _scan(documents(), store, config, skipped, jobs, progress)


def scan_sourced(
    sourced: Iterable[tuple[Document, Source | None]],
    config: ScanConfig = ScanConfig(),
    *,
    jobs: int = 1,
    progress: Progress | None = None,
) -> ScanResult:
    """``scan_documents`` for documents that say where their text can be read again
    (``dedup.documents.Source``, from ``dedup.loading.load_sourced``): those texts are dropped
    once sketched and read again when needed, as ``scan`` does; None keeps a text."""
    store = DocumentStore(functools.partial(reread, config=config.load))
    return _scan(sourced, store, config, [], jobs, progress)


def scan_documents(
    documents: Iterable[Document],
    config: ScanConfig = ScanConfig(),
    *,
    skipped: Iterable[Skipped] = (),
    jobs: int = 1,
    progress: Progress | None = None,
) -> ScanResult:
    """Find copies among documents already in memory.

    A repeated id is skipped with a reason. ``jobs`` worker processes normalise, shingle and
    sketch the documents; the result does not depend on it. ``progress``: as for ``scan``.
    """
    sourced = ((doc, None) for doc in documents)
    return _scan(sourced, DocumentStore(), config, list(skipped), jobs, progress)


def _scan(
    sourced: Iterable[tuple[Document, Source | None]],
    store: DocumentStore,
    config: ScanConfig,
    skipped: list[Skipped],
    jobs: int,
    progress: Progress | None = None,
) -> ScanResult:
    """The scan of documents as they come (``skipped`` may grow while they are read)."""
    clock = StageClock()
    prepared = prepare(sourced, store, config, jobs, progress)
    clock.lap("features")
    representatives, exact = _exact_groups(prepared)
    clock.lap("exact")
    verified, signatures = _near_pairs(prepared, representatives, config, clock, progress)
    rows = {doc_id: row for row, doc_id in enumerate(prepared.documents.ids)}
    tail = Tail(prepared.documents.ids, prepared.shingles, prepared.words,
                lambda _members: (rows, signatures), Texts(prepared.documents, config.normalize))
    found = after_copies(tail, exact, verified, config, clock, jobs, progress)
    return ScanResult(
        documents=prepared.documents,
        skipped=(*skipped, *prepared.dropped),
        pairs=found.pairs,
        families=found.families,
        config=config,
        stories=found.stories,
        lineage=found.lineage,
        boilerplate=found.boilerplate,
        stats=_stats(clock, len(rows), len(representatives)),
    )


@attrs.frozen(eq=False)
class Tail:
    """What the stages after the copy tier read of the scanned documents, whichever backend
    found the copies: ids, shingle sets and content words by document index, the signature rows
    of the named documents (for family cohesion), and the texts."""

    ids: Sequence[str]
    shingles: ShingleSets
    words: WordSets
    signature_rows: Callable[
        [Sequence[str]], tuple[dict[str, int], npt.NDArray[np.uint32]]
    ]
    texts: Texts


@attrs.frozen
class Finished:
    """The parts of a ScanResult that the stages after the copy tier make."""

    pairs: tuple[Pair, ...]
    families: tuple[Family, ...]
    stories: tuple[Family, ...]
    lineage: Lineage
    boilerplate: tuple[Boilerplate, ...]


def after_copies(
    tail: Tail,
    exact: Sequence[tuple[int, int]],
    verified: Sequence[tuple[int, int, Relation, Overlap]],
    config: ScanConfig,
    clock: StageClock,
    jobs: int = 1,
    progress: Progress | None = None,
    mapper: Mapper | None = None,
) -> Finished:
    """The stages after the copy tier, shared by the local and the Dask scan: the tier below
    copies, copy families, lineage and passages (``mapper``: where lineage reads the evidence
    of its groups of pairs and passages are aligned; None: here, lineage on ``jobs`` local
    processes)."""
    ids = tail.ids
    copy_edges = [*exact, *((i, j) for i, j, _, _ in verified)]
    pairs = ordered_pairs(ids, exact, verified)
    found = TierResult((), (), ())
    if config.story:
        notify(progress, "stories", 0, None, "units")
        found = looser_tier(ids, tail.shingles, tail.words, copy_edges, config,
                            lambda d: tail.texts.side(d)[2])
        pairs = (*pairs, *_tier_pairs(ids, found))
        copy_edges += [(p.a, p.b) for p in found.pairs if p.relation in COPY_RELATIONS]
        clock.lap("story")
    grouped = families(ids, copy_edges)
    members = [m for family in grouped if len(family.members) > 1 for m in family.members]
    rows, signatures = tail.signature_rows(members)
    result_families = with_cohesion(grouped, rows, signatures, config.threshold)
    clock.lap("cluster")
    stories = _story_families(ids, found) if config.story else ()
    lineage = Lineage((), ())
    if config.lineage:
        notify(progress, "lineage", 0, len(pairs), "pairs")
        lineage = trace_lineage(pairs, result_families, config, tail.texts, jobs, mapper)
        notify(progress, "lineage", len(pairs), len(pairs), "pairs")
        clock.lap("lineage")
    if config.passages:
        pairs = with_passages(pairs, config, tail.texts, progress, mapper)
        clock.lap("align")
    return Finished(pairs, result_families, stories, lineage, found.boilerplate)


def _tier_pairs(ids: Sequence[str], found: TierResult) -> list[Pair]:
    """The tier's pairs as Pair values: copies first, then rewrite, partial reuse, same story."""
    rank = {relation: at for at, relation in enumerate(Relation)}
    made = [
        attrs.evolve(_pair(ids[p.a], ids[p.b], p.relation, p.score), evidence=p.evidence)
        for p in found.pairs
    ]
    return sorted(made, key=lambda p: (rank[p.relation], -p.jaccard, p.a, p.b))


def _story_families(ids: Sequence[str], found: TierResult) -> tuple[Family, ...]:
    """Story families of two or more documents, largest first, ids ``S1``, ``S2``, …, then one
    singleton family for every other document."""
    grouped = sorted(
        ((tuple(sorted(ids[d] for d in docs)), cohesion) for docs, cohesion in found.stories),
        key=lambda g: (-len(g[0]), g[0]),
    )
    placed = {m for members, _ in grouped for m in members}
    alone = sorted(doc_id for doc_id in ids if doc_id not in placed)
    stories = [Family(f"S{rank}", members, round(cohesion, 6))
               for rank, (members, cohesion) in enumerate(grouped, start=1)]
    stories += [Family(f"S{rank}", (doc_id,))
                for rank, doc_id in enumerate(alone, start=len(stories) + 1)]
    return tuple(stories)


def _stats(clock: StageClock, documents: int, distinct: int) -> dict[str, Any]:
    return {"seconds": clock.laps, "documents": documents, "distinct_texts": distinct}


def prepare(
    sourced: Iterable[tuple[Document, Source | None]],
    store: DocumentStore,
    config: ScanConfig,
    jobs: int,
    progress: Progress | None = None,
) -> Prepared:
    """Features of the documents as they stream by; only the ones in flight keep their text."""
    dropped: list[Skipped] = []
    keys: list[int] = []
    shingle_sets = ShingleStore()
    rows: list[npt.NDArray[np.uint32]] = []
    words = WordStore()
    # The documents whose texts went to featurize_all and whose features are not back yet.
    in_flight: collections.deque[tuple[Document, Source | None]] = collections.deque()

    def texts() -> Iterator[str]:
        for doc, source in _unique_ids(sourced, dropped):
            in_flight.append((doc, source))
            yield doc.text

    # Documents are read as they are sketched: how many there are is known only at the end.
    done = 0
    notify(progress, "sketching", done, None, "documents")
    for batch in featurize_all(texts(), config, jobs, content_sketch=False):
        done += len(batch.keys)
        notify(progress, "sketching", done, None, "documents")
        kept_rows: list[int] = []
        for index, key in enumerate(batch.keys):
            doc, source = in_flight.popleft()
            if key is None:
                dropped.append(Skipped(doc.path or doc.id, "no words to compare"))
                continue
            store.append(doc, source)
            keys.append(key)
            shingle_sets.append(batch.shingles[index])
            kept_rows.append(index)
            if config.story:
                words.append(batch.content[index], batch.content_positions[index])
        # Rows gathered per batch: no view of a single row keeps a batch's matrix alive.
        rows.append(batch.signatures[kept_rows])
    notify(progress, "sketching", done, done, "documents")
    signatures = _stacked(rows, config.sketch.num_perm)
    return Prepared(store, tuple(keys), shingle_sets, signatures, tuple(dropped), words)


def _stacked(blocks: Sequence[npt.NDArray[np.uint32]], width: int) -> npt.NDArray[np.uint32]:
    return np.concatenate(blocks) if blocks else np.empty((0, width), np.uint32)


def _unique_ids(
    sourced: Iterable[tuple[Document, Source | None]], dropped: list[Skipped]
) -> Iterator[tuple[Document, Source | None]]:
    """The documents whose id was not seen before; a Skipped for each repeat goes to ``dropped``."""
    seen: set[str] = set()
    for doc, source in sourced:
        if doc.id in seen:
            dropped.append(Skipped(doc.path or doc.id, f"duplicate id {doc.id!r}"))
        else:
            seen.add(doc.id)
            yield doc, source


def _exact_groups(prepared: Prepared) -> tuple[list[int], list[tuple[int, int]]]:
    """One representative per distinct normalised text, and (member, representative) edges.

    The representative is the member with the smallest id, so it does not depend on input order.
    """
    groups: dict[int, list[int]] = {}
    for index, key in enumerate(prepared.keys):
        groups.setdefault(key, []).append(index)
    representatives: list[int] = []
    edges: list[tuple[int, int]] = []
    for members in groups.values():
        rep = min(members, key=lambda i: prepared.documents.ids[i])
        representatives.append(rep)
        edges.extend((m, rep) for m in members if m != rep)
    representatives.sort()
    return representatives, edges


def _near_pairs(
    prepared: Prepared,
    representatives: Sequence[int],
    config: ScanConfig,
    clock: StageClock,
    progress: Progress | None = None,
) -> tuple[list[tuple[int, int, Relation, Overlap]], npt.NDArray[np.uint32]]:
    """Verified near-duplicate and contained pairs among distinct texts, as document indices,
    and every document's signature."""
    notify(progress, "indexing", 0, len(representatives), "texts")
    index = MemoryLsh(config.lsh, config.sketch.num_perm)
    index.add(prepared.signatures[list(representatives)])
    candidates = index.candidate_pairs()
    clock.lap("lsh")
    notify(progress, "indexing", len(representatives), len(representatives), "texts")
    notify(progress, "verifying", 0, len(candidates), "candidates")
    # Verified on the documents' own rows of the store: candidates as document indices.
    reps = np.asarray(representatives, dtype=np.int64)
    verified = verify_pairs(
        reps[candidates], prepared.shingles, config.threshold, config.containment_threshold,
        config.min_jaccard,
    )
    clock.lap("verify")
    notify(progress, "verifying", len(candidates), len(candidates), "candidates")
    return verified, prepared.signatures


def ordered_pairs(
    ids: Sequence[str],
    exact: Sequence[tuple[int, int]],
    verified: Sequence[tuple[int, int, Relation, Overlap]],
) -> tuple[Pair, ...]:
    """Pair values with ``a < b`` by id; highest Jaccard first."""
    found = [_pair(ids[i], ids[j], Relation.EXACT_DUPLICATE, _IDENTICAL) for i, j in exact]
    found += [_pair(ids[i], ids[j], relation, score) for i, j, relation, score in verified]
    return tuple(sorted(found, key=lambda p: (-p.jaccard, p.a, p.b)))


def trace_lineage(
    pairs: Sequence[Pair],
    found: Sequence[Family],
    config: ScanConfig,
    texts: Texts,
    jobs: int,
    mapper: Mapper | None = None,
) -> Lineage:
    """The lineage of the copy pairs, their texts read through ``texts`` (on ``jobs`` processes,
    or by ``mapper``)."""
    shingles = config.sketch.shingle
    ngram = shingles.size if shingles.kind == "word" else _WORD_NGRAM
    return trace(
        pairs, found, texts.document, config.lineage_config, config.align, ngram,
        config.normalize, jobs, mapper,
    )


def with_passages(
    pairs: Sequence[Pair],
    config: ScanConfig,
    texts: Texts,
    progress: Progress | None = None,
    mapper: Mapper | None = None,
) -> tuple[Pair, ...]:
    """Each pair with its aligned passages (``dedup scan --passages``), normalised as scanned
    (``mapper``: where tasks of pairs, with their documents, are aligned; None: here)."""
    if mapper is not None:
        task = functools.partial(_aligned, align=config.align, normalize=config.normalize)
        return tuple(p for done in mapper(task, _passage_work(pairs, texts)) for p in done)
    return tuple(
        attrs.evolve(
            pair, alignment=align_normalized(texts.side_of(pair.a), texts.side_of(pair.b),
                                             config.align)
        )
        for pair in counted(pairs, progress, "aligning", "pairs")
    )


#: Pairs per alignment task sent to a mapper (each with the texts of its documents).
_PAIRS_PER_TASK = 64


def _passage_work(
    pairs: Sequence[Pair], texts: Texts
) -> Iterator[tuple[tuple[Pair, ...], tuple[Document, ...]]]:
    """The pairs in tasks of ``_PAIRS_PER_TASK``, each with its documents."""
    for start in range(0, len(pairs), _PAIRS_PER_TASK):
        chunk = tuple(pairs[start : start + _PAIRS_PER_TASK])
        ids = sorted({p.a for p in chunk} | {p.b for p in chunk})
        yield chunk, tuple(texts.document(doc_id) for doc_id in ids)


def _aligned(
    work: tuple[tuple[Pair, ...], tuple[Document, ...]],
    align: AlignConfig,
    normalize: NormalizeConfig,
) -> list[Pair]:
    """A task's pairs with their passages, its texts normalised as ``Texts`` normalises them."""
    pairs, documents = work
    sides = {d.id: (d.id, d.text, normalize_text(d.text, normalize)) for d in documents}
    return [
        attrs.evolve(pair, alignment=align_normalized(sides[pair.a], sides[pair.b], align))
        for pair in pairs
    ]


def _pair(a: str, b: str, relation: Relation, score: Overlap) -> Pair:
    containment = score.containment
    if b < a:
        a, b = b, a
        containment = Containment(a_in_b=containment.b_in_a, b_in_a=containment.a_in_b)
    return Pair(a=a, b=b, relation=relation, jaccard=score.jaccard, containment=containment)


class StageClock:
    """Wall-clock seconds per stage, for ScanResult.stats."""

    def __init__(self) -> None:
        self.laps: dict[str, Any] = {}
        self._last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.laps[stage] = round(now - self._last, 4)
        self._last = now
