"""``dedup dedupe`` on the seeds and on Reuters-21578: which documents go, and to whom."""

from __future__ import annotations

import collections
import json
import sys
from pathlib import Path

import pytest

from dedup.cli import main

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
REUTERS_JSONL = ROOT / "benchmarks" / "out" / "reuters.jsonl"
REUTERS_SGML = ROOT.parent / "shared" / "data" / "reuters21578"


def test_keep_source_keeps_the_web_page_and_drops_its_copy(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Lineage says 002 (the web page) -> 001 (its body, with 002's "Related article" line).
    out, removed = tmp_path / "unique", tmp_path / "removed.jsonl"
    code = main(["dedupe", str(SEEDS), "-o", str(out), "--keep", "source",
                 "--removed", str(removed)])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 0, err
    assert sorted(p.name[:3] for p in out.iterdir()) == ["000", "002", "003", "004"]
    # The summary the README shows.
    summary = err.splitlines()[0]
    assert summary == ("dedup dedupe: 5 documents, 4 kept, 1 removed (keep source; duplicates: "
                       "exact-duplicate, near-duplicate), 0 skipped")
    assert summary in (ROOT / "README.md").read_text(encoding="utf-8")
    _, row = [json.loads(line) for line in removed.read_text(encoding="utf-8").splitlines()]
    assert (row["removed"][:3], row["kept"][:3], row["relation"]) == ("001", "002",
                                                                      "near-duplicate")
    assert row["via"] is None and row["containment"]["removed_in_partner"] == 1.0


def test_keep_first_keeps_the_first_file_instead(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "unique"
    assert main(["dedupe", str(SEEDS), "-o", str(out), "--keep", "first"]) == 0
    assert sorted(p.name[:3] for p in out.iterdir()) == ["000", "001", "003", "004"]


def reuters_jsonl(tmp_path: Path) -> Path:
    """The Reuters JSONL of benchmarks/reuters_to_jsonl.py: the one built, else built here."""
    if REUTERS_JSONL.exists():
        return REUTERS_JSONL
    if not any(REUTERS_SGML.glob("reut2-*.sgm")):
        pytest.skip(f"Reuters-21578 is not at {REUTERS_SGML} (not redistributed; CI lacks it)")
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import reuters_to_jsonl

    path = tmp_path / "reuters.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for story in reuters_to_jsonl.stories(REUTERS_SGML):
            out.write(json.dumps(story, ensure_ascii=False) + "\n")
    return path


def test_reuters_verbatim_resends_collapse_to_one_document_each(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = reuters_jsonl(tmp_path)
    records = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines()]
    # The data README's count: stories that share their body verbatim with another.
    bodies = collections.defaultdict(list)
    for r in records:
        if r["has_body"] == "yes":
            bodies[r["text"]].append(r["id"])
    resent = [ids for ids in bodies.values() if len(ids) > 1]
    assert (sum(map(len, resent)), len(resent)) == (522, 260)

    out, removed = tmp_path / "unique.jsonl", tmp_path / "removed.jsonl"
    code = main(["dedupe", str(source), "-o", str(out), "--removed", str(removed), "-j", "1"])
    assert code == 0, capsys.readouterr().err
    kept = {json.loads(line)["id"] for line in out.read_text(encoding="utf-8").splitlines()}
    rows = [json.loads(line) for line in removed.read_text(encoding="utf-8").splitlines()[1:]]
    kept_for = {r["removed"]: r["kept"] for r in rows}
    for ids in resent:
        # Each body's re-sends go to one kept document: one of them, or (when the body is
        # also a near-duplicate of another story) the document kept for that family.
        standing = {doc_id if doc_id in kept else kept_for[doc_id] for doc_id in ids}
        assert len(standing) == 1, ids
        assert sum(doc_id in kept for doc_id in ids) <= 1
    assert all(kept_for[i] in kept for i in kept_for)
    assert len(kept) + len(kept_for) == sum(1 for r in records if r["text"].strip())
    exact = sum(r["relation"] == "exact-duplicate" for r in rows)
    near = sum(r["relation"] == "near-duplicate" for r in rows)
    assert exact >= 522 - 260 and near > 0
