"""The machine-readable scan report, schemas ``dedup.scan/1`` to ``/4`` (docs/formats.md).

``dedup.scan/4`` is the report of a scan with the story tier (on by default): the ``/3`` report
whose pairs may carry the ``rewrite`` relation and, for the relations below copies, the
``evidence`` they rest on, with the ``boilerplate`` passages the tier set aside.

``dedup.scan/3`` is the report of a scan that traced lineage (``ScanConfig.lineage``, on by
default): the ``/2`` report with a ``lineage`` graph of who copied whom.

``dedup.scan/2`` is the report of a scan that looked for stories (``ScanConfig.story``, on by
default) or aligned passages (``dedup scan --passages``): pairs may carry the ``partial-reuse``
and ``same-story`` relations, ``stories`` lists the story families, and with passages each pair
carries its aligned passages and coverage (the ``dedup.diff/1`` shapes). A copy-only scan without
passages or lineage (``--no-stories --no-lineage``) stays ``dedup.scan/1``. Each version only
adds to the one before, so the oldest that holds a report's fields is the one it names.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import attrs

from dedup.config import ScanConfig
from dedup.documents import DocumentInfo, document_info
from dedup.model import Family, Pair, ScanResult, Skipped
from dedup.report.diff import alignment_to_dict
from dedup.report.lineage import lineage_to_dict
from dedup.report.stream import Streamed, iter_json, materialized

SCAN_SCHEMA = "dedup.scan/1"
#: The schema of a report with the story tier or whose pairs carry their passages.
SCAN_SCHEMA_PASSAGES = "dedup.scan/2"
#: The schema of a report with the lineage graph.
SCAN_SCHEMA_LINEAGE = "dedup.scan/3"
#: The schema of a report with the story tier's evidence and boilerplate.
SCAN_SCHEMA_TIERS = "dedup.scan/4"


def scan_to_dict(result: ScanResult) -> dict[str, Any]:
    """The scan report as plain JSON-ready data."""
    data: dict[str, Any] = materialized(_report(result))
    return data


def iter_scan_json(result: ScanResult) -> Iterator[str]:
    """The scan report as indented JSON, in pieces: the same text as ``scan_to_json``, without
    the whole report in memory at once (``dedup scan --format json`` writes it so)."""
    return iter_json(_report(result))


def _report(result: ScanResult) -> dict[str, Any]:
    """The report, its long lists as ``Streamed`` (made as they are written)."""
    from dedup import __version__

    data = {
        "schema": scan_schema(result.config),
        "dedup_version": __version__,
        "config": attrs.asdict(result.config),
        "documents": Streamed(_document(doc) for doc in document_info(result.documents)),
        "skipped": Streamed(_skipped(item) for item in result.skipped),
        "pairs": Streamed(_pair(pair) for pair in result.pairs),
        "families": Streamed(_family(family) for family in result.families),
        "stats": dict(result.stats),
    }
    if result.config.story:
        data["stories"] = Streamed(_family(story) for story in result.stories)
        data["boilerplate"] = [attrs.asdict(item) for item in result.boilerplate]
    if result.config.lineage:
        data["lineage"] = lineage_to_dict(result.lineage)
    return data


def scan_schema(config: ScanConfig) -> str:
    """The schema a scan with ``config`` reports in: the oldest that has all its fields."""
    if config.story:
        return SCAN_SCHEMA_TIERS
    if config.lineage:
        return SCAN_SCHEMA_LINEAGE
    if config.passages or config.story:
        return SCAN_SCHEMA_PASSAGES
    return SCAN_SCHEMA


def scan_to_json(result: ScanResult, indent: int | None = 2) -> str:
    """The scan report as a JSON string."""
    if indent is None:
        return json.dumps(scan_to_dict(result), ensure_ascii=False)
    return "".join(iter_json(_report(result), indent))


def _document(doc: DocumentInfo) -> dict[str, Any]:
    return {"id": doc.id, "path": doc.path, "chars": doc.chars, "metadata": dict(doc.metadata)}


def _skipped(item: Skipped) -> dict[str, str]:
    return {"path": item.path, "reason": item.reason}


def _pair(pair: Pair) -> dict[str, Any]:
    data = {
        "a": pair.a,
        "b": pair.b,
        "relation": str(pair.relation),
        "jaccard": round(pair.jaccard, 6),
        "containment": {
            "a_in_b": round(pair.containment.a_in_b, 6),
            "b_in_a": round(pair.containment.b_in_a, 6),
        },
    }
    if pair.evidence is not None:
        data["evidence"] = attrs.asdict(pair.evidence)
    if pair.alignment is not None:
        data.update(alignment_to_dict(pair.alignment))
    return data


def _family(family: Family) -> dict[str, Any]:
    return {
        "id": family.id,
        "size": len(family.members),
        "members": list(family.members),
        "cohesion": round(family.cohesion, 3),
        "loose": family.loose,
    }
