"""Renderings of the lineage graph: its JSON shape (in ``dedup.scan/3`` and ``dedup.lineage/1``)
and the tree that the text reports show (docs/formats.md).

The tree follows primary edges from each root (a document, or a latent source, that copied from
no one in the corpus) down to the copies; a text that mixes two sources shows its secondary
sources as ``also from`` lines under it, so every document appears once.
"""

from __future__ import annotations

import json
import textwrap
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from dedup.model import Evidence, Lineage, LineageEdge, LineageNode, ScanResult

LINEAGE_SCHEMA = "dedup.lineage/1"

_LATENT_PREFIX = "latent:"
# Evidence details are quotes from the texts; a tree line stays readable with this much of each.
#: Columns of an evidence line, after the tree's indentation.
_EVIDENCE_WIDTH = 76
#: Evidence lines sit under their edge, past the branch drawing.
_EVIDENCE_INDENT = "     "
_BRANCH, _LAST_BRANCH = "├─ ", "└─ "
_BAR, _GAP = "│  ", "   "
_INDENT = "  "

# --- JSON --------------------------------------------------------------------------------------


def lineage_to_dict(lineage: Lineage) -> dict[str, Any]:
    """The graph as JSON-ready data: ``{"nodes": [...], "edges": [...]}``, in the graph's order."""
    return {
        "nodes": [_node(node) for node in lineage.nodes],
        "edges": [_edge(edge) for edge in lineage.edges],
    }


def lineage_report_to_dict(result: ScanResult) -> dict[str, Any]:
    """The ``dedup.lineage/1`` report of ``dedup lineage``: the graph, and what was not read."""
    from dedup import __version__

    return {
        "schema": LINEAGE_SCHEMA,
        "dedup_version": __version__,
        **lineage_to_dict(result.lineage),
        "skipped": [{"path": item.path, "reason": item.reason} for item in result.skipped],
    }


def lineage_report_to_json(result: ScanResult) -> str:
    """The ``dedup.lineage/1`` report as a JSON string."""
    return json.dumps(lineage_report_to_dict(result), indent=2, ensure_ascii=False)


def _node(node: LineageNode) -> dict[str, Any]:
    return {"id": node.id, "latent": node.latent}


def _edge(edge: LineageEdge) -> dict[str, Any]:
    # Confidence and weights are estimates: three decimals is more than they are worth.
    return {
        "source": edge.source,
        "target": edge.target,
        "confidence": round(edge.confidence, 3),
        "relation": str(edge.relation),
        "primary": edge.primary,
        "evidence": [_evidence(item) for item in edge.evidence],
    }


def _evidence(item: Evidence) -> dict[str, Any]:
    return {"kind": str(item.kind), "detail": item.detail, "weight": round(item.weight, 3)}


# --- text --------------------------------------------------------------------------------------


def lineage_lines(lineage: Lineage) -> list[str]:
    """The graph as indented trees, one per connected part; no lines for an empty graph.

    Parts come in the order of their least id; in a part, roots in id order, each followed by
    its copies (children in id order).
    """
    tree = _Tree(lineage)
    lines: list[str] = []
    for component in components(lineage.edges):
        for root in tree.roots(component):
            lines += tree.render(root)
    return lines


def lineage_section(result: ScanResult) -> list[str]:
    """The "Lineage" section of the scan report; nothing when the scan did not trace lineage."""
    if not result.config.lineage:
        return []
    if not result.lineage.edges:
        return ["Lineage: no lineage claims", ""]
    floor = result.config.lineage_config.min_confidence
    heading = f"Lineage (who copied whom; edges of confidence {floor:.2f} or more)"
    return [heading, *lineage_lines(result.lineage), ""]


class _Tree:
    """Primary edges as parent → children, secondary edges by target, and how to name a node."""

    def __init__(self, lineage: Lineage) -> None:
        self._latent = {node.id for node in lineage.nodes if node.latent}
        self._children: dict[str, list[LineageEdge]] = defaultdict(list)
        self._secondary: dict[str, list[LineageEdge]] = defaultdict(list)
        self._has_parent: set[str] = set()
        for edge in lineage.edges:
            if edge.primary:
                self._children[edge.source].append(edge)
                self._has_parent.add(edge.target)
            else:
                self._secondary[edge.target].append(edge)
        for edges in self._children.values():
            edges.sort(key=lambda edge: edge.target)
        self._shown: set[str] = set()

    def roots(self, component: list[str]) -> list[str]:
        """Members no primary edge points to; a malformed graph (a cycle) starts at its least id."""
        roots = [node for node in component if node not in self._has_parent]
        return roots or component[:1]

    def render(self, root: str) -> list[str]:
        """``root`` and everything derived from it, depth first."""
        self._shown.add(root)
        lines = [_INDENT + self._name(root), *self._also_from(root, _INDENT)]
        # A loop, not recursion: a chain of copies can be deeper than Python's recursion limit.
        stack = self._children_of(root, _INDENT)
        while stack:
            edge, prefix, last = stack.pop()
            # A node reached twice (the graph should be a tree) is shown once, where first reached.
            if edge.target in self._shown:
                continue
            self._shown.add(edge.target)
            lines.append(prefix + (_LAST_BRANCH if last else _BRANCH) + self._child_line(edge))
            inner = prefix + (_GAP if last else _BAR)
            lines += [inner + _EVIDENCE_INDENT + line for line in _evidence_lines(edge)]
            lines += self._also_from(edge.target, inner)
            stack += self._children_of(edge.target, inner)
        return lines

    def _children_of(self, parent: str, prefix: str) -> list[tuple[LineageEdge, str, bool]]:
        """Stack entries (edge, prefix, is last) for ``parent``'s copies, the first on top."""
        edges = self._children[parent]
        return [(edge, prefix, i == len(edges) - 1) for i, edge in enumerate(edges)][::-1]

    def _also_from(self, target: str, prefix: str) -> list[str]:
        return [
            f"{prefix}also from {self._name(edge.source)} "
            f"({edge.relation}, {edge.confidence:.2f})"
            for edge in sorted(self._secondary[target], key=lambda edge: edge.source)
        ]

    def _child_line(self, edge: LineageEdge) -> str:
        return f"{self._name(edge.target)}  ({edge.relation}, confidence {edge.confidence:.2f})"

    def _name(self, node: str) -> str:
        if node not in self._latent:
            return _printable(node)
        family = node.removeprefix(_LATENT_PREFIX)
        return f"[latent source of {_printable(family)}]"


def components(edges: Iterable[LineageEdge]) -> list[list[str]]:
    """The nodes of each connected part (edges taken both ways), each sorted; parts by first id."""
    neighbours: dict[str, set[str]] = defaultdict(set)
    for edge in edges:
        neighbours[edge.source].add(edge.target)
        neighbours[edge.target].add(edge.source)
    seen: set[str] = set()
    components = []
    for start in sorted(neighbours):
        if start in seen:
            continue
        seen.add(start)
        stack, members = [start], []
        while stack:
            node = stack.pop()
            members.append(node)
            fresh = neighbours[node] - seen
            seen |= fresh
            stack += fresh
        components.append(sorted(members))
    return components


def _evidence_lines(edge: LineageEdge) -> list[str]:
    """Each piece of an edge's evidence, wrapped at word boundaries (never cut), its
    continuation lines indented under its kind."""
    lines = []
    for item in edge.evidence:
        text = _evidence_text(item)
        lines += textwrap.wrap(text, _EVIDENCE_WIDTH, subsequent_indent="  ",
                               break_long_words=False, break_on_hyphens=False) or [text]
    return lines


def _evidence_text(item: Evidence) -> str:
    detail = _printable(item.detail)
    # A negative weight speaks against the edge's direction; say so rather than list it as support.
    against = " (against)" if item.weight < 0 else ""
    return f"{item.kind}: {detail}{against}" if detail else f"{item.kind}{against}"


def _printable(text: str) -> str:
    """``text`` on one line: line breaks, tabs and other control characters escaped."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
