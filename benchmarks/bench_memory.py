"""Peak memory of ``dedup scan`` per byte of text, beside two baselines, on a JSONL corpus.

    python benchmarks/reuters_to_jsonl.py ../shared/data/reuters21578 \
        -o benchmarks/out/reuters.jsonl
    python benchmarks/bench_memory.py benchmarks/out/reuters.jsonl [--fractions 0.25,0.5,1] \
        [--scan-args '--no-stories --no-lineage']

Each run is a fresh single-process child (``-j 1``); its peak resident set (``ru_maxrss``) less
the interpreter with dedup imported, divided by the bytes of text scanned, is the figure. The
baselines: holding the parsed records as Python objects (what any loader costs) and the
interpreter alone. Run it single-process; the full Reuters corpus takes about a minute.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

_IMPORT = "import dedup, dedup.cli"
_HOLD = (
    "import json, sys, dedup, dedup.cli\n"
    "records = [json.loads(line) for line in open(sys.argv[1], encoding='utf-8')]\n"
)


_MEASURE = (
    "import resource, subprocess, sys\n"
    "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
)


def _peak_kib(args: list[str]) -> int:
    """Peak RSS (KiB) of a child running ``args``, measured by a fresh parent of its own (the
    children's ru_maxrss is the largest of all children a process ever had)."""
    done = subprocess.run([sys.executable, "-c", _MEASURE, *args], check=True,
                          capture_output=True, text=True)  # fmt: skip
    return int(done.stdout.strip().splitlines()[-1])


def _subset(source: Path, fraction: float, folder: Path) -> tuple[Path, int]:
    lines = source.read_text("utf-8").splitlines(keepends=True)
    kept = lines[: max(1, int(len(lines) * fraction))]
    target = folder / f"part-{fraction}.jsonl"
    target.write_text("".join(kept), "utf-8")
    text_bytes = sum(len(json.loads(line)["text"].encode("utf-8")) for line in kept)
    return target, text_bytes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--fractions", default="0.25,0.5,1")
    parser.add_argument("--scan-args", default="", help="more options for dedup scan, e.g. "
                        "'--no-stories --no-lineage'")
    args = parser.parse_args()
    python = sys.executable
    base = _peak_kib([python, "-c", _IMPORT])
    print(f"interpreter + dedup imported: {base / 1024:.0f} MiB")
    print(f"{'docs':>7} {'text MB':>8} {'scan MiB':>9} {'scan B/B':>9} {'records B/B':>12}")
    with tempfile.TemporaryDirectory() as scratch:
        for fraction in sorted(float(f) for f in args.fractions.split(",")):
            part, text_bytes = _subset(args.corpus, fraction, Path(scratch))
            docs = sum(1 for _ in part.open("rb"))
            hold = _peak_kib([python, "-c", _HOLD, str(part)])
            report = str(Path(scratch) / "out.json")
            command = [python, "-m", "dedup", "scan", str(part), "-q", "-j", "1",
                       "--format", "json", "-o", report, *args.scan_args.split()]  # fmt: skip
            scan = _peak_kib(command)
            per_scan = (scan - base) * 1024 / text_bytes
            per_hold = (hold - base) * 1024 / text_bytes
            print(f"{docs:>7} {text_bytes / 1e6:>8.1f} {scan / 1024:>9.0f} {per_scan:>9.1f} "
                  f"{per_hold:>12.1f}", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
