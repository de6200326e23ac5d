"""The command's manners: Ctrl-C, ``--version``, usage errors that name the flag and the
subcommand, ``index add -q``."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import dedup.cli
from dedup.cli import EXIT_INTERRUPTED, main

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_ctrl_c_in_a_command_is_one_line_and_exit_130(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def interrupted(arguments: list[str]) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(dedup.cli, "_run", interrupted)
    code, out, err = run(["scan", str(SEEDS)], capsys)
    assert (code, out, err) == (EXIT_INTERRUPTED, "", "dedup: interrupted\n")


def _wait_for_workers(pid: int, timeout: float = 120.0) -> None:
    children = Path(f"/proc/{pid}/task/{pid}/children")
    stop = time.monotonic() + timeout
    while not children.read_text().split():
        assert time.monotonic() < stop, "the scan never started its worker processes"
        time.sleep(0.05)


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux's /proc")
def test_a_real_sigint_during_a_parallel_scan_stops_it_with_one_line(tmp_path: Path) -> None:
    words = [f"w{n}" for n in range(5000)]
    rng = random.Random(7)
    for n in range(4000):
        (tmp_path / f"d{n}.txt").write_text(" ".join(rng.choices(words, k=200)), "utf-8")
    scan = subprocess.Popen(
        [sys.executable, "-m", "dedup", "scan", str(tmp_path), "-j", "2"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    _wait_for_workers(scan.pid)  # imports done, the workers at work
    time.sleep(0.3)  # past the workers' start, when Ctrl-C is briefly ignored (dedup/parallel.py)
    scan.send_signal(signal.SIGINT)
    _, err = scan.communicate(timeout=120)
    assert scan.returncode == EXIT_INTERRUPTED
    assert err == "dedup: interrupted\n"  # no traceback, from the parent or any worker


def test_version_imports_no_subcommand() -> None:
    check = (
        "import sys\n"
        "from dedup.cli import main\n"
        "assert main(['--version']) == 0\n"
        "loaded = sorted(m for m in sys.modules if m.startswith('dedup.cli.'))\n"
        "assert not loaded, loaded\n"
    )
    done = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"dedup {dedup.__version__}\n"


@pytest.mark.parametrize(
    ("args", "flag"),
    [
        (["scan", str(SEEDS), "--ngram", "0"], "--ngram"),
        (["scan", str(SEEDS), "--num-perm", "0"], "--num-perm"),
        (["scan", str(SEEDS), "--threshold", "1.5"], "--threshold"),
        (["scan", str(SEEDS), "--seed", "-1"], "--seed"),
        (["lineage", str(SEEDS), "--min-confidence", "2"], "--min-confidence"),
        (["diff", "a.txt", "b.txt", "--anchor", "0"], "--anchor"),
        (["query", "a.txt", "--db", "x.dedup", "--top", "0"], "--top"),
        (["index", "add", str(SEEDS), "--db", "x.dedup", "-j", "0"], "--jobs"),
    ],
)
def test_a_value_out_of_range_names_the_flag(
    args: list[str], flag: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(args, capsys)
    assert code == 2
    assert out == ""
    assert f"argument {flag}" in err or f"argument -j/{flag}" in err
    assert "size must" not in err and "num_perm" not in err  # not the config's field names


@pytest.mark.parametrize(
    ("args", "usage", "suggestion"),
    [
        (["scan", str(SEEDS), "--threshhold", "0.3"], "usage: dedup scan", "--threshold"),
        (["diff", "a", "b", "--unifed"], "usage: dedup diff", "--unified"),
        (["index", "stats", "--db", "x", "--fromat", "json"], "usage: dedup index stats",
         "--format"),
    ],
)
def test_a_misspelt_option_prints_the_subcommands_usage(
    args: list[str], usage: str, suggestion: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(args, capsys)
    assert code == 2
    assert err.startswith(usage)
    assert f"unrecognized arguments: {args[-2] if args[-1][0] != '-' else args[-1]}" in err
    assert f"did you mean {suggestion}?" in err


def test_index_add_quiet_prints_nothing_and_adds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "news.dedup"
    assert run(["index", "add", str(SEEDS), "--db", str(db), "-q"], capsys) == (0, "", "")
    code, out, _ = run(["index", "stats", "--db", str(db)], capsys)
    assert code == 0
    assert "documents: 5\n" in out
