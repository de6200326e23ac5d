"""Issue #23, case 8: no command writes over an input; dedupe's output and removal map are
committed together; temporaries are cleaned; files respect the umask; write errors are one line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from dedup.deduplication.outputs import Staging, atomic_file, journal_path, recover

from .corpus import COPY, STORY, run, write_pair


@pytest.mark.parametrize(
    "command",
    [
        ["scan", "{folder}", "-o", "{story}"],
        ["scan", "{folder}", "--html", "{story}"],
        ["scan", "{story}", "{copy}", "-o", "{copy}"],
        ["lineage", "{folder}", "-o", "{story}"],
        ["diff", "{story}", "{copy}", "-o", "{story}"],
    ],
    ids=lambda command: " ".join(command),
)
def test_no_command_writes_over_an_input(
    command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "corpus"
    write_pair(folder)
    names = {"folder": folder, "story": folder / "story.txt", "copy": folder / "copy.txt"}
    args = [part.format(**names) for part in command]

    code, _, err = run([*args, "-q"] if args[0] != "diff" else args, capsys)

    assert code == 2
    assert "input" in err
    assert (folder / "story.txt").read_text("utf-8") == STORY
    assert (folder / "copy.txt").read_text("utf-8") == COPY


def test_a_new_report_inside_the_input_folder_is_allowed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_pair(tmp_path)
    code, _, _ = run(["scan", str(tmp_path), "-q", "-o", str(tmp_path / "report.txt")], capsys)
    assert code == 0
    assert (tmp_path / "report.txt").stat().st_size > 0


def test_o_and_html_must_differ(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_pair(tmp_path / "in")
    out = str(tmp_path / "out.html")
    code, _, err = run(["scan", str(tmp_path / "in"), "-q", "-o", out, "--html", out], capsys)
    assert code == 2
    assert "same file" in err


def _feed(tmp_path: Path) -> Path:
    feed = tmp_path / "feed.jsonl"
    lines = [{"id": "a", "text": STORY}, {"id": "b", "text": COPY}, {"id": "c", "text": "Other."}]
    feed.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return feed


def _dedupe(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> int:
    feed = _feed(tmp_path)
    args = ["dedupe", str(feed), "-o", str(tmp_path / "out.jsonl"), "-q", "-j", "1",
            "--removed", str(tmp_path / "map.jsonl")]  # fmt: skip
    return run(args, capsys)[0]


def test_a_kill_between_the_two_renames_is_completed_by_the_next_run(tmp_path: Path) -> None:
    out, removed = tmp_path / "out.jsonl", tmp_path / "map.jsonl"
    out.write_text("old output\n")
    removed.write_text("old map\n")
    staging = Staging()
    for target, text in ((out, "new output\n"), (removed, "new map\n")):
        with atomic_file(str(target), staging) as temporary:
            Path(temporary).write_text(text)
    real_replace = Path.replace
    calls = []

    def killed_after_one(self: Path, target: Path) -> Path:
        if len(calls) == 2:  # the journal, then the output, are in place
            raise KeyboardInterrupt  # stands for kill -9: no clean-up runs after it
        calls.append(target)
        return real_replace(self, target)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Path, "replace", killed_after_one)
        with pytest.raises(KeyboardInterrupt):
            staging.commit()
    assert (out.read_text(), removed.read_text()) == ("new output\n", "old map\n")
    assert journal_path(out).exists()

    recover(str(out))

    assert (out.read_text(), removed.read_text()) == ("new output\n", "new map\n")
    assert not journal_path(out).exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_dedupe_cleans_temporaries_of_dead_writers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()  # fmt: skip
    stale = tmp_path / f".out.jsonl.{dead}.x1y2.tmp"
    stale.write_text("half written")
    mine = tmp_path / f".out.jsonl.{os.getpid()}.live.tmp"  # a live writer's: kept
    mine.write_text("being written")

    assert _dedupe(tmp_path, capsys) == 0

    assert not stale.exists()
    assert mine.exists()
    assert (tmp_path / "out.jsonl").exists()
    assert json.loads((tmp_path / "map.jsonl").read_text().splitlines()[0])["removed"] == 1


@pytest.fixture
def umask() -> Iterator[None]:
    previous = os.umask(0o027)
    yield
    os.umask(previous)


@pytest.mark.usefixtures("umask")
def test_outputs_take_their_mode_from_the_umask(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _dedupe(tmp_path, capsys) == 0
    folder_out = tmp_path / "kept"
    write_pair(tmp_path / "texts")
    code, _, _ = run(["dedupe", str(tmp_path / "texts"), "-o", str(folder_out), "-q"], capsys)
    report = tmp_path / "report.txt"
    run(["scan", str(tmp_path / "texts"), "-q", "-o", str(report)], capsys)

    assert code == 0
    for made in (tmp_path / "out.jsonl", tmp_path / "map.jsonl", report):
        assert made.stat().st_mode & 0o777 == 0o640, made
    assert folder_out.stat().st_mode & 0o777 == 0o750


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_device_is_one_line_and_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_pair(tmp_path)
    code, _, err = run(["scan", str(tmp_path), "-q", "-o", "/dev/full"], capsys)
    assert code == 1
    assert err.strip().count("\n") == 0
    assert "No space left" in err


def _cli(args: list[str], stdout: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "dedup", *args], stdout=stdout,
                          stderr=subprocess.PIPE, text=True, timeout=120, check=False)  # fmt: skip


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_stdout_on_a_full_device_is_one_line_and_exit_1(tmp_path: Path) -> None:
    write_pair(tmp_path)
    with Path("/dev/full").open("w") as full:
        done = _cli(["scan", str(tmp_path), "-q", "-j", "1"], full)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().count("\n") == 0


def test_a_reader_that_leaves_early_is_no_error(tmp_path: Path) -> None:
    write_pair(tmp_path)
    process = subprocess.Popen(
        [sys.executable, "-m", "dedup", "scan", str(tmp_path), "-q", "-j", "1", "--format",
         "json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
    assert process.stdout is not None
    process.stdout.read(10)
    process.stdout.close()
    _, err = process.communicate(timeout=120)
    assert b"Traceback" not in err
    assert process.returncode in (0, 1)
