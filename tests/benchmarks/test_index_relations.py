"""A query against the persistent index names a pair as ``dedup scan`` of the same documents
does: the same figures (``dedup.tiers.pairwise``), the same rule (``dedup.relations``)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import attrs
import pytest

import dedup
from dedup import Document, Relation
from dedup.model import COPY_RELATIONS

from .test_simulate import make

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
CONFIG = dedup.ScanConfig(lineage=False)
#: Enough to see every match a query finds (its story candidates are capped, not its copies).
TOP = 100

Pairs = dict[tuple[str, str], Relation]


def _scanned(documents: Sequence[Document]) -> Pairs:
    return {_key(p.a, p.b): p.relation for p in dedup.scan_documents(documents, CONFIG).pairs}


def _key(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


def _seeds() -> list[Document]:
    return [d for d in dedup.load([SEEDS]) if isinstance(d, Document)]


def _without_copies(documents: Sequence[Document]) -> list[Document]:
    """The documents less copies of one another (the first by id of each kept), until a scan
    finds no copy: each copy family is then one document, and the document frequencies a scan
    counts over copy families are the index's over documents."""
    kept = sorted(documents, key=lambda d: d.id)
    while copies := [k for k, r in _scanned(kept).items() if r in COPY_RELATIONS]:
        dropped = {b for _, b in copies}
        kept = [d for d in kept if d.id not in dropped]
    return kept


def _simulated() -> list[Document]:
    """Syndicated news from real-ish wire stories: copies, rewrites, partial reuse, one story
    told again (``benchmarks/simulate.py``), three corpora in one."""
    documents = []
    for strength, seed in ((1.0, 1), (0.6, 2), (1.0, 3)):
        documents += [Document(f"s{seed}-{d['id']}", d["text"])
                      for d in make(strength, seed=seed).documents]
    return _without_copies(documents)


def _queried(index: dedup.Index, document: Document) -> Pairs:
    return {_key(document.id, m.doc_id): m.relation for m in index.query(document, top=TOP)}


def test_queries_of_an_index_of_every_document_name_pairs_as_the_scan(tmp_path: Path) -> None:
    for name, documents in (("seeds", _seeds()), ("simulated", _simulated())):
        scanned = _scanned(documents)
        found: Pairs = {}
        with dedup.Index.open(tmp_path / f"{name}.dedup") as index:
            index.add(documents)
            for document in documents:  # indexed: the query is not its own match
                found |= _queried(index, document)
        assert found, name
        assert {k: scanned.get(k) for k in found} == found, name
        looser = {r for r in found.values() if r not in COPY_RELATIONS}
        if name == "seeds":  # few candidates: the query finds what the scan finds
            assert found == scanned
        else:
            assert {Relation.REWRITE, Relation.PARTIAL_REUSE} <= looser


@pytest.mark.parametrize("held", [0, 6, 12, 18])
def test_a_document_left_out_of_the_index_is_named_as_a_scan_of_all(
    tmp_path: Path, held: int
) -> None:
    # No copies among the documents: a scan's document frequencies are over the n documents,
    # the query's over the n - 1 indexed and itself.
    documents = _simulated()
    query = documents[held]
    with dedup.Index.open(tmp_path / "i.dedup") as index:
        index.add([d for d in documents if d is not query])
        matches = index.query(query, top=TOP)
    found = {_key(query.id, m.doc_id): m.relation for m in matches}
    scanned = _scanned(documents)
    assert found
    assert {k: scanned.get(k) for k in found} == found
    # and with the scan's evidence: the same figures, not only the same verdict.
    evidence = {_key(p.a, p.b): p.evidence for p in dedup.scan_documents(documents, CONFIG).pairs}
    for match in matches:
        if match.evidence is not None:
            assert attrs.astuple(match.evidence) == pytest.approx(
                attrs.astuple(evidence[_key(query.id, match.doc_id)]), abs=1e-5)


def test_a_seed_left_out_of_the_index_is_named_as_a_scan_of_all(tmp_path: Path) -> None:
    seeds = _seeds()
    scanned = _scanned(seeds)
    for query in seeds:
        with dedup.Index.open(tmp_path / f"{query.id}.dedup") as index:
            index.add([d for d in seeds if d is not query])
            found = _queried(index, query)
        assert found == {k: r for k, r in scanned.items() if query.id in k}
