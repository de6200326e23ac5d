"""``dedup scan --html FILE``: the HTML report beside the usual report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dedup.cli import main

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def test_html_is_written_while_json_goes_to_stdout(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "report.html"
    assert main(["scan", str(SEEDS), "--html", str(page), "--format", "json", "-j", "1"]) == 0
    captured = capsys.readouterr()
    report = json.loads(captured.out)
    assert len(report["pairs"]) == 6
    source = page.read_text(encoding="utf-8")
    assert source.startswith("<!DOCTYPE html>")
    assert 'id="family-F1"' in source and "001_47e1ff0772070bb4.txt" in source
    assert captured.err == ""


def test_an_unwritable_html_path_is_an_error_with_the_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "no-such-folder" / "report.html"
    code = main(["scan", str(SEEDS), "--html", str(target), "-j", "1"])
    captured = capsys.readouterr()
    assert code == 1
    assert captured.err.startswith("dedup: error: cannot write ")
    assert str(target) in captured.err
    assert captured.out == ""  # checked before the inputs were read: no scan ran


def test_skipped_inputs_are_listed_in_the_html(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for seed in SEEDS.iterdir():
        (corpus / seed.name).write_bytes(seed.read_bytes())
    (corpus / "empty.txt").write_bytes(b"")
    page = tmp_path / "r.html"
    assert main(["scan", str(corpus), "--html", str(page), "-j", "1"]) == 0
    source = page.read_text(encoding="utf-8")
    assert "Skipped inputs" in source and "empty.txt" in source


def test_help_names_the_html_and_quiet_options(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scan", "--help"]) == 0
    text = capsys.readouterr().out
    assert "--html FILE" in text and "-q, --quiet" in text
    assert "dedup scan seeds/ --html report.html" in text
