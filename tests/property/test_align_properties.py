"""Invariants of passage and sentence alignment; each test is named after its invariant."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from dedup.alignment import align, align_sentences
from dedup.config import AlignConfig
from dedup.model import Alignment, Document, EditOp, PassageKind
from dedup.normalization import normalize

# --- strategies --------------------------------------------------------------------------------

# Letters whose folding never splits or merges tokens, so that the text under a span normalises
# to exactly the tokens the span came from (½ → "1", "2" would share one span).
LETTERS = "abcdefghijklmnopqrstuvwxyzéèàüöçñ"
words = st.text(alphabet=LETTERS, min_size=1, max_size=7)
SEPARATORS = [" ", " ", " ", "\n", ", ", ". ", ".\n\n", " – ", ' "', '" ', "; "]


@st.composite
def layout(draw: st.DrawFn, tokens: list[str]) -> str:
    """The words as running text: random separators, some capitalised."""
    parts = []
    for word in tokens:
        parts += [word.capitalize() if draw(st.booleans()) else word]
        parts += [draw(st.sampled_from(SEPARATORS))]
    return "".join(parts)


@st.composite
def related_pair(draw: st.DrawFn) -> tuple[str, str]:
    """Two texts sharing paragraphs, moved, edited, between paragraphs of their own."""
    pool = draw(st.lists(st.lists(words, min_size=1, max_size=30), min_size=1, max_size=6))
    a_paragraphs = [p for p in pool if draw(st.booleans())] + draw(
        st.lists(st.lists(words, max_size=20), max_size=2)
    )
    b_paragraphs = [_edited(draw, p) for p in pool if draw(st.booleans())] + draw(
        st.lists(st.lists(words, max_size=20), max_size=2)
    )
    a_paragraphs = draw(st.permutations(a_paragraphs))
    b_paragraphs = draw(st.permutations(b_paragraphs))
    text_a = draw(layout([w for p in a_paragraphs for w in p]))
    text_b = draw(layout([w for p in b_paragraphs for w in p]))
    return text_a, text_b


def _edited(draw: st.DrawFn, paragraph: list[str]) -> list[str]:
    edited = list(paragraph)
    for _ in range(draw(st.integers(0, 3))):
        if not edited:
            break
        where = draw(st.integers(0, len(edited) - 1))
        action = draw(st.sampled_from(["replace", "insert", "delete"]))
        if action == "delete":
            del edited[where]
        else:
            edited[where : where + (action == "replace")] = [draw(words)]
    return edited


configs = st.builds(
    AlignConfig,
    anchor=st.integers(2, 5),
    max_occurrences=st.integers(1, 10),
    max_gap=st.integers(1, 25),
    min_words=st.integers(1, 12),
)


def tokens_of(text: str) -> tuple[str, ...]:
    return normalize(text).tokens


# --- invariants --------------------------------------------------------------------------------


@given(related_pair(), configs)
def test_passages_lie_within_documents(pair: tuple[str, str], config: AlignConfig) -> None:
    text_a, text_b = pair
    words_a, words_b = len(tokens_of(text_a)), len(tokens_of(text_b))
    for passage in align(text_a, text_b, config).passages:
        assert 0 <= passage.a_span.start < passage.a_span.end <= len(text_a)
        assert 0 <= passage.b_span.start < passage.b_span.end <= len(text_b)
        assert 0 <= passage.a_words.start < passage.a_words.end <= words_a
        assert 0 <= passage.b_words.start < passage.b_words.end <= words_b
        for edit in passage.edits:
            assert passage.a_span.start <= edit.a_span.start <= edit.a_span.end
            assert edit.a_span.end <= passage.a_span.end
            assert passage.b_span.start <= edit.b_span.start <= edit.b_span.end
            assert edit.b_span.end <= passage.b_span.end


@given(related_pair(), configs)
def test_verbatim_passage_texts_are_equal_after_normalisation(
    pair: tuple[str, str], config: AlignConfig
) -> None:
    text_a, text_b = pair
    for passage in align(text_a, text_b, config).passages:
        under_a = tokens_of(text_a[passage.a_span.start : passage.a_span.end])
        under_b = tokens_of(text_b[passage.b_span.start : passage.b_span.end])
        assert len(under_a) == passage.a_words.size
        assert len(under_b) == passage.b_words.size
        if passage.kind is PassageKind.VERBATIM:
            assert under_a == under_b
        for edit in (*passage.edits, *passage.moved):
            if edit.op is EditOp.EQUAL:
                equal_a = tokens_of(text_a[edit.a_span.start : edit.a_span.end])
                assert equal_a == tokens_of(text_b[edit.b_span.start : edit.b_span.end])


@given(related_pair(), configs)
def test_edits_tile_each_passage_and_passages_do_not_overlap(
    pair: tuple[str, str], config: AlignConfig
) -> None:
    alignment = align(*pair, config)
    for passage in alignment.passages:
        # A passage begins and ends with equal words: in place, or moved.
        runs = [e for e in (*passage.edits, *passage.moved) if e.op is EditOp.EQUAL]
        assert min(e.a_words.start for e in runs) == passage.a_words.start
        assert max(e.a_words.end for e in runs) == passage.a_words.end
        assert min(e.b_words.start for e in runs) == passage.b_words.start
        assert max(e.b_words.end for e in runs) == passage.b_words.end
        assert passage.edits[0].a_words.start == passage.a_words.start
        assert passage.edits[-1].b_words.end == passage.b_words.end
        for before, after in itertools.pairwise(passage.edits):
            assert before.a_words.end == after.a_words.start
            assert before.b_words.end == after.b_words.start
        equal = sum(e.a_words.size for e in passage.edits if e.op is EditOp.EQUAL)
        whole = equal == passage.a_words.size == passage.b_words.size  # identical texts
        assert equal >= config.min_words or whole
    for side in ("a_words", "b_words"):
        spans = sorted((getattr(p, side) for p in alignment.passages), key=lambda s: s.start)
        assert all(x.end <= y.start for x, y in itertools.pairwise(spans))


@given(st.lists(words, min_size=1, max_size=60).flatmap(layout))
def test_self_alignment_is_one_full_passage(text: str) -> None:
    size = len(tokens_of(text))
    alignment = align(Document("x", text), Document("y", text))
    if size == 0:
        assert alignment.passages == ()
        return
    (passage,) = alignment.passages
    assert passage.kind is PassageKind.VERBATIM
    assert (passage.a_words.start, passage.a_words.end) == (0, size)
    assert passage.a_span == passage.b_span
    assert alignment.coverage.a.verbatim == alignment.coverage.b.verbatim == 1.0


@st.composite
def edited_copy(draw: st.DrawFn) -> tuple[list[str], list[str], list[tuple[str, int, int]]]:
    """Distinct words, a copy with single-word edits at least 4 words apart, and the edits.

    Each edit is ``(op, index in the original, index in the copy)``; the first and last four
    words are kept so that the passage spans both texts whole.
    """
    base = draw(st.lists(st.text(alphabet="abcdefghij", min_size=2, max_size=6), min_size=12,
                         max_size=80, unique=True))
    spots = sorted(draw(st.sets(st.integers(4, len(base) - 5), max_size=len(base) // 5)))
    spots = [s for i, s in enumerate(spots) if i == 0 or s - spots[i - 1] >= 5]
    copy, edits, shift = list(base), [], 0
    for number, spot in enumerate(spots):
        op = draw(st.sampled_from(["replace", "insert", "delete"]))
        fresh = f"new{number}"  # digits: never one of the base words
        where = spot + shift
        if op == "replace":
            copy[where] = fresh
        elif op == "insert":
            copy.insert(where, fresh)
            shift += 1
        else:
            del copy[where]
            shift -= 1
        edits.append((op, spot, where))
    return base, copy, edits


@given(edited_copy())
def test_random_word_edits_are_recovered(case: tuple[list[str], list[str], list]) -> None:
    base, copy, planted = case
    alignment = align(" ".join(base), " ".join(copy))
    (passage,) = alignment.passages
    assert (passage.a_words.start, passage.a_words.end) == (0, len(base))
    assert (passage.b_words.start, passage.b_words.end) == (0, len(copy))
    found = [
        (str(e.op), e.a_words.start, e.b_words.start, e.a_words.size, e.b_words.size)
        for e in passage.edits
        if e.op is not EditOp.EQUAL
    ]
    sizes = {"replace": (1, 1), "insert": (0, 1), "delete": (1, 0)}
    assert found == [(op, a, b, *sizes[op]) for op, a, b in planted]
    assert passage.kind is (PassageKind.EDITED if planted else PassageKind.VERBATIM)


def _same(one: Alignment, other: Alignment) -> None:
    assert one.passages == other.passages
    assert one.coverage == other.coverage


@given(related_pair(), configs)
def test_alignment_is_symmetric(pair: tuple[str, str], config: AlignConfig) -> None:
    text_a, text_b = pair
    forward = align(Document("a", text_a), Document("b", text_b), config)
    backward = align(Document("b", text_b), Document("a", text_a), config)
    _same(backward, forward.swapped())
    assert (backward.a, backward.b) == ("b", "a")


@given(related_pair())
def test_sentence_alignment_is_symmetric_and_disjoint(pair: tuple[str, str]) -> None:
    forward = align_sentences(*pair)
    _same(align_sentences(pair[1], pair[0]), forward.swapped())
    for before, after in itertools.pairwise(forward.passages):
        assert before.a_words.end <= after.a_words.start
    in_b = sorted((p.b_words.start, p.b_words.end) for p in forward.passages)
    assert all(end <= start for (_, end), (start, _) in itertools.pairwise(in_b))
    for passage in forward.passages:
        assert passage.kind in (PassageKind.PARAPHRASE, PassageKind.VERBATIM)
        assert passage.similarity >= AlignConfig().sentence_threshold
