"""Shared material of the robustness suite: a story with a near-copy, and running the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dedup.cli import main

STORY = (
    "The harbour authority said on Monday that the new container terminal would open in the "
    "spring after two years of delays caused by storms, strikes and a shortage of steel. "
    "Officials expect the terminal to handle twice as many ships as the old quay and to bring "
    "several hundred jobs to the town, which lost its shipyard a decade ago. "
)
COPY = STORY.replace("Monday", "Tuesday") + "A spokesman declined to comment further."


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """``dedup ARGS`` in-process: exit code, stdout, stderr (no traceback may reach stderr)."""
    code = main(args)
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.out, captured.err


def scan_json(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, dict, str]:
    """``dedup scan ARGS --format json``: exit code, the parsed report, stderr."""
    code, out, err = run(["scan", *args, "--format", "json", "-q", "-j", "1"], capsys)
    return code, json.loads(out), err


def pair_ids(report: dict) -> set[frozenset[str]]:
    """The pairs of a JSON scan report, each as its two ids."""
    return {frozenset((pair["a"], pair["b"])) for pair in report["pairs"]}


def write_pair(folder: Path) -> None:
    """The story and its near-copy as two text files in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "story.txt").write_text(STORY, encoding="utf-8")
    (folder / "copy.txt").write_text(COPY, encoding="utf-8")
