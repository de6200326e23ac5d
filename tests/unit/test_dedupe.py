"""``dedup.dedupe``: which document each policy keeps, and what the removal map says."""

from __future__ import annotations

import pytest
from dedupe_stories import story

import dedup
from dedup.deduplication import DEFAULT_RELATIONS
from dedup.errors import ConfigError

BASE = story(1)
OTHER = story(2)


def doc(doc_id: str, text: str, date: str | None = None) -> dedup.Document:
    return dedup.Document(doc_id, text, metadata={"date": date} if date else {})


def edited(text: str, *replacements: tuple[int, str]) -> str:
    words = text.split()
    for index, word in replacements:
        words[index] = word
    return " ".join(words)


def kept_ids(docs: list[dedup.Document], **options: object) -> list[str]:
    kept, _ = dedup.dedupe(docs, **options)  # type: ignore[arg-type]
    return [d.id for d in kept]


def test_earliest_keeps_the_oldest_dated_document_and_undated_ones_last() -> None:
    docs = [doc("a", BASE), doc("b", BASE, "2024-05-02"), doc("c", BASE, "2024-05-01T09:00")]
    assert kept_ids(docs, keep="earliest") == ["c"]


def test_earliest_reads_a_dateline_at_the_top_of_the_text() -> None:
    docs = [doc("a", BASE, "2024-05-02"), doc("b", "May 1, 2024\n\n" + BASE)]
    assert kept_ids(docs, keep="earliest") == ["b"]


def test_earliest_breaks_ties_by_length_then_id() -> None:
    longer = BASE + " " + story(3, 30)
    assert kept_ids([doc("a", BASE), doc("b", longer)], keep="earliest") == ["b"]
    assert kept_ids([doc("b", BASE), doc("a", BASE.upper())], keep="earliest") == ["a"]


def test_longest_keeps_the_most_words_not_the_most_characters() -> None:
    padded = BASE.replace(" ", "      ")
    more_words = edited(BASE, (0, "extra extra"))
    docs = [doc("a", padded), doc("b", more_words)]
    assert kept_ids(docs, keep="longest") == ["b"]


def test_first_keeps_input_order() -> None:
    docs = [doc("z", BASE, "2024-05-02"), doc("a", BASE, "2024-05-01")]
    assert kept_ids(docs, keep="first") == ["z"]


def test_exact_duplicates_after_normalisation_are_removed_as_exact() -> None:
    docs = [doc("a", BASE), doc("b", BASE.upper().replace(" ", "\n")), doc("c", OTHER)]
    kept, removed = dedup.dedupe(docs, keep="first")
    assert [d.id for d in kept] == ["a", "c"]
    assert removed["b"] == dedup.Removal("b", "a", dedup.Relation.EXACT_DUPLICATE, 1.0,
                                         dedup.Containment(1.0, 1.0))  # fmt: skip


def test_a_removal_names_its_pair_and_the_member_it_goes_through() -> None:
    # a ~ b ~ c in a chain, a and c too far apart to be a pair: c reaches a through b.
    words = story(4, 160).split()
    a = " ".join(words[:100])
    b = " ".join(words[25:125])
    c = " ".join(words[50:150])
    result = dedup.scan_documents([doc("a", a), doc("b", b), doc("c", c)])
    pairs = {(p.a, p.b) for p in result.pairs if p.relation in DEFAULT_RELATIONS}
    assert ("a", "c") not in pairs and {("a", "b"), ("b", "c")} <= pairs
    _, removed = dedup.dedupe([doc("a", a), doc("b", b), doc("c", c)], keep="first")
    assert removed["b"].via is None and removed["b"].kept == "a"
    assert removed["c"].via == "b" and removed["c"].kept == "a"
    assert removed["c"].relation is dedup.Relation.NEAR_DUPLICATE


def test_contained_copies_are_removed_only_on_request() -> None:
    trimmed = " ".join(BASE.split()[:50])
    docs = [doc("full", BASE), doc("part", trimmed)]
    assert kept_ids(docs, keep="longest") == ["full", "part"]
    _, removed = dedup.dedupe(docs, keep="longest", relations=["near-duplicate", "contained"])
    assert removed["part"].relation is dedup.Relation.CONTAINED
    assert removed["part"].containment.a_in_b == 1.0


def test_exact_duplicates_count_whatever_relations_are_asked_for() -> None:
    docs = [doc("a", BASE), doc("b", BASE)]
    assert kept_ids(docs, keep="first", relations=["contained"]) == ["a"]


def test_a_document_without_words_is_kept() -> None:
    docs = [doc("a", BASE), doc("dash", "—"), doc("b", BASE)]
    assert kept_ids(docs, keep="first") == ["a", "dash"]


def test_bad_options_and_repeated_ids_are_clear_errors() -> None:
    with pytest.raises(ConfigError, match="unknown keep policy 'oldest'"):
        dedup.dedupe([doc("a", BASE)], keep="oldest")
    with pytest.raises(ConfigError, match="unknown relation 'copy'"):
        dedup.dedupe([doc("a", BASE)], relations=["copy"])
    with pytest.raises(dedup.DuplicateIdError, match="'a'"):
        dedup.dedupe([doc("a", BASE), doc("a", OTHER)])


def test_deduplicate_refuses_a_scan_that_did_not_look_for_what_is_asked() -> None:
    result = dedup.scan_documents([doc("a", BASE)], dedup.ScanConfig(lineage=False, story=False))
    with pytest.raises(ConfigError, match="lineage"):
        dedup.deduplicate(result, keep="source")
    with pytest.raises(ConfigError, match="story"):
        dedup.deduplicate(result, relations=["same-story"])
