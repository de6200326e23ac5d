"""What an editor sees when aligning the seeds (../shared/design/seeds-truth.md), by meaning."""

from __future__ import annotations

from pathlib import Path

import pytest

import dedup
from dedup.model import Document, EditOp, PassageKind, WordSpan

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


@pytest.fixture(scope="module")
def seeds() -> dict[str, Document]:
    docs = [d for d in dedup.load([SEEDS]) if isinstance(d, Document)]
    return {doc.id[:3]: doc for doc in docs}


def words(text: str) -> tuple[str, ...]:
    return dedup.normalize(text).tokens


def uncovered(size: int, taken: list[WordSpan]) -> list[WordSpan]:
    gaps, cursor = [], 0
    for span in sorted(taken, key=lambda s: s.start):
        if span.start > cursor:
            gaps.append(WordSpan(cursor, span.start))
        cursor = max(cursor, span.end)
    return [*gaps, WordSpan(cursor, size)] if cursor < size else gaps


def test_001_002_passages_cover_at_least_95_percent_of_001(seeds: dict[str, Document]) -> None:
    alignment = dedup.align(seeds["001"], seeds["002"])
    assert alignment.coverage.a.total >= 0.95
    assert alignment.coverage.a.verbatim >= 0.95


def test_001_002_differences_are_only_002_page_furniture(seeds: dict[str, Document]) -> None:
    a, b = seeds["001"], seeds["002"]
    alignment = dedup.align(a, b)
    # Nothing changed inside the body: every edit is an equal run.
    assert all(e.op is EditOp.EQUAL for p in alignment.passages for e in p.edits)
    # What 002 has outside the passages is furniture: lines of 002 whose words 001 lacks.
    body = " " + " ".join(words(a.text)) + " "
    furniture = [
        line for line in b.text.splitlines() if words(line)
        and " " + " ".join(words(line)) + " " not in body
    ]
    assert any("Praises" in line for line in furniture)  # the headline
    normalized_b = dedup.normalize(b.text)
    for gap in uncovered(len(normalized_b.tokens), [p.b_words for p in alignment.passages]):
        start = normalized_b.spans[gap.start].start
        end = normalized_b.spans[gap.end - 1].end
        outside = words(b.text[start:end])
        assert " ".join(outside) in " ".join(words("\n".join(furniture)))
    outside_text = " ".join(
        b.text[normalized_b.spans[g.start].start : normalized_b.spans[g.end - 1].end]
        for g in uncovered(len(normalized_b.tokens), [p.b_words for p in alignment.passages])
    )
    for piece in ("Russian Space Chief Praises", "AFP", "December 20, 2022", "Kommersant",
                  "Original url"):
        assert piece in outside_text


def test_000_004_finds_the_offensive_and_sanctions_passage(seeds: dict[str, Document]) -> None:
    a, b = seeds["000"], seeds["004"]
    sentence = words("the Russian offensive in Ukraine, launched on February 24, "
                     "and the Western sanctions that followed")
    found = [
        p for p in dedup.align(a, b).passages
        if " ".join(sentence) in " ".join(words(a.text[p.a_span.start : p.a_span.end]))
        and " ".join(sentence) in " ".join(words(b.text[p.b_span.start : p.b_span.end]))
    ]
    assert len(found) == 1
    # The spans point at the sentence in both files, not at the whole text.
    assert found[0].a_span.end - found[0].a_span.start < 400
    assert found[0].b_span.end - found[0].b_span.start < 400
    assert "launched on February 24" in a.text[found[0].a_span.start : found[0].a_span.end]
    assert "launched on February 24" in b.text[found[0].b_span.start : found[0].b_span.end]


def test_000_001_sentence_pairs_follow_the_translation_in_any_order(
    seeds: dict[str, Document],
) -> None:
    a, b = seeds["000"], seeds["001"]
    alignment = dedup.align_sentences(a, b)
    pairs = alignment.passages
    assert len(pairs) >= 4
    assert all(p.kind is PassageKind.PARAPHRASE for p in pairs)
    assert [p.a_span.start for p in pairs] == sorted(p.a_span.start for p in pairs)
    # 001 moved the ISS-cooperation paragraph up: found in its new place, not in order.
    iss = [p for p in pairs if "few fields of cooperation" in a.text[p.a_span.start : p.a_span.end]]
    assert len(iss) == 1
    assert "rare avenue of cooperation" in b.text[iss[0].b_span.start : iss[0].b_span.end]
    quote = [p for p in pairs if "Say hello to the entire American team" in
             a.text[p.a_span.start : p.a_span.end]]
    assert len(quote) == 1
    assert "Say hello to the entire American team" in b.text[
        quote[0].b_span.start : quote[0].b_span.end
    ]


def test_000_001_translation_shares_the_quotes_as_edited_passages(
    seeds: dict[str, Document],
) -> None:
    a, b = seeds["000"], seeds["001"]
    passages = dedup.align(a, b).passages
    texts = [a.text[p.a_span.start : p.a_span.end] for p in passages]
    assert any("Say hello to the entire American team" in t for t in texts)
    assert any("small incident" in t for t in texts)
    # A translation is not a copy: most of each text lies outside shared passages.
    assert dedup.align(a, b).coverage.a.total < 0.5


@pytest.mark.parametrize("other", ["000", "001", "002", "004"])
def test_003_shares_no_passage_and_no_sentence_with_another_seed(
    seeds: dict[str, Document], other: str
) -> None:
    for a, b in ((seeds["003"], seeds[other]), (seeds[other], seeds["003"])):
        assert all(p.a_words.size < 8 for p in dedup.align(a, b).passages)
        threshold = dedup.AlignConfig().sentence_threshold
        assert all(p.similarity < threshold for p in dedup.align_sentences(a, b).passages)


def test_scan_with_passages_aligns_the_copy_pair() -> None:
    result = dedup.scan([SEEDS], dedup.ScanConfig(passages=True, story=False))
    (pair,) = result.pairs
    assert pair.alignment is not None
    assert (pair.alignment.a, pair.alignment.b) == (pair.a, pair.b)
    assert pair.alignment.coverage.a.total >= 0.95
