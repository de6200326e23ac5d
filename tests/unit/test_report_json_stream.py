"""``dedup scan --format json`` is written piece by piece; the text is the one json.dumps gives."""

from __future__ import annotations

import json
from pathlib import Path

import dedup
from dedup.cli import main
from dedup.report import iter_scan_json, scan_to_dict, scan_to_json

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def test_streamed_report_is_the_indented_dump_of_the_report_dict() -> None:
    result = dedup.scan([SEEDS], dedup.ScanConfig(passages=True))
    expected = json.dumps(scan_to_dict(result), indent=2, ensure_ascii=False)
    assert "".join(iter_scan_json(result)) == expected == scan_to_json(result)
    assert json.loads(scan_to_json(result, indent=None)) == scan_to_dict(result)


def test_cli_json_report_file_parses_and_lists_every_document(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    assert main(["scan", str(SEEDS), "--format", "json", "-o", str(out), "-j", "1"]) == 0
    report = json.loads(out.read_text(encoding="utf-8"))
    assert len(report["documents"]) == 5
    assert all(doc["chars"] > 0 for doc in report["documents"])
