"""``dedup diff`` and ``dedup scan --passages`` run in-process through ``main(argv)``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from dedup.cli import main
from dedup.report import DIFF_SCHEMA, SCAN_SCHEMA, SCAN_SCHEMA_PASSAGES

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
S000 = str(SEEDS / "000_f895152034fee3bb.txt")
S001 = str(SEEDS / "001_47e1ff0772070bb4.txt")
S002 = str(SEEDS / "002_9ee1089bac769580.txt")
S004 = str(SEEDS / "004_080ed094c235e3d8.txt")
ANSI = "\x1b["


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_side_by_side_view_shows_passages_and_what_lies_outside(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(["diff", S001, S002], capsys)
    assert code == 0 and err == ""
    assert "1 passage (1 verbatim)" in out
    assert " | " in out
    assert "Only in b" in out and "Russian Space Chief Praises" in out
    assert "Only in a" not in out
    assert ANSI not in out  # captured output is not a terminal


def test_unified_view_marks_changes_inline_when_plain(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["diff", S000, S004, "--unified", "--width", "80"], capsys)
    assert code == 0
    assert "since the [-beginning-]{+start+} of the" in out
    assert " | " not in out
    assert all(len(line) <= 80 for line in out.splitlines() if not line.startswith("@@"))


def test_colour_only_on_a_terminal_and_not_with_no_color(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    monkeypatch.delenv("NO_COLOR", raising=False)
    _, out, _ = run(["diff", S000, S004], capsys)
    assert ANSI in out and "[-" not in out
    monkeypatch.setenv("NO_COLOR", "1")
    _, out, _ = run(["diff", S000, S004], capsys)
    assert ANSI not in out and "[-beginning-]" in out
    _, out, _ = run(["diff", S000, S004, "--color", "always"], capsys)
    assert ANSI in out


def test_json_report_has_offsets_into_the_files(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["diff", S000, S004, "--format", "json"], capsys)
    assert code == 0
    report = json.loads(out)
    assert report["schema"] == DIFF_SCHEMA
    assert report["a"]["id"] == Path(S000).name and report["a"]["path"] == S000
    assert report["b"]["path"] == S004
    (passage,) = report["passages"]
    assert {"a_start", "a_end", "b_start", "b_end", "similarity", "kind", "edits"} <= set(passage)
    assert passage["kind"] == "edited"
    text_a = Path(S000).read_text(encoding="utf-8")
    text_b = Path(S004).read_text(encoding="utf-8")
    assert "Western sanctions" in text_a[passage["a_start"] : passage["a_end"]]
    assert "Western sanctions" in text_b[passage["b_start"] : passage["b_end"]]
    changed = [e for e in passage["edits"] if e["op"] == "replace"]
    assert [text_b[e["b_start"] : e["b_end"]] for e in changed] == ["start"]
    assert set(report["coverage"]["a"]) == {"words", "verbatim", "edited", "total"}


def test_sentence_mode_reports_paraphrase_pairs(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["diff", S000, S001, "--sentences", "--format", "json"], capsys)
    assert code == 0
    report = json.loads(out)
    assert report["mode"] == "sentences"
    assert len(report["passages"]) >= 5
    assert {p["kind"] for p in report["passages"]} == {"paraphrase"}


def test_output_file_is_written(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "diff.json"
    assert main(["diff", S001, S002, "--format", "json", "-o", str(target)]) == 0
    assert capsys.readouterr().out == ""
    assert json.loads(target.read_text(encoding="utf-8"))["schema"] == DIFF_SCHEMA


@pytest.mark.parametrize(
    ("make", "code", "message"),
    [
        (lambda d: d / "missing.txt", 1, "no such file"),
        (lambda d: _write(d / "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256))), 1,
         "binary"),
        (lambda d: _write(d / "empty.txt", b""), 1, "empty"),
        (lambda d: _folder_of_two(d), 2, "holds 2 documents"),
    ],
)
def test_bad_inputs_are_clear_errors_without_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], make, code: int, message: str
) -> None:
    bad = make(tmp_path)
    assert main(["diff", S001, str(bad)]) == code
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _folder_of_two(tmp_path: Path) -> Path:
    folder = tmp_path / "two"
    folder.mkdir()
    (folder / "x.txt").write_text("one text", encoding="utf-8")
    (folder / "y.txt").write_text("another text", encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    "args",
    [
        ["diff", S001],
        ["diff", S001, S002, "--anchor", "0"],
        ["diff", S001, S002, "--width", "5"],
        ["diff", S001, S002, "--sentence-threshold", "2"],
    ],
)
def test_usage_errors_exit_2(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "error" in err and "Traceback" not in err


def test_unwritable_output_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", S001, S002, "-o", str(tmp_path / "no" / "dir" / "d.txt")]) == 1
    assert "cannot write" in capsys.readouterr().err


def test_help_documents_exit_codes_and_options(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", "--help"]) == 0
    out = capsys.readouterr().out
    assert "exit codes" in out
    for option in ("--unified", "--sentences", "--format", "--color", "--min-words"):
        assert option in out


def test_scan_with_passages_raises_the_schema_and_lists_passages(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(
        ["scan", str(SEEDS), "--passages", "--no-stories", "--no-lineage", "--format", "json"],
        capsys,
    )
    assert code == 0
    report = json.loads(out)
    assert report["schema"] == SCAN_SCHEMA_PASSAGES
    (pair,) = report["pairs"]
    assert pair["passages"] and pair["coverage"]["a"]["total"] >= 0.95
    code, out, _ = run(
        ["scan", str(SEEDS), "--no-stories", "--no-lineage", "--format", "json"], capsys
    )
    report = json.loads(out)
    assert report["schema"] == SCAN_SCHEMA
    assert "passages" not in report["pairs"][0]


def test_scan_text_report_with_passages_summarises_each_pair(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(["scan", str(SEEDS), "--passages"], capsys)
    assert code == 0
    assert "1 passage (1 verbatim); aligned a 100.0%" in out


def test_swapped_paragraphs_are_one_passage_with_the_moved_run_in_json_and_title(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    first = ("The central bank raised its benchmark lending rate by half a point on Thursday, "
             "the second increase this year, citing stubborn inflation in services.")
    second = ("Analysts had expected a smaller increase after weak trade figures last month and "
              "a slowdown in factory orders reported by the statistics office.")
    path_a, path_b = tmp_path / "a.txt", tmp_path / "b.txt"
    path_a.write_text(f"{first}\n\n{second}\n", encoding="utf-8")
    path_b.write_text(f"{second}\n\n{first}\n", encoding="utf-8")
    code, out, _ = run(["diff", str(path_a), str(path_b), "--format", "json"], capsys)
    assert code == 0
    (passage,) = json.loads(out)["passages"]
    (moved,) = passage["moved"]
    text_a, text_b = path_a.read_text(encoding="utf-8"), path_b.read_text(encoding="utf-8")
    assert text_a[moved["a_start"] : moved["a_end"]] == text_b[moved["b_start"] : moved["b_end"]]
    assert text_a[moved["a_start"] : moved["a_end"]] in (first[:-1], second[:-1])
    _, out, _ = run(["diff", str(path_a), str(path_b)], capsys)
    assert "1 passage" in out and ", moved: a " in out


def test_side_by_side_rows_fit_the_width_with_wide_characters(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from dedup.report.escape import display_width

    shared = "東京都の新しい政策について市長が記者会見で説明した内容は次の通りである " * 6
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(shared + "追加の段落がここにあります。", encoding="utf-8")
    b.write_text("別の見出し " + shared, encoding="utf-8")
    assert main(["diff", str(a), str(b), "--width", "80", "--color", "never"]) == 0
    rows = capsys.readouterr().out.splitlines()
    assert rows and all(display_width(row) <= 80 for row in rows)
