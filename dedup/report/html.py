"""The HTML report (``dedup scan --html FILE``): one self-contained page to open in a browser.

An overview, the similarity histogram, the families, the lineage graph of each connected group
drawn as SVG, and each pair's aligned passages side by side with the changes marked and the text
outside the passages (page furniture, added paragraphs) set apart. Inline CSS and SVG, no script
and no link out: it works offline from ``file://``, and its Content-Security-Policy forbids
scripts even if something slipped through. Every string from the inputs goes through Jinja2's
autoescaping (docs/html.md).
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Callable, Sequence

import attrs
import jinja2
import markupsafe

from dedup.alignment import align_normalized
from dedup.documents import DocumentInfo, Texts, document_info
from dedup.model import (
    Alignment,
    Document,
    LineageEdge,
    NormalizedText,
    Pair,
    Passage,
    ScanResult,
    WordSpan,
)
from dedup.report.diff import Cell, passage_cells, uncovered
from dedup.report.lineage import components
from dedup.report.svg import GraphLayout, histogram, layered_layout

#: Pairs shown with their passages (the strongest first); the JSON report has them all.
MAX_PAIRS = 200
#: Lineage groups drawn, and families and documents listed.
MAX_GROUPS = 50
MAX_LISTED = 500
# Text outside the passages: this many stretches per side, each cut to this many characters.
_MAX_STRETCHES = 12
_STRETCH_CHARS = 600
_SPACES = re.compile(r"\s+")


@attrs.frozen
class Segment:
    """A run of passage text and how it is marked: "" (same in both), "del", "ins" or "rep"."""

    text: str
    mark: str = ""


@attrs.frozen
class PassageView:
    """One passage: where it lies in each text, and each side's text as marked segments."""

    passage: Passage
    a: tuple[Segment, ...]
    b: tuple[Segment, ...]


@attrs.frozen
class PairView:
    """A pair as shown: its anchor, scores, passages and the text only one side has."""

    anchor: str
    pair: Pair
    alignment: Alignment
    passages: tuple[PassageView, ...]
    only_a: tuple[tuple[int, str], ...]
    only_b: tuple[tuple[int, str], ...]


@attrs.frozen
class GroupView:
    """A connected part of the lineage graph: its drawing and its edges with their pairs."""

    number: int
    families: tuple[str, ...]
    layout: GraphLayout
    edges: tuple[tuple[LineageEdge, str | None], ...]


def scan_to_html(result: ScanResult) -> str:
    """The HTML report of a scan. Pairs without passages are aligned here, as the scan would."""
    from dedup import __version__

    words = _Words(result)
    shown = [
        _pair_view(f"pair-{i}", pair, words) for i, pair in enumerate(result.pairs[:MAX_PAIRS], 1)
    ]
    anchors = {(view.pair.a, view.pair.b): view.anchor for view in shown}
    groups, group_count = _groups(result, anchors)
    grouped = {box.id: group.number for group in groups for box in group.layout.nodes}
    return _template().render(
        version=__version__,
        result=result,
        relations=Counter(str(pair.relation) for pair in result.pairs),
        copy_count=sum(1 for f in result.families if len(f.members) > 1),
        story_count=sum(1 for f in result.stories if len(f.members) > 1),
        copies=[f for f in result.families if len(f.members) > 1][:MAX_LISTED],
        singletons=sum(1 for f in result.families if len(f.members) == 1),
        stories=[f for f in result.stories if len(f.members) > 1][:MAX_LISTED],
        latent=sum(1 for node in result.lineage.nodes if node.latent),
        histogram=histogram(result.pairs, _markers(result)),
        groups=groups,
        group_count=group_count,
        group_of=grouped,
        pairs=shown,
        pair_anchors=_anchors_by_document(shown),
        documents=_listed_documents(result, shown),
        max_pairs=MAX_PAIRS,
    )


@functools.cache
def _template() -> jinja2.Template:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("dedup.report", "templates"),
        # On for every template whatever its name: documents are hostile text.
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_visible_bidi,
    )
    return environment.get_template("report.html.j2")


#: Embeddings, overrides and isolates: a file name "invoice_<U+202E>fdp.exe" shows as
#: "invoice_exe.pdf". Marks (LRM, RLM, ALM) cannot reorder text and stay.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def _visible_bidi(value: object) -> object:
    """Every value a template prints: bidi controls shown as ``[U+202E]`` rather than obeyed."""
    if isinstance(value, str) and _BIDI_CONTROLS.search(value):
        shown = _BIDI_CONTROLS.sub(lambda m: f"[U+{ord(m.group()):04X}]", value)
        # A macro's output is markup already: the marks hold no markup, so it stays markup.
        return markupsafe.Markup(shown) if isinstance(value, markupsafe.Markup) else shown
    return value


class _Words:
    """The documents of the shown pairs and their normalised words, served by the scan's one
    text object (``dedup.documents.Texts``): bounded caches, texts read again from their files."""

    def __init__(self, result: ScanResult) -> None:
        self.result = result
        self._texts = Texts(result.documents, result.config.normalize)
        self.document: Callable[[str], Document] = self._texts.document
        self.normalized: Callable[[str], NormalizedText] = self._texts.normalized

    def alignment(self, pair: Pair) -> Alignment:
        if pair.alignment is not None:
            return pair.alignment
        return align_normalized(
            self._texts.side_of(pair.a), self._texts.side_of(pair.b), self.result.config.align
        )


def _pair_view(anchor: str, pair: Pair, words: _Words) -> PairView:
    alignment = words.alignment(pair)
    docs = (words.document(pair.a), words.document(pair.b))
    normal = (words.normalized(pair.a), words.normalized(pair.b))
    passages = tuple(
        PassageView(p, *_segments(passage_cells(p, docs, normal))) for p in alignment.passages
    )
    only_a = _outside(docs[0], normal[0], [p.a_words for p in alignment.passages])
    only_b = _outside(docs[1], normal[1], [p.b_words for p in alignment.passages])
    return PairView(anchor, pair, alignment, passages, only_a, only_b)


def _segments(cells: Sequence[Cell]) -> tuple[tuple[Segment, ...], tuple[Segment, ...]]:
    """Each side's text as runs: equal words merged, each change marked by its kind."""
    a: list[Segment] = []
    b: list[Segment] = []
    for cell in cells:
        if not cell.changed:
            _extend(a, cell.a_body + cell.a_gap, "")
            _extend(b, cell.b_body + cell.b_gap, "")
            continue
        kind = "rep" if cell.a_body and cell.b_body else "del" if cell.a_body else "ins"
        # The side without words gets an empty mark: where the other side's words would go.
        a += [Segment(cell.a_body, kind), Segment(cell.a_gap)]
        b += [Segment(cell.b_body, kind), Segment(cell.b_gap)]
    return tuple(s for s in a if s.text or s.mark), tuple(s for s in b if s.text or s.mark)


def _extend(segments: list[Segment], text: str, mark: str) -> None:
    if segments and segments[-1].mark == mark:
        segments[-1] = Segment(segments[-1].text + text, mark)
    else:
        segments.append(Segment(text, mark))


def _outside(
    doc: Document, words: NormalizedText, taken: Sequence[WordSpan]
) -> tuple[tuple[int, str], ...]:
    """The stretches no passage holds: (word count, text cut to a readable length)."""
    shown = []
    for stretch in uncovered(len(words.tokens), taken)[:_MAX_STRETCHES]:
        start, end = words.spans[stretch.start].start, words.spans[stretch.end - 1].end
        text = _SPACES.sub(" ", doc.text[start:end])
        if len(text) > _STRETCH_CHARS:
            text = text[: _STRETCH_CHARS - 1] + "…"
        shown.append((stretch.size, text))
    return tuple(shown)


def _groups(
    result: ScanResult, anchors: dict[tuple[str, str], str]
) -> tuple[list[GroupView], int]:
    """The lineage graph's connected parts (the first MAX_GROUPS), each laid out in layers,
    and how many parts there are."""
    family = {member: f.id for f in result.families for member in f.members}
    groups = []
    # The largest groups first: a story copied many times matters more than one re-send.
    parts = sorted(components(result.lineage.edges), key=lambda part: (-len(part), part[0]))
    for number, members in enumerate(parts[:MAX_GROUPS], 1):
        inside = set(members)
        edges = [e for e in result.lineage.edges if e.source in inside]
        labels = {m: _node_label(m) for m in members}
        families = sorted({family[m] for m in members if m in family})
        with_pairs = tuple((e, anchors.get(_ordered(e.source, e.target))) for e in edges)
        groups.append(GroupView(number, tuple(families), layered_layout(members, edges, labels),
                                with_pairs))
    return groups, len(parts)


def _ordered(a: str, b: str) -> tuple[str, str]:
    """A pair's ends as the pair names them (``a`` sorts first)."""
    return (a, b) if a < b else (b, a)


def _node_label(node: str) -> str:
    if node.startswith("latent:"):
        return f"latent source of {node.removeprefix('latent:')}"
    return node


def _markers(result: ScanResult) -> dict[str, float]:
    config = result.config
    return {
        f"near-duplicate threshold {config.threshold:.2f}": config.threshold,
        f"no copy pair below {config.min_jaccard:.2f}": config.min_jaccard,
    }


def _anchors_by_document(shown: Sequence[PairView]) -> dict[str, list[tuple[str, str]]]:
    """For each document, the shown pairs it is in: (anchor, the other document)."""
    found: dict[str, list[tuple[str, str]]] = {}
    for view in shown:
        found.setdefault(view.pair.a, []).append((view.anchor, view.pair.b))
        found.setdefault(view.pair.b, []).append((view.anchor, view.pair.a))
    return found


def _listed_documents(result: ScanResult, shown: Sequence[PairView]) -> list[DocumentInfo]:
    """The documents of the shown pairs, or every document of a small scan (no text read)."""
    every = document_info(result.documents)
    if len(result.documents) <= MAX_LISTED:
        return list(every)
    wanted = {view.pair.a for view in shown} | {view.pair.b for view in shown}
    return [doc for doc in every if doc.id in wanted][:MAX_LISTED]
