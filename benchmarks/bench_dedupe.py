"""``dedup dedupe`` on simulated corpora: time, peak memory, and how the kept set matches the
true families.

    python benchmarks/bench_dedupe.py                       # 10k and 100k (corpora built once)
    python benchmarks/bench_dedupe.py --sizes 1000000       # 1M (~2.2 GB of JSONL)
    python benchmarks/bench_dedupe.py --keep longest --cli-args "-j 1"
    python benchmarks/bench_dedupe.py --corpus-dir ../main/benchmarks/out   # corpora built there

Each size is one run of ``dedup dedupe sim-N.jsonl -o OUT.jsonl --removed MAP.jsonl --keep K``
in a subprocess (the corpora of benchmarks/corpus.py; outputs in a temporary folder, deleted
after). Wall, CPU and peak resident memory are measured as in bench_scale.py (``wait4``: "peak
MiB" is the largest single process, the command or one of its workers). Then the outputs are
checked against the corpus's true families: every document is written or in the removal map
exactly once, "families split" counts true families with two or more documents kept (copies
the defaults do not call near-duplicates: heavy edits, trims), and "false merges" counts
removed documents whose kept document is of another true family.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import sys
import tempfile
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import bench_scale  # noqa: E402
import corpus  # noqa: E402


def dedupe_command(
    files: corpus.CorpusFiles, out: Path, keep: str, extra: Sequence[str]
) -> list[str]:
    return [*bench_scale.dedup_command(), "dedupe", str(files.jsonl), "-o",
            str(out / "kept.jsonl"), "--removed", str(out / "removed.jsonl"), "--keep", keep,
            *extra]  # fmt: skip


def check(files: corpus.CorpusFiles, out: Path) -> dict[str, int]:
    """Counts of the outputs against the true families (raises when an id is lost or doubled)."""
    truth: dict[str, str] = json.loads(files.truth.read_text(encoding="utf-8"))
    with (out / "kept.jsonl").open(encoding="utf-8") as lines:
        kept = [json.loads(line)["id"] for line in lines]
    with (out / "removed.jsonl").open(encoding="utf-8") as lines:
        next(lines)  # the header
        removed = {row["removed"]: row["kept"] for row in map(json.loads, lines)}
    seen = Counter(kept) + Counter(list(removed))
    if set(seen) != set(truth) or max(seen.values()) != 1:
        raise RuntimeError("an input id is missing from the outputs or in them twice")
    kept_per_family = Counter(truth[doc_id] for doc_id in kept)
    return {
        "documents": len(truth),
        "kept": len(kept),
        "removed": len(removed),
        "true families": len(set(truth.values())),
        "families split": sum(count > 1 for count in kept_per_family.values()),
        "false merges": sum(truth[a] != truth[b] for a, b in removed.items()),
    }


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--keep", default="earliest", help="keep policy (default %(default)s)")
    parser.add_argument("--cli-args", default="", help="extra options for dedup dedupe, quoted")
    parser.add_argument("--corpus-dir", type=Path,
                        help="read existing corpora from here instead of benchmarks/out "
                        "(nothing is built there)")  # fmt: skip
    return parser


def _corpus(size: int, folder: Path | None) -> corpus.CorpusFiles:
    if folder is None:
        return corpus.ensure(size)
    files = corpus.paths(size, folder)
    if not (files.jsonl.exists() and files.truth.exists()):
        raise ValueError(f"no sim-{size} corpus in {folder}")
    return files


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"dedup dedupe --keep {args.keep} {args.cli_args} on {os.cpu_count()} CPUs; "
          f"load average before the run {load}")  # fmt: skip
    header = ("docs", "wall s", "cpu s", "peak MiB", "kept", "removed", "true families",
              "families split", "false merges")  # fmt: skip
    print(" | ".join(header))
    for size in args.sizes:
        try:
            files = _corpus(size, args.corpus_dir)
        except (corpus.CorpusMissing, ValueError) as error:
            print(f"bench_dedupe: {error}", file=sys.stderr)
            return 1
        with tempfile.TemporaryDirectory(dir=HERE) as folder:
            command = dedupe_command(files, Path(folder), args.keep, shlex.split(args.cli_args))
            print(f"  {shlex.join(command)}", file=sys.stderr, flush=True)
            run = bench_scale.run_once(command)
            counts = check(files, Path(folder))
        print(" | ".join([f"{size:,}", f"{run.seconds:.1f}", f"{run.cpu:.1f}",
                          f"{run.peak_kib / 1024:,.0f}", *(f"{counts[k]:,}" for k in header[4:])]),
              flush=True)  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
