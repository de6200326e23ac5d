"""Passage alignment: anchors, chains, edit scripts, and ``dedup.align`` on small cases."""

from __future__ import annotations

import numpy as np
import pytest

import dedup
from dedup.alignment.anchors import Seed, anchors, seeds
from dedup.alignment.chain import IntervalSet, chains
from dedup.alignment.edits import (
    DELETE,
    EQUAL,
    INSERT,
    REPLACE,
    WordOp,
    best_segments,
    global_steps,
    prefix_steps,
    to_ops,
)
from dedup.config import AlignConfig
from dedup.errors import ConfigError
from dedup.model import Document, EditOp, PassageKind
from dedup.shingling import token_hashes

STORY = (
    "The head of the space agency praised the crew on Tuesday after a coolant leak forced "
    "engineers to cancel a routine spacewalk outside the orbiting laboratory."
)
BACKGROUND = (
    "The station is one of the few remaining fields of cooperation between Moscow and "
    "Washington since the start of the offensive and the sanctions that followed."
)
OTHER = (
    "Farmers in the northern valley reported a record harvest of apples this autumn, "
    "and prices at the regional market fell for the third week running."
)


def hashes(text: str) -> np.ndarray:
    return token_hashes(dedup.normalize(text).tokens)


def texts(alignment: dedup.Alignment, a: str, b: str) -> list[tuple[str, str]]:
    return [
        (a[p.a_span.start : p.a_span.end], b[p.b_span.start : p.b_span.end])
        for p in alignment.passages
    ]


# --- anchors and seeds -------------------------------------------------------------------------


def test_seeds_are_maximal_runs_of_shared_ngrams_along_a_diagonal() -> None:
    a = hashes("x y one two three four five z")
    b = hashes("one two three four five q q q one two three")
    found = seeds(a, b, 3, 8)
    assert Seed(2, 0, 5) in found
    assert Seed(2, 8, 3) in found
    assert found == sorted(found, key=lambda s: (s.a, s.b))


def test_ngrams_repeated_past_the_limit_are_no_anchors() -> None:
    many = hashes("a b c " * 20)
    a_pos, b_pos = anchors(many, many, 3, 8)
    assert a_pos.size == 0 and b_pos.size == 0
    a_pos, _ = anchors(many, many, 3, 20)
    assert a_pos.size > 0


def test_texts_shorter_than_an_anchor_have_no_seeds() -> None:
    assert seeds(hashes("one two"), hashes("one two"), 3, 8) == []


# --- edit scripts ------------------------------------------------------------------------------


def test_global_steps_prefer_a_replacement_to_a_deletion_and_an_insertion() -> None:
    assert global_steps([1, 2, 3], [1, 9, 3]) == [EQUAL, REPLACE, EQUAL]
    assert global_steps([1, 2, 3], [1, 3]) == [EQUAL, DELETE, EQUAL]
    assert global_steps([], [5, 6]) == [INSERT, INSERT]


def test_prefix_steps_grow_through_a_change_only_when_equal_words_follow() -> None:
    assert prefix_steps([7, 1, 2], [8, 1, 2]) == [REPLACE, EQUAL, EQUAL]
    assert prefix_steps([7, 1], [8, 9]) == []
    assert prefix_steps([], [1]) == []


def test_ops_group_steps_into_runs() -> None:
    ops = to_ops([EQUAL, EQUAL, REPLACE, INSERT, EQUAL], 10, 20)
    assert ops == [
        WordOp(EditOp.EQUAL, 10, 12, 20, 22),
        WordOp(EditOp.REPLACE, 12, 13, 22, 24),
        WordOp(EditOp.EQUAL, 13, 14, 24, 25),
    ]


def test_best_segments_trim_changed_ends_and_split_at_a_bad_middle() -> None:
    ops = [
        WordOp(EditOp.DELETE, 0, 2, 0, 0),
        WordOp(EditOp.EQUAL, 2, 12, 0, 10),
        WordOp(EditOp.REPLACE, 12, 32, 10, 30),
        WordOp(EditOp.EQUAL, 32, 41, 30, 39),
        WordOp(EditOp.INSERT, 41, 41, 39, 40),
    ]
    segments = best_segments(ops, min_words=8)
    assert segments == [[ops[1]], [ops[3]]]
    assert best_segments(ops, min_words=10) == [[ops[1]]]


# --- chains and taken words --------------------------------------------------------------------


def test_chains_join_seeds_across_small_gaps_and_not_across_large_ones() -> None:
    near = [Seed(0, 0, 5), Seed(6, 7, 5), Seed(12, 13, 4)]
    far = [Seed(100, 0, 4)]
    found = chains(sorted(near + far), max_gap=3)
    assert found[0].seeds == near
    # Each link costs the larger of its two gaps: 2 words, then 1.
    assert found[0].score == 5 + (5 - 2) + (4 - 1)
    assert [c.seeds for c in found[1:]] == [far]


def test_interval_set_reports_free_ranges() -> None:
    taken = IntervalSet(100)
    taken.add(10, 20)
    taken.add(50, 60)
    assert taken.free_around(30) == (20, 50)
    assert taken.free_around(15) is None
    assert taken.free_around(0) == (0, 10)
    assert taken.free_parts(5, 55) == [(5, 10), (20, 50)]
    assert taken.free_parts(12, 18) == []


# --- align -------------------------------------------------------------------------------------


def test_a_reused_background_paragraph_is_found_between_different_stories() -> None:
    a = f"{STORY}\n\n{BACKGROUND}"
    b = f"{OTHER}\n\n{BACKGROUND.replace('remaining ', '')}\n\n{OTHER}"
    alignment = dedup.align(a, b)
    ((in_a, in_b),) = texts(alignment, a, b)
    assert in_a.startswith("The station is one of the few") and in_a.endswith("followed")
    assert in_b.startswith("The station is one of the few")
    (passage,) = alignment.passages
    assert passage.kind is PassageKind.EDITED
    assert [str(e.op) for e in passage.edits] == ["equal", "delete", "equal"]


def test_moved_paragraphs_are_one_passage_with_the_moved_run_marked() -> None:
    a = f"{STORY}\n\n{BACKGROUND}\n\n{OTHER}"
    b = f"{OTHER}\n\n{STORY}\n\n{BACKGROUND}"
    alignment = dedup.align(a, b)
    # One reuse, one passage: the whole of both texts, reordered.
    (passage,) = alignment.passages
    assert alignment.coverage.a.verbatim == pytest.approx(1.0)
    assert passage.kind is PassageKind.EDITED
    (moved,) = passage.moved
    assert a[moved.a_span.start : moved.a_span.end] == b[moved.b_span.start : moved.b_span.end]
    assert moved.b_span.start == 0 and OTHER.startswith(b[: moved.b_span.end])
    # The edit script reads in order: OTHER inserted before STORY, deleted after BACKGROUND.
    assert [str(e.op) for e in passage.edits] == ["insert", "equal", "delete"]


def test_a_shared_phrase_shorter_than_min_words_is_not_a_passage() -> None:
    a = "officials said the international space station was safe for now"
    b = "analysts wrote that the international space station is aging fast"
    assert dedup.align(a, b).passages == ()
    assert dedup.align(a, b, AlignConfig(min_words=3)).passages != ()


def test_identical_texts_are_one_passage_even_when_short() -> None:
    alignment = dedup.align("Hello, world!", "hello world")
    (passage,) = alignment.passages
    assert passage.kind is PassageKind.VERBATIM
    assert (passage.a_span.start, passage.a_span.end) == (0, 12)
    assert (passage.b_span.start, passage.b_span.end) == (0, 11)


def test_texts_without_words_align_to_nothing() -> None:
    alignment = dedup.align("", "!!! ...")
    assert alignment.passages == ()
    assert alignment.coverage.a.words == 0 and alignment.coverage.a.total == 0.0


def test_ids_come_from_documents_and_default_for_strings() -> None:
    assert (dedup.align("x", "y").a, dedup.align("x", "y").b) == ("a", "b")
    alignment = dedup.align(Document("left", STORY), Document("right", STORY))
    assert (alignment.a, alignment.b) == ("left", "right")


def test_coverage_splits_verbatim_and_edited_words() -> None:
    a = STORY
    b = STORY.replace("praised", "thanked")
    coverage = dedup.align(a, b).coverage
    words = len(dedup.normalize(a).tokens)
    assert coverage.a.words == words
    assert coverage.a.verbatim == pytest.approx((words - 1) / words)
    assert coverage.a.edited == pytest.approx(1 / words)
    assert coverage.a.total == pytest.approx(1.0)


def test_one_word_repeated_many_times_finishes() -> None:
    # No n-gram is rare enough to anchor, so nothing is aligned, quickly.
    alignment = dedup.align("spam " * 20_000, "spam " * 20_001)
    assert alignment.passages == ()


def test_a_very_long_line_finishes() -> None:
    line = " ".join(f"w{i % 5000}" for i in range(30_000))
    alignment = dedup.align(line, line + " tail end")
    assert alignment.coverage.a.total > 0.9


def test_bad_config_values_are_config_errors() -> None:
    with pytest.raises(ConfigError):
        AlignConfig(anchor=0)
    with pytest.raises(ConfigError):
        AlignConfig(sentence_threshold=1.5)
    with pytest.raises(ConfigError):
        AlignConfig(min_words=0)
