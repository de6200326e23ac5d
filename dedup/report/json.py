"""The machine-readable scan report, schema ``dedup.scan/1`` (documented in docs/formats.md)."""

from __future__ import annotations

import json
from typing import Any

import attrs

from dedup.model import Document, Family, Pair, ScanResult, Skipped

SCAN_SCHEMA = "dedup.scan/1"


def scan_to_dict(result: ScanResult) -> dict[str, Any]:
    """The scan report as plain JSON-ready data."""
    from dedup import __version__

    return {
        "schema": SCAN_SCHEMA,
        "dedup_version": __version__,
        "config": attrs.asdict(result.config),
        "documents": [_document(doc) for doc in result.documents],
        "skipped": [_skipped(item) for item in result.skipped],
        "pairs": [_pair(pair) for pair in result.pairs],
        "families": [_family(family) for family in result.families],
        "stats": dict(result.stats),
    }


def scan_to_json(result: ScanResult, indent: int | None = 2) -> str:
    """The scan report as a JSON string."""
    return json.dumps(scan_to_dict(result), indent=indent, ensure_ascii=False)


def _document(doc: Document) -> dict[str, Any]:
    return {"id": doc.id, "path": doc.path, "chars": len(doc.text), "metadata": dict(doc.metadata)}


def _skipped(item: Skipped) -> dict[str, str]:
    return {"path": item.path, "reason": item.reason}


def _pair(pair: Pair) -> dict[str, Any]:
    return {
        "a": pair.a,
        "b": pair.b,
        "relation": str(pair.relation),
        "jaccard": round(pair.jaccard, 6),
        "containment": {
            "a_in_b": round(pair.containment.a_in_b, 6),
            "b_in_a": round(pair.containment.b_in_a, 6),
        },
    }


def _family(family: Family) -> dict[str, Any]:
    return {"id": family.id, "size": len(family.members), "members": list(family.members)}
