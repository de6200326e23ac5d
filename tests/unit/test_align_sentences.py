"""Sentence mode: splitting, similarity, the order-preserving chain, ``align_sentences``."""

from __future__ import annotations

from pathlib import Path

import dedup
from dedup.alignment import align_normalized
from dedup.alignment.sentences import (
    MAX_SENTENCE_WORDS,
    SentencePair,
    best_matching,
    sentence_words,
    sentences_of,
    split_sentences,
)
from dedup.alignment.similarity import Scorer
from dedup.model import AlignMode, PassageKind


def sentences(text: str) -> list[str]:
    return [text[s.start : s.end] for s in split_sentences(text)]


def test_sentences_end_at_punctuation_before_a_capital_and_at_blank_lines() -> None:
    text = 'He left. "She stayed," they said! Was it? yes.\n\nA heading\n\nBody text.'
    assert sentences(text) == [
        "He left.",
        '"She stayed," they said!',
        "Was it? yes.",
        "A heading",
        "Body text.",
    ]


def test_initials_and_abbreviations_before_numbers_do_not_end_a_sentence() -> None:
    text = "U.S. officials met J. Smith on Sept. 21 in Washington. Then they left."
    assert sentences(text) == [
        "U.S. officials met J. Smith on Sept. 21 in Washington.",
        "Then they left.",
    ]


def test_hard_wrapped_lines_are_not_sentence_ends() -> None:
    assert len(sentences("The head of the agency\npraised the crew\non Tuesday.")) == 1


def test_long_sentences_are_cut_into_bounded_pieces() -> None:
    text = " ".join(["word"] * (2 * MAX_SENTENCE_WORDS + 5))
    ranges = sentence_words(text, dedup.normalize(text))
    assert [r.size for r in ranges] == [MAX_SENTENCE_WORDS, MAX_SENTENCE_WORDS, 5]


def test_spelling_variants_score_higher_than_unrelated_sentences() -> None:
    a = "Yuri Borissov thanked the American team for their cooperation."
    b = "Yuri Borisov thanks the American team for cooperating. Apples are cheap this autumn."
    words_a, words_b = dedup.normalize(a), dedup.normalize(b)
    scorer = Scorer(sentences_of(a, words_a, 4).grams, sentences_of(b, words_b, 4).grams)
    assert scorer.similarity(0, 0, 0, 0) > 0.5
    assert scorer.similarity(0, 0, 1, 1) < 0.1
    assert scorer.neighbours(0)[0] == 0


def test_best_matching_takes_the_most_similar_pairs_in_any_order() -> None:
    pairs = [
        SentencePair(0, 0, 0, 0, 0.6),
        SentencePair(1, 1, 3, 3, 0.9),  # crosses the two below: order is no constraint
        SentencePair(2, 2, 1, 1, 0.7),
        SentencePair(3, 3, 2, 2, 0.7),
        SentencePair(3, 3, 3, 3, 0.8),  # B sentence 3 is taken by a more similar pair
        SentencePair(4, 5, 4, 4, 0.5),
        SentencePair(5, 5, 5, 5, 0.4),  # A sentence 5 is in the merged pair above
    ]
    chosen = best_matching(pairs)
    assert [(p.a_first, p.b_first) for p in chosen] == [(0, 0), (1, 3), (2, 1), (3, 2), (4, 4)]
    assert best_matching([]) == []


def test_swapped_sentences_are_found_in_their_new_order() -> None:
    first = "The central bank raised its benchmark lending rate by half a point on Thursday."
    second = "Analysts had expected a smaller increase after the weak trade figures last month."
    unrelated = "Farmers in the north reported a record harvest of apples and pears this autumn."
    a = f"{first} {second} {unrelated}"
    b = f"{second} {first}"
    (passage,) = dedup.align_sentences(a, b).passages
    # One passage: both sentences, in either text, though their order differs.
    assert a[passage.a_span.start : passage.a_span.end] == f"{first} {second}"[:-1]
    assert (passage.b_span.start, passage.b_span.end) == (0, len(b) - 1)
    # One sentence is in place, the other marked as moved.
    (moved,) = passage.moved
    assert b[moved.b_span.start : moved.b_span.end] in (first[:-1], second[:-1])
    assert a[moved.a_span.start : moved.a_span.end] == b[moved.b_span.start : moved.b_span.end]


def test_translated_sentences_pair_in_order_and_unrelated_ones_do_not() -> None:
    a = (
        "The head of the space agency thanked the American team. "
        "The temperature stabilised around thirty degrees Celsius. "
        "Farmers reported a record harvest of apples."
    )
    b = (
        "Space agency head thanks the American team! "
        "The temperature had stabilized at around 30 degrees Celsius. "
        "A special commission will decide whether the capsule can return."
    )
    alignment = dedup.align_sentences(a, b)
    pairs = [(a[p.a_span.start : p.a_span.end], b[p.b_span.start : p.b_span.end])
             for p in alignment.passages]
    # The two translated sentences follow each other: one passage, without the third.
    assert len(pairs) == 1
    assert pairs[0][0].startswith("The head") and pairs[0][1].startswith("Space agency head")
    assert pairs[0][0].endswith("Celsius") and pairs[0][1].endswith("Celsius")
    assert all(p.kind is PassageKind.PARAPHRASE for p in alignment.passages)
    assert alignment.mode is dedup.AlignMode.SENTENCES


def test_one_sentence_may_pair_with_two() -> None:
    a = "Say hello to the whole American team, who behaved with dignity and lent us a hand."
    b = "Say hello to the whole American team. They behaved with dignity and lent us a hand."
    (pair,) = dedup.align_sentences(a, b).passages
    assert (pair.b_span.start, pair.b_span.end) == (0, len(b) - 1)


def test_short_fragments_are_not_paired() -> None:
    # Tag lines such as "ISS" or "Space" under two articles say nothing about their sentences.
    assert dedup.align_sentences("Space\n\nISS\n\nSoyuz", "Space\n\nISS\n\nSoyuz!").passages == ()


def test_one_word_repeated_many_times_finishes_in_sentence_mode() -> None:
    assert dedup.align_sentences("spam " * 20_000, "spam " * 20_001).passages is not None


def test_a_text_prepared_once_aligns_as_a_fresh_copy_with_every_partner() -> None:
    seeds = sorted((Path(__file__).resolve().parents[2] / "seeds").glob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in seeds]
    sides = [(str(i), t, dedup.normalize(t)) for i, t in enumerate(texts)]
    # The same side objects again and again (prepared once, then recalled)...
    recalled = [align_normalized(sides[0], side, mode=AlignMode.SENTENCES) for side in sides[1:]]
    recalled += [align_normalized(sides[0], side, mode=AlignMode.SENTENCES) for side in sides[1:]]
    # ...and equal copies, new objects each time.
    fresh = [
        align_normalized(
            (str(i), t, dedup.normalize(t)), ("0", texts[0], dedup.normalize(texts[0])),
            mode=AlignMode.SENTENCES,
        ).swapped()
        for i, t in enumerate(texts[1:], start=1)
    ]
    assert any(alignment.passages for alignment in fresh)
    assert recalled == fresh + fresh
