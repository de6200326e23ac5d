"""Renderings of an alignment: ``dedup.diff/1`` JSON, and a terminal view (side by side or unified).

The terminal view shows each passage with its changes marked: in colour on a terminal (red for
A's words, green for B's), or with ``[-…-]`` and ``{+…+}`` when colour is off, as in
``git diff --word-diff``. After the passages it lists what each text has outside them (for a
copy of a web page: the headline, byline, caption, footer).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from itertools import zip_longest
from typing import Any

import attrs

from dedup.config import AlignConfig
from dedup.model import (
    Alignment,
    AlignMode,
    CoverageShare,
    Document,
    Edit,
    EditOp,
    NormalizedText,
    Passage,
    WordSpan,
)
from dedup.report.escape import cut_to_width, display_width, one_line

DIFF_SCHEMA = "dedup.diff/1"

# --- JSON --------------------------------------------------------------------------------------


def passage_to_dict(passage: Passage) -> dict[str, Any]:
    """One passage as JSON-ready data: character offsets into each text, kind, edits."""
    return {
        "a_start": passage.a_span.start,
        "a_end": passage.a_span.end,
        "b_start": passage.b_span.start,
        "b_end": passage.b_span.end,
        "similarity": round(passage.similarity, 6),
        "kind": str(passage.kind),
        "words": {"a": passage.a_words.size, "b": passage.b_words.size},
        "edits": [_edit_to_dict(edit) for edit in passage.edits],
        "moved": [_edit_to_dict(edit) for edit in passage.moved],
    }


def _edit_to_dict(edit: Edit) -> dict[str, Any]:
    return {
        "op": str(edit.op),
        "a_start": edit.a_span.start,
        "a_end": edit.a_span.end,
        "b_start": edit.b_span.start,
        "b_end": edit.b_span.end,
    }


def alignment_to_dict(alignment: Alignment) -> dict[str, Any]:
    """An alignment's ``passages`` and ``coverage``, as every JSON report carries them."""
    return {
        "passages": [passage_to_dict(p) for p in alignment.passages],
        "coverage": coverage_to_dict(alignment),
    }


def coverage_to_dict(alignment: Alignment) -> dict[str, Any]:
    """Coverage of each text: its word count and the shares verbatim, edited and in total."""
    return {
        "a": _share_to_dict(alignment.coverage.a),
        "b": _share_to_dict(alignment.coverage.b),
    }


def _share_to_dict(share: CoverageShare) -> dict[str, Any]:
    return {
        "words": share.words,
        "verbatim": round(share.verbatim, 6),
        "edited": round(share.edited, 6),
        "total": round(share.total, 6),
    }


def diff_to_dict(
    alignment: Alignment, a: Document, b: Document, config: AlignConfig | None = None
) -> dict[str, Any]:
    """The ``dedup.diff/1`` report (documented in docs/formats.md)."""
    from dedup import __version__

    report: dict[str, Any] = {
        "schema": DIFF_SCHEMA,
        "dedup_version": __version__,
        "mode": str(alignment.mode),
        "a": _document(a),
        "b": _document(b),
        **alignment_to_dict(alignment),
    }
    if config is not None:
        report["config"] = attrs.asdict(config)
    return report


def diff_to_json(
    alignment: Alignment, a: Document, b: Document, config: AlignConfig | None = None
) -> str:
    """The ``dedup.diff/1`` report as a JSON string."""
    return json.dumps(diff_to_dict(alignment, a, b, config), indent=2, ensure_ascii=False)


def _document(doc: Document) -> dict[str, Any]:
    return {"id": doc.id, "path": doc.path, "chars": len(doc.text)}


# --- terminal view -----------------------------------------------------------------------------

_SPACES = re.compile(r"\s+")
_PIECES = re.compile(r"[^ ]+ *| +")
_ANSI = {"del": "\x1b[31m", "ins": "\x1b[32m", "head": "\x1b[1;36m", "dim": "\x1b[2m"}
_RESET = "\x1b[0m"
_MARKERS = {"del": ("[-", "-]"), "ins": ("{+", "+}")}
_SEPARATOR = " | "
# "Only in a/b" lists at most this many stretches, each cut to a few lines.
_MAX_STRETCHES = 12
_STRETCH_LINES = 3


@attrs.frozen
class _Word:
    """A piece of text to lay out, with its style: "" plain, "del", "ins", "head" or "dim"."""

    text: str
    style: str = ""


@attrs.frozen
class Cell:
    """One word (or one change) on each side: its text, and what follows it up to the next.

    A changed cell with no ``a_body`` is an insertion, with no ``b_body`` a deletion, with
    both a replacement.
    """

    a_body: str
    a_gap: str
    b_body: str
    b_gap: str
    changed: bool


@attrs.frozen
class ViewOptions:
    """How the terminal view looks."""

    side_by_side: bool = True
    width: int = 100
    color: bool = False


_DEFAULT_VIEW = ViewOptions()


@attrs.frozen
class _View:
    """The two documents, their normalised words, and the view options."""

    a: Document
    b: Document
    words_a: NormalizedText
    words_b: NormalizedText
    options: ViewOptions


def diff_to_text(
    alignment: Alignment,
    docs: tuple[Document, Document],
    words: tuple[NormalizedText, NormalizedText],
    options: ViewOptions = _DEFAULT_VIEW,
) -> str:
    """The terminal view: a summary, each passage with its changes, then what lies outside."""
    pair = _View(docs[0], docs[1], words[0], words[1], options)
    lines = _summary(alignment, pair)
    count = len(alignment.passages)
    for number, passage in enumerate(alignment.passages, start=1):
        lines += ["", _style(_passage_title(number, count, passage), "head", pair)]
        cells = list(_cells(passage, pair))
        lines += _columns(cells, pair) if options.side_by_side else _unified(cells, pair)
    lines += _outside(alignment, pair)
    return "\n".join(lines) + "\n"


def _summary(alignment: Alignment, pair: _View) -> list[str]:
    kinds = Counter(str(p.kind) for p in alignment.passages)
    detail = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
    count = len(alignment.passages)
    # Sentence mode's passages are similar sentences joined, in any order.
    how = " of similar sentences" if alignment.mode is AlignMode.SENTENCES else ""
    return [
        _style(f"dedup diff: a = {one_line(pair.a.id)}  b = {one_line(pair.b.id)}", "head", pair),
        f"{count} passage{'' if count == 1 else 's'}{how}" + (f" ({detail})" if detail else ""),
        f"a: {_percent(alignment.coverage.a)}",
        f"b: {_percent(alignment.coverage.b)}",
    ]


def _percent(share: CoverageShare) -> str:
    return (
        f"{share.words} words, {share.total:.1%} aligned "
        f"({share.verbatim:.1%} verbatim, {share.edited:.1%} edited)"
    )


def _passage_title(number: int, count: int, passage: Passage) -> str:
    # Moved runs show as deleted and inserted in the edits; the title says which they are.
    moved = "".join(
        f", moved: a {m.a_span.start}-{m.a_span.end} = b {m.b_span.start}-{m.b_span.end}"
        for m in passage.moved
    )
    return (
        f"@@ {number}/{count} {passage.kind}, similarity {passage.similarity:.2f}: "
        f"a {passage.a_span.start}-{passage.a_span.end}, "
        f"b {passage.b_span.start}-{passage.b_span.end}{moved} @@"
    )


def passage_cells(
    passage: Passage,
    docs: tuple[Document, Document],
    words: tuple[NormalizedText, NormalizedText],
) -> list[Cell]:
    """The passage as cells in order: word by word where equal, one cell per change."""
    return list(_cells(passage, _View(docs[0], docs[1], words[0], words[1], _DEFAULT_VIEW)))


def _cells(passage: Passage, pair: _View) -> Iterator[Cell]:
    """Word by word for equal runs; one cell per change."""
    for edit in passage.edits:
        if edit.op is EditOp.EQUAL:
            for offset in range(edit.a_words.size):
                wa = WordSpan(edit.a_words.start + offset, edit.a_words.start + offset + 1)
                wb = WordSpan(edit.b_words.start + offset, edit.b_words.start + offset + 1)
                yield _cell(wa, wb, passage, pair, changed=False)
        else:
            yield _cell(edit.a_words, edit.b_words, passage, pair, changed=True)


def _cell(wa: WordSpan, wb: WordSpan, passage: Passage, pair: _View, changed: bool) -> Cell:
    a_body, a_gap = _word_text(pair.a.text, pair.words_a, wa, passage.a_words)
    b_body, b_gap = _word_text(pair.b.text, pair.words_b, wb, passage.b_words)
    return Cell(a_body, a_gap, b_body, b_gap, changed)


def _word_text(
    text: str, words: NormalizedText, span: WordSpan, passage: WordSpan
) -> tuple[str, str]:
    """The words' characters, and those up to the next word of the passage (spaces collapsed)."""
    if span.size == 0:
        return "", ""
    start, end = words.spans[span.start].start, words.spans[span.end - 1].end
    following = words.spans[span.end].start if span.end < passage.end else end
    return _flat(text[start:end]), _flat(text[end:following])


def _flat(text: str) -> str:
    """Spaces collapsed, and nothing in the text that a terminal would act on."""
    return one_line(_SPACES.sub(" ", text))


def _columns(cells: Sequence[Cell], pair: _View) -> list[str]:
    """Side by side: A on the left, B on the right, rows filled word by word in step."""
    width = max(10, (pair.options.width - len(_SEPARATOR)) // 2)
    rows: list[tuple[list[_Word], list[_Word]]] = [([], [])]
    for cell in cells:
        style_a, style_b = ("del", "ins") if cell.changed else ("", "")
        a_words = _units(cell.a_body, cell.a_gap, style_a, pair)
        b_words = _units(cell.b_body, cell.b_gap, style_b, pair)
        left, right = rows[-1]
        if _fits(left, a_words, width) and _fits(right, b_words, width):
            left += a_words
            right += b_words
            continue
        a_lines, b_lines = _wrap(a_words, width), _wrap(b_words, width)
        rows += [(la or [], lb or []) for la, lb in zip_longest(a_lines, b_lines)]
    return [
        _render(left, pair, width) + _SEPARATOR + _render(right, pair, None)
        for left, right in rows
        if left or right
    ]


def _unified(cells: Sequence[Cell], pair: _View) -> list[str]:
    """One flow: A's text, with each change shown as A's words then B's."""
    flow: list[_Word] = []
    for cell in cells:
        if cell.changed:
            # What follows the change is A's text, shown after B's words.
            gap = cell.a_gap if cell.a_body else cell.b_gap
            deleted = _units(cell.a_body, "" if cell.b_body else gap, "del", pair)
            flow += deleted + _units(cell.b_body, gap, "ins", pair)
        else:
            flow += _units(cell.a_body, cell.a_gap, "", pair)
    return [_render(line, pair, None) for line in _wrap(flow, pair.options.width)]


def _units(body: str, gap: str, style: str, pair: _View) -> list[_Word]:
    """Layout units of a word and what follows it: split after spaces, markers when plain."""
    if not body:
        return []
    if style in _MARKERS and not pair.options.color:
        opening, closing = _MARKERS[style]
        body, style = opening + body + closing, ""
    return [_Word(piece, style) for piece in _PIECES.findall(body + gap)]


def _visible(words: Sequence[_Word]) -> int:
    """Terminal columns the words take (wide CJK characters count two)."""
    return sum(display_width(word.text) for word in words)


def _fits(line: Sequence[_Word], words: Sequence[_Word], width: int) -> bool:
    return _visible(line) + display_width("".join(w.text for w in words).rstrip()) <= width


def _wrap(words: Sequence[_Word], width: int) -> list[list[_Word]]:
    """Greedy line filling; a word longer than a line is cut."""
    lines: list[list[_Word]] = [[]]
    for word in words:
        for piece in _cut(word, width):
            if lines[-1] and _visible(lines[-1]) + display_width(piece.text.rstrip()) > width:
                lines.append([])
            lines[-1].append(piece)
    return [line for line in lines if line]


def _cut(word: _Word, width: int) -> list[_Word]:
    return [_Word(piece, word.style) for piece in cut_to_width(word.text, width)] or [word]


def _render(words: Sequence[_Word], pair: _View, pad_to: int | None) -> str:
    """The words as one line, coloured if asked, padded to ``pad_to`` visible characters."""
    # Trailing spaces are always outside colour codes, so stripping them is safe.
    out = "".join(_style(w.text, w.style, pair) for w in words).rstrip(" ")
    if pad_to is not None:
        out += " " * max(0, pad_to - display_width("".join(w.text for w in words).rstrip(" ")))
    return out


def _style(text: str, style: str, pair: _View) -> str:
    if not pair.options.color or not style or not text.strip():
        return text
    # Trailing spaces stay outside the colour, so a highlight never runs into the next word.
    body = text.rstrip(" ")
    return _ANSI[style] + body + _RESET + text[len(body) :]


def _outside(alignment: Alignment, pair: _View) -> list[str]:
    """The stretches of words of each text that no passage holds."""
    lines: list[str] = []
    sides = (
        ("a", pair.a, pair.words_a, [p.a_words for p in alignment.passages]),
        ("b", pair.b, pair.words_b, [p.b_words for p in alignment.passages]),
    )
    for name, doc, words, taken in sides:
        stretches = uncovered(len(words.tokens), taken)
        if not stretches:
            continue
        count = sum(s.size for s in stretches)
        plural = "stretch" if len(stretches) == 1 else "stretches"
        heading = f"Only in {name}: {count} words in {len(stretches)} {plural}"
        lines += ["", _style(heading, "head", pair)]
        for stretch in stretches[:_MAX_STRETCHES]:
            lines += _stretch(name, doc, words, stretch, pair)
        if len(stretches) > _MAX_STRETCHES:
            lines.append(f"  … and {len(stretches) - _MAX_STRETCHES} more stretches")
    return lines


def uncovered(size: int, taken: Sequence[WordSpan]) -> list[WordSpan]:
    """The stretches of ``[0, size)`` that no span of ``taken`` holds, in order."""
    stretches: list[WordSpan] = []
    cursor = 0
    for span in sorted(taken, key=lambda s: s.start):
        if span.start > cursor:
            stretches.append(WordSpan(cursor, span.start))
        cursor = max(cursor, span.end)
    if cursor < size:
        stretches.append(WordSpan(cursor, size))
    return stretches


def _stretch(
    name: str, doc: Document, words: NormalizedText, stretch: WordSpan, pair: _View
) -> list[str]:
    start, end = words.spans[stretch.start].start, words.spans[stretch.end - 1].end
    label = f"  {name} {start}-{end} ({stretch.size} words):"
    text = _flat(doc.text[start:end])
    flow = [_Word(piece + " ", "dim") for piece in text.split(" ") if piece]
    lines = _wrap(flow, max(20, pair.options.width - 4))
    shown = [label] + ["    " + _render(line, pair, None) for line in lines[:_STRETCH_LINES]]
    if len(lines) > _STRETCH_LINES:
        shown.append("    …")
    return shown
