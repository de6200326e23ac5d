"""Word-level ops → the public values: Passage, Edit and Coverage, with character offsets."""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from dedup.alignment.edits import WordOp, merge_adjacent
from dedup.model import (
    Coverage,
    CoverageShare,
    Edit,
    EditOp,
    NormalizedText,
    Passage,
    PassageKind,
    Span,
    WordSpan,
)

_OPCODES = {
    "equal": EditOp.EQUAL,
    "replace": EditOp.REPLACE,
    "insert": EditOp.INSERT,
    "delete": EditOp.DELETE,
}


def char_span(text: NormalizedText, words: WordSpan) -> Span:
    """Characters of the original text that words ``[start, end)`` come from.

    An empty range gets an empty span just after the word before it (where words would go).
    """
    if words.size > 0:
        return Span(text.spans[words.start].start, text.spans[words.end - 1].end)
    if words.start > 0:
        end = text.spans[words.start - 1].end
        return Span(end, end)
    start = text.spans[0].start if text.spans else 0
    return Span(start, start)


def to_passage(
    ops: Sequence[WordOp],
    a: NormalizedText,
    b: NormalizedText,
    kind: PassageKind | None = None,
    similarity: float | None = None,
    moved: Sequence[WordOp] = (),
) -> Passage:
    """A Passage from its ops (and moved equal runs); kind and similarity are computed unless
    given (sentence mode)."""
    a_words, b_words = WordSpan(ops[0].a0, ops[-1].a1), WordSpan(ops[0].b0, ops[-1].b1)
    equal = sum(op.equal_words for op in [*ops, *moved])
    if similarity is None:
        similarity = 2 * equal / (a_words.size + b_words.size)
    if kind is None:
        changed = any(op.op is not EditOp.EQUAL for op in ops)
        kind = PassageKind.EDITED if changed else PassageKind.VERBATIM
    return Passage(
        a_span=char_span(a, a_words),
        b_span=char_span(b, b_words),
        similarity=similarity,
        kind=kind,
        edits=tuple(_within(_edit(op, a, b), a_words, b_words, a, b) for op in ops),
        a_words=a_words,
        b_words=b_words,
        moved=tuple(_edit(op, a, b) for op in moved),
    )


def _edit(op: WordOp, a: NormalizedText, b: NormalizedText) -> Edit:
    a_words, b_words = WordSpan(op.a0, op.a1), WordSpan(op.b0, op.b1)
    return Edit(op.op, char_span(a, a_words), char_span(b, b_words), a_words, b_words)


def _within(
    edit: Edit, a_words: WordSpan, b_words: WordSpan, a: NormalizedText, b: NormalizedText
) -> Edit:
    """An edit whose empty side is at the passage's start placed there, not after the word
    before it: a passage may begin with words only one text has (a run moved from its end)."""
    a_span, b_span = edit.a_span, edit.b_span
    if edit.a_words.size == 0 and edit.a_words.start == a_words.start and a_words.size:
        start = a.spans[a_words.start].start
        a_span = Span(start, start)
    if edit.b_words.size == 0 and edit.b_words.start == b_words.start and b_words.size:
        start = b.spans[b_words.start].start
        b_span = Span(start, start)
    return Edit(edit.op, a_span, b_span, edit.a_words, edit.b_words)


def swap_ops(ops: Sequence[WordOp]) -> list[WordOp]:
    """The ops seen from B: inserts become deletes and the sides trade places."""
    flip = {EditOp.INSERT: EditOp.DELETE, EditOp.DELETE: EditOp.INSERT}
    return [WordOp(flip.get(op.op, op.op), op.b0, op.b1, op.a0, op.a1) for op in ops]


def sentence_ops(
    a_hashes: Sequence[int], b_hashes: Sequence[int], a0: int, b0: int
) -> list[WordOp]:
    """Word-level ops between two corresponding sentences (difflib: both are short)."""
    matcher = difflib.SequenceMatcher(None, a_hashes, b_hashes, autojunk=False)
    ops = [
        WordOp(_OPCODES[tag], a0 + i1, a0 + i2, b0 + j1, b0 + j2)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
    ]
    return merge_adjacent(ops)


def coverage(passages: Sequence[Passage], a_words: int, b_words: int) -> Coverage:
    """Share of each text's words in passages, verbatim and edited."""
    covered_a = sum(p.a_words.size for p in passages)
    covered_b = sum(p.b_words.size for p in passages)
    equal = sum(
        e.a_words.size for p in passages for e in (*p.edits, *p.moved) if e.op is EditOp.EQUAL
    )
    return Coverage(a=_share(a_words, equal, covered_a), b=_share(b_words, equal, covered_b))


def _share(words: int, equal: int, covered: int) -> CoverageShare:
    if words == 0:
        return CoverageShare(words=0, verbatim=0.0, edited=0.0)
    return CoverageShare(words=words, verbatim=equal / words, edited=(covered - equal) / words)
