"""The JSON Schema (draft 2020-12) of every file dedup writes, shipped with the package.

``json_schema("scan")`` validates ``dedup.scan/1`` to ``/4`` reports; one file per report
(``scan``, ``lineage``, ``diff``, ``query``, ``index-add``, ``index-stats``, ``removals``: each
line of a removal map) and per table row (``pairs-row``, ``families-row``, ``documents-row``,
``skipped-row``, ``stories-row``, ``lineage_nodes-row``, ``lineage_edges-row``,
``boilerplate-row``: ``dedup.report.tables``). A schema allows fields it does not name: new
fields may come within a version (docs/versioning.md).
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

#: The schemas shipped, by name.
SCHEMAS = ("scan", "lineage", "diff", "query", "index-add", "index-stats", "removals",
           "pairs-row", "families-row", "documents-row", "skipped-row", "stories-row",
           "lineage_nodes-row", "lineage_edges-row", "boilerplate-row")  # fmt: skip


def json_schema(name: str) -> dict[str, Any]:
    """The JSON Schema called ``name`` (one of ``SCHEMAS``, or a report's ``schema`` field
    such as ``dedup.scan/4``); ValueError for any other name."""
    stem = name.removeprefix("dedup.").split("/", 1)[0]
    if stem not in SCHEMAS:
        raise ValueError(f"no JSON Schema called {name!r} (known: {', '.join(SCHEMAS)})")
    loaded: dict[str, Any] = json.loads(
        resources.files(__name__).joinpath(f"{stem}.json").read_text("utf-8")
    )
    return loaded
