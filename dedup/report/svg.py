"""Geometry of the HTML report's drawings: the lineage graph in layers, the similarity histogram.

Only coordinates and labels are computed here; ``templates/report.html.j2`` writes the SVG (with
autoescaping), so no text from a document is ever put into markup by hand.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

import attrs

from dedup.model import LineageEdge, Pair, Relation

NODE_HEIGHT = 34
_H_GAP, _V_GAP, _MARGIN = 30, 70, 12
# A label longer than this is cut; the full id is in the node's tooltip.
_MAX_LABEL = 30
# Box width per label character (12 px monospace) and around the label; boxes of one graph
# share the width of the longest label, so short ids (Reuters' numbers) make a narrow graph.
_CHAR_WIDTH, _PADDING, _MIN_WIDTH = 7.3, 20, 90


@attrs.frozen
class NodeBox:
    """A node drawn as a box whose top-left corner is ``(x, y)``."""

    id: str
    label: str
    latent: bool
    x: int
    y: int
    width: int
    height: int = NODE_HEIGHT

    @property
    def centre(self) -> int:
        """The x of the box's middle."""
        return self.x + self.width // 2


@attrs.frozen
class EdgeLine:
    """An arrow drawn as the cubic curve ``path``, and where its confidence label goes.

    From the bottom of the source's box to the top of the target's; between two boxes of one
    layer (a secondary source beside its copy) it loops below them, bottom to bottom.
    """

    edge: LineageEdge
    path: str
    label_x: int
    label_y: int


@attrs.frozen
class GraphLayout:
    """A drawn lineage graph: its size, boxes and arrows."""

    width: int
    height: int
    nodes: tuple[NodeBox, ...]
    edges: tuple[EdgeLine, ...]


def layered_layout(
    nodes: Sequence[str], edges: Sequence[LineageEdge], labels: Mapping[str, str]
) -> GraphLayout:
    """Sources above their copies: each node one layer below its primary source.

    Secondary sources do not set layers (a copy would otherwise sink below both sources and the
    arrow from its primary source cross a box); their arrows bend to wherever the copy is.
    """
    layers = _layers(nodes, [edge for edge in edges if edge.primary])
    rows: dict[int, list[str]] = defaultdict(list)
    for node in sorted(nodes):
        rows[layers[node]].append(node)
    parents: dict[str, list[str]] = defaultdict(list)
    for edge in edges:
        parents[edge.target].append(edge.source)
    column: dict[str, float] = {}
    for depth in sorted(rows):
        # Each copy under the mean position of its sources, so arrows cross less.
        rows[depth].sort(key=lambda n: (_mean(column[p] for p in parents[n] if p in column), n))
        column.update((node, float(i)) for i, node in enumerate(rows[depth]))
    shown = {node: _short(labels.get(node, node)) for node in nodes}
    box_width = max(_MIN_WIDTH, round(max(map(len, shown.values()), default=0) * _CHAR_WIDTH)
                    + _PADDING)
    widest = max((len(row) for row in rows.values()), default=0)
    width = 2 * _MARGIN + widest * box_width + max(0, widest - 1) * _H_GAP
    boxes = {
        node: _box(node, shown[node], (depth, i, len(row)), width, box_width)
        for depth, row in rows.items()
        for i, node in enumerate(row)
    }
    lines = tuple(_line(e, boxes) for e in edges if e.source in boxes and e.target in boxes)
    # Room under the last layer when an arrow loops below it.
    loops = any(boxes[e.target].y <= boxes[e.source].y for e in edges if e.target in boxes
                and e.source in boxes)
    height = 2 * _MARGIN + len(rows) * (NODE_HEIGHT + _V_GAP) - (0 if loops else _V_GAP)
    return GraphLayout(width, height, tuple(boxes.values()), lines)


def _layers(nodes: Sequence[str], edges: Sequence[LineageEdge]) -> dict[str, int]:
    """Longest path from a root, in topological order (Kahn); a node on a cycle, which a
    lineage graph should not have, goes below everything else rather than looping."""
    children: dict[str, list[str]] = defaultdict(list)
    waiting = dict.fromkeys(nodes, 0)
    for edge in edges:
        children[edge.source].append(edge.target)
        waiting[edge.target] = waiting.get(edge.target, 0) + 1
    depth = dict.fromkeys(waiting, 0)
    ready = sorted(node for node, count in waiting.items() if count == 0)
    placed: set[str] = set()
    while ready:
        node = ready.pop()
        placed.add(node)
        for child in children[node]:
            depth[child] = max(depth[child], depth[node] + 1)
            waiting[child] -= 1
            if waiting[child] == 0:
                ready.append(child)
    bottom = max(depth.values(), default=0) + 1
    return {node: depth[node] if node in placed else bottom for node in depth}


def _mean(values: Iterable[float]) -> float:
    found = list(values)
    return sum(found) / len(found) if found else 0.0


def _short(label: str) -> str:
    return label if len(label) <= _MAX_LABEL else label[: _MAX_LABEL - 1] + "…"


def _box(node: str, label: str, place: tuple[int, int, int], width: int, box: int) -> NodeBox:
    """The box of the ``index``-th of ``count`` nodes on layer ``depth`` (``place``)."""
    depth, index, count = place
    row_width = count * box + (count - 1) * _H_GAP
    x = (width - row_width) // 2 + index * (box + _H_GAP)
    y = _MARGIN + depth * (NODE_HEIGHT + _V_GAP)
    return NodeBox(node, label, node.startswith("latent:"), x, y, box)


def _line(edge: LineageEdge, boxes: Mapping[str, NodeBox]) -> EdgeLine:
    source, target = boxes[edge.source], boxes[edge.target]
    x1, y1 = source.centre, source.y + NODE_HEIGHT
    x2 = target.centre
    if target.y > source.y:
        y2, bend = target.y, (target.y - y1) // 2
        path = f"M{x1},{y1} C{x1},{y1 + bend} {x2},{target.y - bend} {x2},{y2}"
        # The label sits on the lower part of the curve, where arrows fanning out of one
        # source are apart: x(t) = x1 + (x2 - x1)(3t² - 2t³), 0.78 at t = 0.7.
        return EdgeLine(edge, path, x1 + round((x2 - x1) * 0.78) + 6, y1 + (y2 - y1) * 7 // 10)
    # Same layer, or upward (a malformed graph): loop below, into the target's bottom.
    y2 = target.y + NODE_HEIGHT
    depth = _V_GAP * 3 // 4
    path = f"M{x1},{y1} C{x1},{y1 + depth} {x2},{y2 + depth} {x2},{y2}"
    return EdgeLine(edge, path, (x1 + x2) // 2, max(y1, y2) + depth * 3 // 4 + 16)


# --- the similarity histogram --------------------------------------------------------------------

HIST_WIDTH, HIST_HEIGHT = 640, 220
_PLOT_LEFT, _PLOT_BOTTOM, _PLOT_TOP = 44, 190, 16
BINS = 20


@attrs.frozen
class Bar:
    """One relation's share of one bin, stacked on the relations before it."""

    x: int
    y: int
    width: int
    height: int
    relation: Relation
    count: int
    low: float


@attrs.frozen
class Marker:
    """A vertical line at ``value`` on the similarity axis, with its label."""

    x: int
    value: float
    label: str


@attrs.frozen
class Histogram:
    """Pairs by Jaccard similarity in ``BINS`` bins of [0, 1], stacked by relation."""

    bars: tuple[Bar, ...]
    markers: tuple[Marker, ...]
    peak: int
    ticks: tuple[tuple[int, str], ...]
    plot_left: int = _PLOT_LEFT
    plot_right: int = HIST_WIDTH - 10
    plot_top: int = _PLOT_TOP
    plot_bottom: int = _PLOT_BOTTOM


def histogram(pairs: Sequence[Pair], markers: Mapping[str, float]) -> Histogram:
    """The bars of the pairs' Jaccard similarities, and a line at each named value."""
    counts: dict[tuple[int, Relation], int] = defaultdict(int)
    for pair in pairs:
        counts[min(int(pair.jaccard * BINS), BINS - 1), pair.relation] += 1
    per_bin: dict[int, int] = defaultdict(int)
    for (index, _), count in counts.items():
        per_bin[index] += count
    peak = max(per_bin.values(), default=0)
    bars: list[Bar] = []
    stacked: dict[int, int] = defaultdict(int)
    for (index, relation), count in sorted(counts.items(), key=lambda item: _bar_order(item[0])):
        height = _scaled(count, peak)
        bottom = _PLOT_BOTTOM - stacked[index]
        stacked[index] += height
        x = _x_of(index / BINS)
        bars.append(Bar(x, bottom - height, _x_of((index + 1) / BINS) - x - 1, height, relation,
                        count, index / BINS))
    lines = tuple(Marker(_x_of(value), value, label) for label, value in markers.items())
    ticks = tuple((_x_of(t / 10), f"{t / 10:.1f}") for t in range(0, 11, 2))
    return Histogram(tuple(bars), lines, peak, ticks)


def _bar_order(key: tuple[int, Relation]) -> tuple[int, int]:
    index, relation = key
    return index, list(Relation).index(relation)


def _scaled(count: int, peak: int) -> int:
    # At least a pixel, so a bin with one pair among thousands still shows.
    return max(1, round(count / peak * (_PLOT_BOTTOM - _PLOT_TOP))) if peak else 0


def _x_of(value: float) -> int:
    return _PLOT_LEFT + round(value * (HIST_WIDTH - 10 - _PLOT_LEFT))
