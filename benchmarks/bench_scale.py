"""How ``dedup scan`` grows with the corpus: time and peak memory on 10k, 100k (and 1M) documents.

    python benchmarks/bench_scale.py                    # 10k and 100k (~5 min, corpora built once)
    python benchmarks/bench_scale.py --max 1000000      # also 1M (~2.2 GB of JSONL, built once)
    python benchmarks/bench_scale.py --cli-args "-j 1"  # extra options for dedup scan
    python benchmarks/bench_scale.py --stories          # with the story tier (default: off)

Each size is one run of the ``dedup scan`` command in a subprocess, reading the JSONL corpus of
benchmarks/corpus.py from benchmarks/out/ and writing the JSON report to the null device:
``dedup scan sim-N.jsonl --format json -o /dev/null --no-stories`` (the copy scan; the story
tier, partial-reuse and same-story, is left out unless ``--stories``). The scan uses its own
default parallelism (``-j``: all cores) unless ``--cli-args`` says otherwise. Wall time is
measured around the process; CPU seconds and peak resident memory come from ``wait4``, i.e. the
scan process and the worker processes it reaped: "cpu s" sums them all (above "wall s" when
workers ran in parallel), "peak MiB" is the largest single one of them, not their sum.
"""

from __future__ import annotations

import argparse
import os
import shlex
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import corpus  # noqa: E402

STANDARD_SIZES = (10_000, 100_000, 1_000_000)


@dataclass(frozen=True)
class Run:
    """One ``dedup scan``: wall and CPU seconds (the main process), peak RSS in KiB."""

    seconds: float
    cpu: float
    peak_kib: int


def dedup_command() -> list[str]:
    """How to start ``dedup``: the console script beside this Python, else ``-m dedup``."""
    script = Path(sys.executable).with_name("dedup")
    return [str(script)] if script.exists() else [sys.executable, "-m", "dedup"]


def scan_command(files: corpus.CorpusFiles, extra: Sequence[str]) -> list[str]:
    return [*dedup_command(), "scan", str(files.jsonl), "--format", "json", "-o", os.devnull,
            *extra]  # fmt: skip


def _supports(option: str) -> bool:
    """Does this ``dedup scan`` know ``option``?"""
    done = subprocess.run([*dedup_command(), "scan", "--help"], capture_output=True, text=True,
                          check=False)  # fmt: skip
    return option in done.stdout


def run_once(command: Sequence[str]) -> Run:
    """Run the command; its wall time and its own resource usage (``wait4``)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    stderr = process.stderr.read().decode("utf-8", "replace") if process.stderr else ""
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise RuntimeError(f"{shlex.join(command)} exited with {code}:\n{stderr[-3000:]}")
    return Run(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss)


def measure(files: corpus.CorpusFiles, extra: Sequence[str], repeat: int) -> Run:
    """Median wall time, CPU time and peak memory over ``repeat`` runs."""
    command = scan_command(files, extra)
    print(f"  {shlex.join(command)}", file=sys.stderr, flush=True)
    runs = [run_once(command) for _ in range(repeat)]
    return Run(statistics.median(r.seconds for r in runs), statistics.median(r.cpu for r in runs),
               int(statistics.median(r.peak_kib for r in runs)))  # fmt: skip


def print_table(results: Sequence[tuple[corpus.CorpusFiles, Run]]) -> None:
    header = ("docs", "MB", "wall s", "cpu s", "s / 1k docs", "docs/s", "MB/s", "peak MiB",
              "growth")  # fmt: skip
    lines = []
    previous: tuple[corpus.CorpusFiles, Run] | None = None
    for files, run in results:
        mb = files.text_bytes / 1e6
        growth = "-"
        if previous is not None:
            size_ratio = files.documents / previous[0].documents
            growth = f"x{run.seconds / previous[1].seconds:.1f} time for x{size_ratio:.0f} docs"
        lines.append((f"{files.documents:,}", f"{mb:,.0f}", f"{run.seconds:.1f}",
                      f"{run.cpu:.1f}", f"{1000 * run.seconds / files.documents:.2f}",
                      f"{files.documents / run.seconds:,.0f}", f"{mb / run.seconds:.2f}",
                      f"{run.peak_kib / 1024:,.0f}", growth))  # fmt: skip
        previous = (files, run)
    widths = [max(len(h), *(len(line[i]) for line in lines)) for i, h in enumerate(header)]
    for row in (header, tuple("-" * w for w in widths), *lines):
        print("  ".join(cell.rjust(width) for cell, width in zip(row, widths, strict=True)))


def _sizes(args: argparse.Namespace) -> list[int]:
    if args.sizes:
        return sorted(set(args.sizes))
    if args.quick:
        return [2_000, 10_000]
    return [n for n in STANDARD_SIZES if n <= args.max]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--max",
        type=int,
        default=100_000,
        help="largest standard size: 10000, 100000 (default) or 1000000",
    )
    parser.add_argument("--sizes", type=int, nargs="+", help="these sizes instead")
    parser.add_argument("--quick", action="store_true", help="2k and 10k documents")
    parser.add_argument("--repeat", type=int, default=1, help="runs per size (median)")
    parser.add_argument("--stories", action="store_true", help="keep the story tier on")
    parser.add_argument("--cli-args", default="", help="extra options for dedup scan, quoted")
    return parser  # fmt: skip


def _extra(args: argparse.Namespace) -> list[str]:
    extra = shlex.split(args.cli_args)
    if not args.stories and _supports("--no-stories"):
        extra.append("--no-stories")
    return extra


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    sizes = _sizes(args)
    try:
        corpora = [corpus.ensure(n) for n in sizes]
    except (corpus.CorpusMissing, ValueError) as error:
        print(f"bench_scale: {error}", file=sys.stderr)
        return 1
    extra = _extra(args)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"dedup scan {shlex.join(extra)} on {os.cpu_count()} CPUs; load average before the "
          f"run {load}; median of {args.repeat}")  # fmt: skip
    try:
        results = [(files, measure(files, extra, args.repeat)) for files in corpora]
    except RuntimeError as error:
        print(f"bench_scale: {error}", file=sys.stderr)
        return 1
    print_table(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
