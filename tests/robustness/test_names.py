"""Issue #23, cases 2, 4 and 7: file names and ids are data. Names that are not UTF-8 and lone
surrogates reach ids, JSON, SQLite and HTML as valid text; nothing from an input acts on the
terminal; bidi controls reorder nothing in the HTML report."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dedup.index import Index
from dedup.loading import load
from dedup.model import Document

from .corpus import COPY, STORY, run, scan_json

ESC_NAME = "new\nline\x1b[2J\x1b]0;owned\x07.txt"
BIDI_NAME = "invoice_\u202efdp.exe.txt"


@pytest.fixture
def named(tmp_path: Path) -> Path:
    """The story under a name that is not UTF-8, its copy under a name full of terminal
    controls, and a JSONL record whose id holds a lone surrogate."""
    folder = tmp_path / "names"
    folder.mkdir()
    try:
        (Path(os.fsdecode(bytes(folder))) / os.fsdecode(b"caf\xff.txt")).write_text(STORY)
    except (OSError, UnicodeError):  # pragma: no cover - a file system that refuses such names
        pytest.skip("this file system refuses names that are not UTF-8")
    (folder / ESC_NAME).write_text(COPY, encoding="utf-8")
    record = '{"id": "\\ud800x", "text": "' + STORY + ' More words \\udfff here."}\n'
    (folder / "feed.jsonl").write_text(record, encoding="utf-8")
    return folder


def test_ids_of_undecodable_names_are_valid_text(named: Path) -> None:
    ids = sorted(doc.id for doc in load([named]) if isinstance(doc, Document))
    assert ids == sorted(["caf\\xff.txt", "\\ud800x", ESC_NAME])
    for doc_id in ids:
        doc_id.encode("utf-8")  # no lone surrogate left


def test_jsonl_text_with_a_lone_surrogate_is_kept_as_replacement_characters(named: Path) -> None:
    record = next(d for d in load([named / "feed.jsonl"]) if isinstance(d, Document))
    assert "\ufffd" in record.text
    record.text.encode("utf-8")


def test_json_and_html_reports_are_valid_utf8(
    named: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, html = tmp_path / "scan.json", tmp_path / "scan.html"
    code, _, _ = run(["scan", str(named), "-q", "-j", "1", "--format", "json", "-o", str(out),
                      "--html", str(html)], capsys)  # fmt: skip
    assert code == 0
    report = json.loads(out.read_bytes().decode("utf-8"))
    assert {"caf\\xff.txt", "\\ud800x", ESC_NAME} <= {d["id"] for d in report["documents"]}
    page = html.read_bytes().decode("utf-8")
    assert "caf\\xff.txt" in page


def test_json_on_stdout_is_valid_utf8(named: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "dedup", "scan", str(named), "-q", "-j", "1",
                           "--format", "json"], capture_output=True, timeout=120, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.decode("utf-8"))
    assert len(report["documents"]) == 3


def test_the_index_stores_every_document_of_the_batch(named: Path, tmp_path: Path) -> None:
    with Index.open(tmp_path / "names.db", create=True) as index:
        result = index.add_paths([named])
        assert len(result.added) == 3
        assert {doc.id for doc in index.documents()} == {"caf\\xff.txt", "\\ud800x", ESC_NAME}


def test_the_text_report_escapes_controls_and_line_breaks(
    named: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (named / "empty\x1b[31m.txt").write_text("")  # listed under skipped
    code, out, _ = run(["scan", str(named), "-q", "-j", "1"], capsys)
    assert code == 0
    assert "\x1b" not in out
    assert "\x07" not in out
    assert "new\\nline\\x1b[2J" in out
    assert "empty\\x1b[31m.txt" in out


def test_diff_never_passes_terminal_controls(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a, b = tmp_path / "a\x1b[2J.txt", tmp_path / "b.txt"
    a.write_text(STORY.replace("spring", "spring \x1b]0;title\x07\x1b[31m"), encoding="utf-8")
    b.write_text(COPY, encoding="utf-8")
    for extra in ([], ["--unified"]):
        code, out, _ = run(["diff", str(a), str(b), "--color", "never", *extra], capsys)
        assert code == 0
        assert "\x1b" not in out
        assert "\x07" not in out


def test_bidi_overrides_are_isolated_and_shown_in_the_html_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "bidi"
    folder.mkdir()
    (folder / BIDI_NAME).write_text(STORY, encoding="utf-8")
    (folder / "copy.txt").write_text(COPY.replace("town", "town \u202egnol"), encoding="utf-8")
    html = tmp_path / "report.html"
    code, _, _ = run(["scan", str(folder), "-q", "-j", "1", "--html", str(html)], capsys)
    assert code == 0
    page = html.read_text("utf-8")
    assert "\u202e" not in page
    assert "invoice_[U+202E]fdp.exe.txt" in page
    assert '<bdi class="doc">invoice_[U+202E]fdp.exe.txt</bdi>' in page
    assert "unicode-bidi: isolate" in page


def test_the_text_report_escapes_bidi_controls(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / BIDI_NAME).write_text(STORY, encoding="utf-8")
    (tmp_path / "copy.txt").write_text(COPY, encoding="utf-8")
    code, report, _ = scan_json([str(tmp_path)], capsys)
    assert code == 0
    _, out, _ = run(["scan", str(tmp_path), "-q", "-j", "1"], capsys)
    assert "\u202e" not in out
    assert "invoice_\\u202efdp" in out


@pytest.mark.parametrize(
    "fields",
    [{"id": "x", "text": None}, {"id": 1, "text": "a"}, {"id": "x", "text": b"a"},
     {"id": "x", "text": "a", "path": 3}],  # fmt: skip
)
def test_document_refuses_values_of_the_wrong_type(fields: dict[str, object]) -> None:
    with pytest.raises(TypeError):
        Document(**fields)  # type: ignore[arg-type]
