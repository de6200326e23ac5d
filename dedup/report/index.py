"""Reports of the index commands: ``dedup query`` (schema ``dedup.query/1``), ``dedup index add``
(``dedup.index-add/1``) and ``dedup index stats`` (``dedup.index-stats/1``); docs/index.md."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import attrs

from dedup.index import AddResult, IndexStats, Match
from dedup.model import Document, Lineage
from dedup.report.diff import alignment_to_dict
from dedup.report.lineage import lineage_lines, lineage_to_dict
from dedup.report.text import evidence_line, passages_line, plural

QUERY_SCHEMA = "dedup.query/1"
ADD_SCHEMA = "dedup.index-add/1"
STATS_SCHEMA = "dedup.index-stats/1"


def query_to_dict(
    query: Document, index: str, matches: Sequence[Match], lineage: Lineage | None = None
) -> dict[str, Any]:
    """The matches of one query (and the lineage among them, when traced) as JSON-ready data."""
    data = {
        "schema": QUERY_SCHEMA,
        "index": index,
        "query": {"id": query.id, "path": query.path},
        "matches": [_match(match) for match in matches],
    }
    if lineage is not None:
        data["lineage"] = lineage_to_dict(lineage)
    return data


def _match(match: Match) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": match.doc_id,
        "relation": str(match.relation),
        "jaccard": round(match.jaccard, 6),
        "containment": {
            "query_in_match": round(match.containment.a_in_b, 6),
            "match_in_query": round(match.containment.b_in_a, 6),
        },
    }
    if match.evidence is not None:
        data["evidence"] = attrs.asdict(match.evidence)
    if match.alignment is not None:
        data.update(alignment_to_dict(match.alignment))
    return data


def query_to_text(
    query: Document, index: str, matches: Sequence[Match], lineage: Lineage | None = None
) -> str:
    """The matches of one query for people, best first; then the lineage tree when traced."""
    lines = [f"dedup query {query.id}: {plural(len(matches), 'match', 'matches')} in {index}"]
    if matches:
        lines += ["", "Matches (jaccard; containment query-in-match / match-in-query)"]
    for match in matches:
        lines.append(
            f"  {match.relation.value:<16} {match.doc_id}   J={match.jaccard:.3f}  "
            f"C={match.containment.a_in_b:.3f}/{match.containment.b_in_a:.3f}"
        )
        if match.evidence is not None:
            lines.append(f"      {evidence_line(match.evidence)}")
        if match.alignment is not None:
            lines.append(passages_line(match.alignment))
    if lineage is not None:
        lines += ["", "Lineage (who copied whom among the query and its matches)"]
        lines += lineage_lines(lineage) or ["  no lineage claims"]
    return "\n".join(lines) + "\n"


def add_to_dict(result: AddResult, stats: IndexStats) -> dict[str, Any]:
    """What ``dedup index add`` did, as JSON-ready data."""
    return {
        "schema": ADD_SCHEMA,
        "index": stats.path,
        "documents": stats.documents,
        "added": list(result.added),
        "updated": list(result.updated),
        "unchanged": list(result.unchanged),
        "skipped": [{"path": s.path, "reason": s.reason} for s in result.skipped],
    }


def add_to_text(result: AddResult, stats: IndexStats) -> str:
    """What ``dedup index add`` did, for people."""
    lines = [
        f"dedup index add: {len(result.added)} added, {len(result.updated)} updated, "
        f"{len(result.unchanged)} unchanged, {len(result.skipped)} skipped "
        f"({stats.path}: {plural(stats.documents, 'document')})"
    ]
    if result.skipped:
        lines += ["", "Skipped inputs", *(f"  {s.path}: {s.reason}" for s in result.skipped)]
    return "\n".join(lines) + "\n"


def stats_to_dict(stats: IndexStats) -> dict[str, Any]:
    """``dedup index stats`` as JSON-ready data."""
    return {"schema": STATS_SCHEMA, **attrs.asdict(stats)}


def stats_to_text(stats: IndexStats) -> str:
    """``dedup index stats`` for people."""
    sketch, lsh = stats.params["sketch"], stats.params["lsh"]
    shingle = sketch["shingle"]
    lines = [
        f"{stats.path}: dedup index, format {stats.format_version}",
        f"  documents: {stats.documents}",
        f"  file size: {stats.file_bytes / 2**20:.1f} MiB",
        f"  shingles:  {shingle['kind']} {shingle['size']}-grams",
        f"  sketch:    {sketch['method']}, {sketch['num_perm']} values, seed {sketch['seed']}",
        f"  LSH:       tuned for Jaccard {lsh['threshold']}",
    ]
    return "\n".join(lines) + "\n"


def to_json(data: dict[str, Any]) -> str:
    """Indented JSON, one trailing newline."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
