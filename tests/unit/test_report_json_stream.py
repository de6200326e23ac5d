"""``dedup scan --format json`` is written piece by piece, one document or pair a line."""

from __future__ import annotations

import json
from pathlib import Path

import dedup
from dedup.cli import main
from dedup.report import iter_scan_json, scan_to_dict, scan_to_json

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def test_streamed_report_holds_the_report_dict_one_document_a_line() -> None:
    result = dedup.scan([SEEDS], dedup.ScanConfig(passages=True))
    text = "".join(iter_scan_json(result))
    assert text == scan_to_json(result)
    assert json.loads(text) == scan_to_dict(result) == json.loads(scan_to_json(result, None))
    lines = text.splitlines()
    for doc_id in result.documents.ids:
        assert sum(f'"id": "{doc_id}", "path"' in line for line in lines) == 1


def test_cli_json_report_file_parses_and_lists_every_document(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    assert main(["scan", str(SEEDS), "--format", "json", "-o", str(out), "-j", "1"]) == 0
    report = json.loads(out.read_text(encoding="utf-8"))
    assert len(report["documents"]) == 5
    assert all(doc["chars"] > 0 for doc in report["documents"])
