"""The local backend against Dask with 1 and 2 local workers: time and peak memory per process.

    python benchmarks/dask_scale.py                        # 100k documents (corpus built once)
    python benchmarks/dask_scale.py --sizes 100000 1000000
    python benchmarks/dask_scale.py --sizes 10000 --runs local dask2
    python benchmarks/dask_scale.py --sizes 1000000 --no-lineage   # the copy scan alone

Every run is a fresh Python process (``--one`` below) scanning the simulated corpus of
benchmarks/corpus.py with ``ScanConfig(story=False)``, the copy scan of bench_scale.py, and
keeping the ScanResult (no report is written: its size is the report's, not the backend's).
``--no-lineage`` leaves out the lineage stage, which runs on the client in both backends (the
same local function), so what is measured is the part that the backends do differently.
Printed per run: wall seconds, the peak resident memory of the process that called the scan
("client": for Dask it also hosts the LocalCluster's scheduler), its resident memory after the
scan with the result still held ("result held"), and the largest peak among the worker processes
(the local backend's ``-j 2`` pool, or the Dask workers). Run it under the benchmark lock:

    flock /tmp/dedup-bench.lock python benchmarks/dask_scale.py --sizes 100000 1000000

``--tables --sizes 10000 20000`` measures the copy scan written as tables by the workers instead
(benchmarks/dask_stages.py): per stage tasks, CPU-seconds and shuffled bytes for 1 and 2
workers, the client's peak at the two sizes, tasks at 8, 16 and 32 partitions, a projection.
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import corpus  # noqa: E402
import dask_stages  # noqa: E402

RUNS = ("local", "dask1", "dask2")


def _rss_mib() -> float:
    """Current resident memory of this process (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _peak_mib(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def one(kind: str, path: Path, lineage: bool) -> dict[str, Any]:
    """Scan ``path`` with one backend in this process; the figures as a dict."""
    import dedup

    config = dedup.ScanConfig(story=False, lineage=lineage)
    if kind == "local":
        started = time.perf_counter()
        result = dedup.scan(path, config, jobs=2)
        seconds = time.perf_counter() - started
        workers = [_peak_mib(resource.RUSAGE_CHILDREN)]
    else:
        import dedup.dask

        with dedup.dask.local_client(int(kind.removeprefix("dask"))) as client:
            started = time.perf_counter()
            result = dedup.dask.scan(path, config, client=client)
            seconds = time.perf_counter() - started
            workers = list(client.run(_peak_mib).values())
    gc.collect()
    return {
        "kind": kind, "seconds": round(seconds, 1), "client_peak": round(_peak_mib()),
        "result_held": round(_rss_mib()), "worker_peak": round(max(workers)),
        "documents": len(result.documents), "pairs": len(result.pairs),
        "families": sum(len(f.members) > 1 for f in result.families),
    }  # fmt: skip


def run(kind: str, path: Path, lineage: bool) -> dict[str, Any]:
    command = [sys.executable, __file__, "--one", kind, str(path)]
    done = subprocess.run(
        [*command, *([] if lineage else ["--no-lineage"])], capture_output=True, text=True,
        check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"{kind} on {path} failed:\n{done.stderr[-3000:]}")
    found: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000])
    parser.add_argument("--runs", nargs="+", choices=RUNS, default=list(RUNS))
    parser.add_argument("--no-lineage", dest="lineage", action="store_false",
                        help="leave out the lineage stage (the copy scan alone)")
    parser.add_argument("--tables", action="store_true",
                        help="the copy scan written as tables by the workers (scan_to): per "
                        "stage tasks, CPU-seconds and shuffled bytes; client peak at two sizes; "
                        "tasks at 8, 16, 32 partitions; a projection (benchmarks/dask_stages.py)")
    parser.add_argument("--corpus-dir", type=Path, default=corpus.OUT,
                        help="where the sim-N.jsonl corpora are (default: %(default)s)")
    parser.add_argument("--partitions", type=int, default=8,
                        help="--tables: partitions of the smaller corpus (default: 8)")
    parser.add_argument("--one", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    parser.add_argument("--one-table", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(one(args.one[0], Path(args.one[1]), args.lineage)))
        return 0
    if args.one_table:
        print(json.dumps(dask_stages.one(*args.one_table)))
        return 0
    if args.tables:
        small, large = (corpus.ensure(n, args.corpus_dir).jsonl for n in sorted(args.sizes)[:2])
        dask_stages.report(small, large, args.partitions)
        return 0
    header = ("docs", "backend", "wall s", "client peak MiB", "result held MiB",
              "worker peak MiB", "pairs", "families")  # fmt: skip
    print(" | ".join(header))
    for size in args.sizes:
        files = corpus.ensure(size)
        baseline: tuple[int, int] | None = None
        for kind in args.runs:
            found = run(kind, files.jsonl, args.lineage)
            print(" | ".join(str(found[k]) for k in ("seconds", "client_peak", "result_held",
                  "worker_peak", "pairs", "families")).join((f"{size:,} | {kind} | ", "")),
                  flush=True)  # fmt: skip
            answer = (found["pairs"], found["families"])
            if baseline is not None and answer != baseline:
                print(f"  (!) {kind} found {answer}, the first run {baseline}", flush=True)
            baseline = baseline or answer
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
