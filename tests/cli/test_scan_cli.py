"""``dedup scan`` run in-process through ``main(argv)``, as a user runs it."""

import json
import shutil
from pathlib import Path

import pytest

from dedup.cli import main
from dedup.report import SCAN_SCHEMA, SCAN_SCHEMA_TIERS

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
SEED_001 = SEEDS / "001_47e1ff0772070bb4.txt"
SEED_002 = SEEDS / "002_9ee1089bac769580.txt"
FRENCH = "Le café était très élégant à Noël ; l'élève naïve a reçu un cadeau. " * 3


@pytest.fixture
def messy_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(SEED_001, folder / SEED_001.name)
    shutil.copy(SEED_002, folder / SEED_002.name)
    (folder / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (folder / "empty.txt").write_bytes(b"")
    (folder / "latin1.txt").write_bytes(FRENCH.encode("latin-1"))
    lines = ['{"id": "n1", "text": "a line that is fine and has words"}', '{"id": "n2", "text": ']
    (folder / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "gone.txt").symlink_to(folder / "does-not-exist.txt")
    return folder


def run_json(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, dict, str]:
    code = main(["scan", *args, "--format", "json"])
    captured = capsys.readouterr()
    return code, json.loads(captured.out), captured.err


def test_bad_inputs_are_skipped_with_reasons_and_the_copy_is_still_found(
    messy_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, report, err = run_json([str(messy_folder)], capsys)
    assert code == 0
    assert "Traceback" not in err
    pairs = [(p["a"][:3], p["b"][:3], p["relation"]) for p in report["pairs"]]
    assert pairs == [("001", "002", "near-duplicate")]
    skipped = {Path(s["path"].split(":")[0]).name: s["reason"] for s in report["skipped"]}
    assert set(skipped) == {"image.txt", "empty.txt", "feed.jsonl", "gone.txt"}
    assert "binary" in skipped["image.txt"]
    assert "empty" in skipped["empty.txt"]
    assert "JSON" in skipped["feed.jsonl"]
    assert all(reason for reason in skipped.values())
    ids = {d["id"] for d in report["documents"]}
    assert {"latin1.txt", "n1"} <= ids


def test_latin1_file_is_decoded_correctly(
    messy_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import dedup

    result = dedup.scan([messy_folder / "latin1.txt"])
    assert result.documents[0].text == FRENCH


def test_json_report_follows_the_schema(capsys: pytest.CaptureFixture[str]) -> None:
    code, report, _ = run_json([str(SEEDS)], capsys)
    assert code == 0
    assert report["schema"] == SCAN_SCHEMA_TIERS  # stories and lineage are on by default
    assert {"id", "path", "chars"} <= set(report["documents"][0])
    pair = report["pairs"][0]
    assert set(pair) >= {"a", "b", "relation", "jaccard", "containment"}
    assert set(pair["containment"]) == {"a_in_b", "b_in_a"}
    assert all({"id", "members"} <= set(f) for f in report["families"])
    assert sorted(m for f in report["families"] for m in f["members"]) == sorted(
        d["id"] for d in report["documents"]
    )
    assert sorted(m for f in report["stories"] for m in f["members"]) == sorted(
        d["id"] for d in report["documents"]
    )
    looser = [p for p in report["pairs"] if p["relation"] in {"partial-reuse", "same-story"}]
    assert looser and all(
        set(p["evidence"]) >= {"shared_shingles", "rare_words", "rare_cover", "order"}
        for p in looser
    )
    assert isinstance(report["boilerplate"], list)


def test_no_stories_gives_the_copy_report_schema_1(capsys: pytest.CaptureFixture[str]) -> None:
    code, report, _ = run_json([str(SEEDS), "--no-stories", "--no-lineage"], capsys)
    assert code == 0
    assert report["schema"] == SCAN_SCHEMA
    assert "stories" not in report
    assert [p["relation"] for p in report["pairs"]] == ["near-duplicate"]


def test_text_report_lists_families_then_pairs(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scan", str(SEEDS)]) == 0
    out = capsys.readouterr().out
    assert out.index("Families of copies") < out.index("Pairs")
    assert "Singletons (no copy found): 3" in out
    assert "near-duplicate" in out


def test_output_file_is_written(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "report.json"
    assert main(["scan", str(SEEDS), "--format", "json", "-o", str(target)]) == 0
    assert capsys.readouterr().out == ""
    assert json.loads(target.read_text(encoding="utf-8"))["schema"] == SCAN_SCHEMA_TIERS


def test_nothing_readable_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    assert main(["scan", str(tmp_path), str(tmp_path / "missing")]) == 1
    captured = capsys.readouterr()
    assert "no input could be read" in captured.err
    assert "missing" in captured.out


@pytest.mark.parametrize(
    "args",
    [["scan"], ["scan", "x", "--threshold", "1.5"], ["scan", "x", "--num-perm", "0"], ["nope"]],
)
def test_usage_errors_exit_2_without_traceback(
    args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "error" in err


def test_unwritable_output_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["scan", str(SEEDS), "-o", str(tmp_path / "no" / "dir" / "r.txt")]) == 1
    assert "cannot write" in capsys.readouterr().err


def test_jsonl_field_options(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    body = SEED_001.read_text(encoding="utf-8")
    rows = [{"url": "u1", "body": body, "day": "2022-12-20"}, {"url": "u2", "body": body + " ok"}]
    feed = tmp_path / "news.jsonl"
    feed.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    code, report, _ = run_json(
        [str(feed), "--text-field", "body", "--id-field", "url", "--date-field", "day"], capsys
    )
    assert code == 0
    assert [(p["a"], p["b"]) for p in report["pairs"]] == [("u1", "u2")]
    assert report["documents"][0]["metadata"]["date"] == "2022-12-20"


def test_help_documents_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scan", "--help"]) == 0
    out = capsys.readouterr().out
    assert "exit codes" in out
    for option in ("--ngram", "--num-perm", "--seed", "--threshold", "--text-field", "--id-field"):
        assert option in out


def test_sketch_method_kperm_finds_the_same_copies_and_is_recorded(
    capsys: pytest.CaptureFixture[str],
) -> None:
    families = {}
    for method in ("oph", "kperm"):
        code, report, _ = run_json([str(SEEDS), "--sketch-method", method, "--no-lineage"], capsys)
        assert code == 0 and report["config"]["sketch"]["method"] == method
        families[method] = sorted(f["members"] for f in report["families"] if f["size"] > 1)
    assert families["oph"] == families["kperm"] and len(families["oph"]) == 1


def test_a_reader_that_leaves_early_gets_no_traceback(tmp_path: Path) -> None:
    import subprocess
    import sys

    # A report larger than a pipe's buffer, so that writing it meets the closed pipe.
    lines = (json.dumps({"id": f"d{i}", "text": f"story number {i} about item {i * 7}"})
             for i in range(3000))  # fmt: skip
    (tmp_path / "many.jsonl").write_text("\n".join(lines), encoding="utf-8")
    scan = subprocess.Popen(
        [sys.executable, "-m", "dedup", "scan", str(tmp_path), "--format", "json", "-j", "1",
         "--no-stories", "--no-lineage"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    assert scan.stdout is not None and scan.stderr is not None
    assert scan.stdout.read(1) == b"{"
    scan.stdout.close()  # like `| head -c1`: the rest of the report meets a closed pipe
    assert scan.wait(timeout=120) == 0
    assert b"Traceback" not in scan.stderr.read()
