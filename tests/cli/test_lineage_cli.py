"""``dedup lineage`` and the lineage options of ``dedup scan``, run in-process as a user would."""

import json
from pathlib import Path

import pytest

from dedup.cli import main
from dedup.report import LINEAGE_SCHEMA, SCAN_SCHEMA, SCAN_SCHEMA_TIERS

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
SEED_001 = "001_47e1ff0772070bb4.txt"
SEED_002 = "002_9ee1089bac769580.txt"
SEED_003 = "003_bd61356130a3c4d1.txt"


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def run_json(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, dict, str]:
    code, out, err = run([*args, "--format", "json"], capsys)
    return code, json.loads(out), err




def test_json_is_the_lineage_graph_with_its_schema(capsys: pytest.CaptureFixture[str]) -> None:
    code, report, err = run_json(["lineage", str(SEEDS)], capsys)
    assert code == 0
    assert err == ""
    assert report["schema"] == LINEAGE_SCHEMA
    nodes = {node["id"] for node in report["nodes"]}
    for edge in report["edges"]:
        assert {edge["source"], edge["target"]} <= nodes
        assert 0.0 <= edge["confidence"] <= 1.0
        assert all({"kind", "detail", "weight"} == set(item) for item in edge["evidence"])


def test_lineage_json_is_the_lineage_part_of_the_scan_report(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, lineage, _ = run_json(["lineage", str(SEEDS), "-j", "1"], capsys)
    _, scan, _ = run_json(["scan", str(SEEDS), "-j", "1"], capsys)
    assert scan["schema"] == SCAN_SCHEMA_TIERS
    assert scan["lineage"] == {"nodes": lineage["nodes"], "edges": lineage["edges"]}


@pytest.mark.parametrize(
    ("options", "schema"),
    [(["--no-lineage"], SCAN_SCHEMA_TIERS), (["--no-lineage", "--no-stories"], SCAN_SCHEMA)],
)
def test_scan_without_lineage_gives_the_older_schema(
    options: list[str], schema: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, report, _ = run_json(["scan", str(SEEDS), *options], capsys)
    assert code == 0
    assert report["schema"] == schema
    assert "lineage" not in report
    assert report["config"]["lineage"] is False


def test_scan_text_without_lineage_has_no_lineage_section(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(["scan", str(SEEDS), "--no-lineage"], capsys)
    assert code == 0
    assert "Lineage" not in out


def _graph(command: str, report: dict) -> dict:
    """The nodes and edges of a ``dedup lineage`` or ``dedup scan`` JSON report."""
    return report if command == "lineage" else report["lineage"]


@pytest.mark.parametrize("command", ["lineage", "scan"])
def test_min_confidence_drops_the_less_likely_derivations(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, report, _ = run_json([command, str(SEEDS), "--min-confidence", "1"], capsys)
    assert code == 0
    graph = _graph(command, report)
    latent = {node["id"] for node in graph["nodes"] if node["latent"]}
    direct = [edge for edge in graph["edges"] if edge["source"] not in latent]
    assert all(edge["confidence"] >= 1.0 for edge in direct)


def test_min_confidence_holds_for_every_edge_latent_ones_included(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, report, _ = run_json(["lineage", str(SEEDS), "--min-confidence", "0.9"], capsys)
    assert all(edge["confidence"] >= 0.9 for edge in report["edges"])


def test_min_confidence_is_the_scan_setting(capsys: pytest.CaptureFixture[str]) -> None:
    _, report, _ = run_json(["scan", str(SEEDS), "--min-confidence", "0.7"], capsys)
    assert report["config"]["lineage_config"]["min_confidence"] == 0.7


def test_unrelated_documents_give_no_lineage_claims(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a.txt").write_text("The harbour froze early this winter in the north.")
    (tmp_path / "b.txt").write_text("Parliament passed the budget after a long night session.")
    code, out, _ = run(["lineage", str(tmp_path)], capsys)
    assert code == 0
    assert out.splitlines()[0] == "dedup lineage: 2 documents, 0 edges, 0 latent sources, 0 skipped"
    assert "no lineage claims" in out


def test_bad_paths_are_reported_and_the_rest_is_traced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "missing.txt"
    code, report, err = run_json(["lineage", str(SEEDS), str(missing)], capsys)
    assert code == 0
    assert "Traceback" not in err
    assert [Path(item["path"]).name for item in report["skipped"]] == ["missing.txt"]
    assert report["skipped"][0]["reason"]
    code, out, _ = run(["lineage", str(SEEDS), str(missing)], capsys)
    assert code == 0
    assert "Skipped inputs" in out
    assert "missing.txt" in out


def test_nothing_readable_exits_1_after_writing_the_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    code, out, err = run(["lineage", str(tmp_path), str(tmp_path / "missing")], capsys)
    assert code == 1
    assert "no input could be read" in err
    assert "missing" in out
    assert "Traceback" not in err


@pytest.mark.parametrize(
    "args",
    [
        ["lineage"],
        ["lineage", "x", "--min-confidence", "1.5"],
        ["lineage", "x", "--min-confidence", "nan"],
        ["lineage", "x", "--min-confidence", "high"],
        ["lineage", "x", "-j", "0"],
        ["lineage", "x", "--format", "xml"],
        ["scan", "x", "--min-confidence", "-0.1"],
    ],
)
def test_usage_errors_exit_2_without_traceback(
    args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(args, capsys)
    assert code == 2
    assert "Traceback" not in err
    assert "error" in err


def test_report_file_is_written_or_a_clear_error_given(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "lineage.json"
    code, out, _ = run(["lineage", str(SEEDS), "--format", "json", "-o", str(target)], capsys)
    assert (code, out) == (0, "")
    assert json.loads(target.read_text(encoding="utf-8"))["schema"] == LINEAGE_SCHEMA
    code, _, err = run(["lineage", str(SEEDS), "-o", str(tmp_path / "no" / "dir.txt")], capsys)
    assert code == 1
    assert "cannot write" in err


def test_help_lists_the_command_its_options_and_exit_codes(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run(["--help"], capsys)[1].count("lineage") >= 1
    code, out, _ = run(["lineage", "--help"], capsys)
    assert code == 0
    assert "exit codes" in out
    for option in ("--format", "--output", "--jobs", "--min-confidence", "--threshold"):
        assert option in out
    assert "--no-lineage" in run(["scan", "--help"], capsys)[1]


# --- the seeds, by meaning (docs: ../shared/design/seeds-truth.md) ------------------------------


def test_seed_002_is_the_source_of_001_for_their_shared_related_article_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, report, _ = run_json(["lineage", str(SEEDS)], capsys)
    primary = {(e["source"], e["target"]): e for e in report["edges"] if e["primary"]}
    edge = primary[(SEED_002, SEED_001)]
    assert edge["relation"] == "near-duplicate"
    innovations = [e["detail"] for e in edge["evidence"] if e["kind"] == "shared-innovation"]
    assert any("Related article" in detail for detail in innovations)


def test_nothing_is_claimed_about_seed_003(capsys: pytest.CaptureFixture[str]) -> None:
    _, report, _ = run_json(["lineage", str(SEEDS)], capsys)
    assert SEED_003 not in {n["id"] for n in report["nodes"]}
    assert SEED_003 not in run(["lineage", str(SEEDS)], capsys)[1]


def test_seed_tree_puts_002_above_001(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["lineage", str(SEEDS)], capsys)
    assert code == 0
    lines = out.splitlines()
    root = lines.index(f"  {SEED_002}")
    assert lines[root + 1].startswith(f"  └─ {SEED_001}  (near-duplicate, confidence ")
    assert "shared-innovation Related article" in lines[root + 1]
