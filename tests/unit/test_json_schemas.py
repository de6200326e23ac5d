"""The JSON Schemas shipped in the package validate the reports dedup really writes, and would
reject ones that break them."""

from __future__ import annotations

import copy
import csv
import json
from pathlib import Path

import jsonschema
import pytest

from dedup.cli import main
from dedup.report.tables import COLUMNS, row_schema
from dedup.schemas import SCHEMAS, json_schema

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
FIRST, LAST = sorted(SEEDS.glob("*.txt"))[0], sorted(SEEDS.glob("*.txt"))[-1]


def _validate(document: object, name: str) -> None:
    schema = json_schema(name)
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(document, schema, cls=jsonschema.Draft202012Validator)


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    code = main(args)
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


@pytest.fixture(scope="module")
def scan_reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    """dedup.scan/1 to /4 and the tables, from one run of each over the seeds."""
    folder = tmp_path_factory.mktemp("reports")
    variants = {
        "dedup.scan/1": ["--no-stories", "--no-lineage"],
        "dedup.scan/2": ["--no-stories", "--no-lineage", "--passages"],
        "dedup.scan/3": ["--no-stories"],
        "dedup.scan/4": ["--pairs-out", str(folder / "pairs.csv"),
                         "--families-out", str(folder / "families.jsonl"),
                         "--documents-out", str(folder / "documents.jsonl")],
    }  # fmt: skip
    reports = {}
    for schema, args in variants.items():
        out = folder / f"{schema[-1]}.json"
        assert main(["scan", str(SEEDS), "-j", "1", "--format", "json", "-o", str(out), *args]) == 0
        reports[schema] = json.loads(out.read_text())
    reports["folder"] = {"path": str(folder)}
    return reports


@pytest.mark.parametrize("schema", ["dedup.scan/1", "dedup.scan/2", "dedup.scan/3", "dedup.scan/4"])
def test_scan_reports_match_their_schema(schema: str, scan_reports: dict[str, dict]) -> None:
    report = scan_reports[schema]
    assert report["schema"] == schema
    _validate(report, schema)
    assert report["pairs"]  # the seeds hold copies: the pair schema was exercised


def test_a_broken_report_is_rejected(scan_reports: dict[str, dict]) -> None:
    report = copy.deepcopy(scan_reports["dedup.scan/4"])
    report["pairs"][0]["relation"] = "cousin"
    with pytest.raises(jsonschema.ValidationError):
        _validate(report, "scan")
    report = copy.deepcopy(scan_reports["dedup.scan/3"])
    del report["lineage"]
    with pytest.raises(jsonschema.ValidationError):
        _validate(report, "scan")


def test_table_rows_match_their_schema(scan_reports: dict[str, dict]) -> None:
    folder = Path(scan_reports["folder"]["path"])
    families = [json.loads(line) for line in (folder / "families.jsonl").read_text().splitlines()]
    documents = [json.loads(line) for line in (folder / "documents.jsonl").read_text().splitlines()]
    with (folder / "pairs.csv").open(newline="") as handle:
        pairs = list(csv.DictReader(handle))
    assert len(pairs) == len(scan_reports["dedup.scan/4"]["pairs"])
    assert list(pairs[0]) == [name for name, _ in COLUMNS["pairs"]]
    for rows, table in ((families, "families"), (documents, "documents")):
        assert rows
        for row in rows:
            _validate(row, f"{table}-row")
            assert list(row) == [name for name, _ in COLUMNS[table]]


@pytest.mark.parametrize("table", list(COLUMNS))
def test_shipped_row_schemas_are_the_columns(table: str) -> None:
    assert json_schema(f"{table}-row") == json.loads(json.dumps(row_schema(table)))


def test_the_other_reports_match_their_schemas(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lineage = json.loads(_run(["lineage", str(SEEDS), "-j", "1", "--format", "json"], capsys))
    _validate(lineage, lineage["schema"])
    diff = json.loads(_run(["diff", str(FIRST), str(LAST), "--format", "json"], capsys))
    _validate(diff, diff["schema"])
    db = str(tmp_path / "seeds.dedup")
    added = json.loads(_run(["index", "add", "--db", db, str(SEEDS), "-j", "1",
                             "--format", "json"], capsys))  # fmt: skip
    _validate(added, added["schema"])
    stats = json.loads(_run(["index", "stats", "--db", db, "--format", "json"], capsys))
    _validate(stats, stats["schema"])
    query = json.loads(_run(["query", "--db", db, str(FIRST), "--format", "json"], capsys))
    _validate(query, query["schema"])
    removed = tmp_path / "removed.jsonl"
    _run(["dedupe", str(SEEDS), "-o", str(tmp_path / "kept"), "--removed", str(removed),
          "-j", "1"], capsys)  # fmt: skip
    lines = [json.loads(line) for line in removed.read_text().splitlines()]
    assert len(lines) > 1
    for line in lines:
        _validate(line, "removals")


def test_every_schema_is_shipped_and_valid() -> None:
    for name in SCHEMAS:
        jsonschema.Draft202012Validator.check_schema(json_schema(name))
    with pytest.raises(ValueError, match="no JSON Schema"):
        json_schema("dedup.nothing/1")
