"""``dedup.dedupe`` keeps one document per family, accounts for every input, and does not
depend on input order (except ``keep="first"``)."""

from __future__ import annotations

import random

from dedupe_stories import VOCABULARY, story
from hypothesis import given, settings
from hypothesis import strategies as st

import dedup
from dedup.cluster import UnionFind
from dedup.deduplication import parse_relations, scan_config_for
from dedup.deduplication.keep import keep_policy
from dedup.normalization import normalized_bytes

ORDER_FREE = ("earliest", "longest", "source")
RELATION_SETS = (
    ("exact-duplicate", "near-duplicate"),
    ("near-duplicate", "contained"),
    ("exact-duplicate", "near-duplicate", "contained", "partial-reuse", "same-story"),
)


def variant(text: str, kind: str, rng: random.Random) -> str:
    """The text as sent again: re-wrapped and re-cased (an exact duplicate after
    normalisation), a few words changed (a near-duplicate), or cut short (contained)."""
    words = text.split()
    if kind == "recased":
        return "\n".join(" ".join(words[i : i + 9]) for i in range(0, len(words), 9)).upper()
    if kind == "edited":
        for i in rng.sample(range(len(words)), 3):
            words[i] = rng.choice(VOCABULARY)
        return " ".join(words)
    if kind == "trimmed":
        return " ".join(words[: int(len(words) * 0.7)])
    return text


@st.composite
def corpora(draw: st.DrawFn) -> list[dedup.Document]:
    """Up to 10 documents: copies of up to three stories and some unrelated texts, each with
    or without a date, under distinct ids."""
    bases = [story(draw(st.integers(0, 10_000))) for _ in range(draw(st.integers(1, 3)))]
    rng = random.Random(draw(st.integers(0, 2**32)))
    size = draw(st.integers(1, 10))
    names = draw(st.lists(st.text("abcdefgh", min_size=1, max_size=4), min_size=size,
                          max_size=size, unique=True))  # fmt: skip
    docs = []
    for name in names:
        kind = draw(st.sampled_from(["same", "recased", "edited", "trimmed", "unrelated"]))
        text = story(rng.randrange(10**6)) if kind == "unrelated" else variant(
            draw(st.sampled_from(bases)), kind, rng
        )
        day = draw(st.none() | st.integers(1, 28))
        metadata = {} if day is None else {"date": f"2024-03-{day:02d}"}
        docs.append(dedup.Document(name, text, metadata=metadata))
    return docs


def families_of(result: dedup.ScanResult, relations: frozenset[dedup.Relation]) -> dict[str, int]:
    """Each document → its component under the pairs of those relations."""
    ids = [doc.id for doc in result.documents]
    row = {doc_id: i for i, doc_id in enumerate(ids)}
    groups = UnionFind(len(ids))
    for pair in result.pairs:
        if pair.relation in relations:
            groups.union(row[pair.a], row[pair.b])
    return {doc_id: groups.find(i) for doc_id, i in row.items()}


@settings(max_examples=40)
@given(corpora(), st.sampled_from((*ORDER_FREE, "first")), st.sampled_from(RELATION_SETS))
def test_no_two_kept_documents_of_one_family(
    docs: list[dedup.Document], keep: str, names: tuple[str, ...]
) -> None:
    relations = parse_relations(names)
    config = scan_config_for(dedup.ScanConfig(), keep_policy(keep), relations)
    result = dedup.scan_documents(docs, config)
    found = dedup.deduplicate(result, keep, relations)
    family = families_of(result, relations)
    kept_families = [family[doc_id] for doc_id in found.kept]
    assert len(kept_families) == len(set(kept_families))
    # The exact-text fast path: no two kept texts are the same after normalisation.
    normal = {d.id: normalized_bytes(d.text, config.normalize) for d in docs}
    kept_texts = [normal[doc_id] for doc_id in found.kept]
    assert len(kept_texts) == len(set(kept_texts))
    # Each removed document is in the family of the document kept for it.
    assert all(family[r.id] == family[r.kept] for r in found.removed.values())


@settings(max_examples=40)
@given(corpora(), st.sampled_from((*ORDER_FREE, "first")), st.sampled_from(RELATION_SETS))
def test_every_input_is_kept_or_removed_exactly_once(
    docs: list[dedup.Document], keep: str, names: tuple[str, ...]
) -> None:
    kept, removed = dedup.dedupe(docs, keep, names)
    kept_ids = [d.id for d in kept]
    assert sorted(kept_ids + list(removed)) == sorted(d.id for d in docs)
    assert len(set(kept_ids)) == len(kept_ids)
    assert all(r.kept in kept_ids and r.id == doc_id for doc_id, r in removed.items())
    assert all(r.via is None or r.via not in (r.id, r.kept) for r in removed.values())


@settings(max_examples=30)
@given(corpora(), st.sampled_from(ORDER_FREE), st.sampled_from(RELATION_SETS), st.randoms())
def test_kept_set_does_not_depend_on_input_order(
    docs: list[dedup.Document], keep: str, names: tuple[str, ...], rng: random.Random
) -> None:
    shuffled = docs[:]
    rng.shuffle(shuffled)
    kept, removed = dedup.dedupe(docs, keep, names)
    kept_again, removed_again = dedup.dedupe(shuffled, keep, names)
    assert {d.id for d in kept} == {d.id for d in kept_again}
    assert dict(removed) == dict(removed_again)
