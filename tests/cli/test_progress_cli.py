"""The progress bar of ``dedup scan``: on a terminal's stderr only, never on stdout."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import struct
import subprocess
import sys
import termios
import threading
from pathlib import Path

import pytest

import dedup
from dedup.cli import main

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def run_with_terminal_stderr(args: list[str]) -> tuple[int, str, str]:
    """Run ``dedup ARGS`` with stderr on a pseudo-terminal and stdout on a pipe:
    (exit code, stdout, what the terminal received)."""
    master, slave = pty.openpty()
    # 100 columns, 24 rows: a bar needs to know the width it may fill.
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    process = subprocess.Popen(
        [sys.executable, "-m", "dedup", *args],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=slave,
    )
    os.close(slave)
    received: list[bytes] = []

    def read_terminal() -> None:
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:  # EIO: the process closed its end
                return
            if not chunk:
                return
            received.append(chunk)

    reader = threading.Thread(target=read_terminal)
    reader.start()
    stdout, _ = process.communicate(timeout=120)
    reader.join(timeout=30)
    os.close(master)
    return process.returncode, stdout.decode(), b"".join(received).decode(errors="replace")


def test_a_scan_on_a_terminal_shows_each_stage_with_counts_and_rate() -> None:
    code, stdout, terminal = run_with_terminal_stderr(["scan", str(SEEDS), "-j", "1"])
    assert code == 0
    for stage in ("sketching", "indexing", "verifying", "stories", "lineage"):
        assert stage in terminal, stage
    assert "5/5" in terminal  # five seed documents sketched
    assert "documents/s" in terminal  # the rate
    assert "\r" in terminal  # redrawn in place, not line after line
    assert stdout.startswith("dedup scan: 5 documents")
    assert "sketching" not in stdout


def test_json_on_stdout_stays_valid_while_the_bar_is_drawn() -> None:
    code, stdout, terminal = run_with_terminal_stderr(
        ["scan", str(SEEDS), "--format", "json", "-j", "1"]
    )
    assert code == 0
    assert "sketching" in terminal
    report = json.loads(stdout)
    assert len(report["documents"]) == 5


def test_quiet_silences_the_bar() -> None:
    code, stdout, terminal = run_with_terminal_stderr(["scan", str(SEEDS), "--quiet", "-j", "1"])
    assert code == 0 and stdout.startswith("dedup scan:")
    assert terminal == ""


def test_no_bar_when_stderr_is_not_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scan", str(SEEDS), "-j", "1"]) == 0
    assert capsys.readouterr().err == ""


def test_the_library_reports_stages_in_order_and_counts_that_only_grow(
    capsys: pytest.CaptureFixture[str],
) -> None:
    events: list[dedup.ProgressEvent] = []
    result = dedup.scan([SEEDS], dedup.ScanConfig(passages=True), progress=events.append)
    stages = list(dict.fromkeys(event.stage for event in events))
    assert stages == ["sketching", "indexing", "verifying", "stories", "lineage", "aligning"]
    for stage in stages:
        done = [event.done for event in events if event.stage == stage]
        assert done == sorted(done)
        last = [event for event in events if event.stage == stage][-1]
        assert last.total is None or last.done == last.total
    sketched = [event for event in events if event.stage == "sketching"][-1]
    assert sketched.done == len(result.documents) == 5
    aligned = [event for event in events if event.stage == "aligning"][-1]
    assert aligned.done == len(result.pairs)
    # Without a callback the library prints nothing.
    dedup.scan([SEEDS])
    assert capsys.readouterr() == ("", "")
