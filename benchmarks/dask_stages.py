"""The Dask backend's copy scan written as tables (``dedup.dask.scan_to``), measured per stage.

    python benchmarks/dask_scale.py --tables --corpus-dir DIR    # all of the below

- per stage, for 1 and 2 workers: tasks, CPU-seconds summed over the workers' tasks, bytes each
  shuffle takes in; the local backend's seconds for the same stages (``jobs=1``: its wall time
  is its CPU time); wall time, the client's and the workers' peak memory;
- the client's peak at two corpus sizes (it must not grow with the corpus);
- tasks per stage at 8, 16 and 32 partitions;
- a projection for 10^8 documents on N machines from the per-document costs.

Each measurement runs in a fresh process (``--one-table`` below), so peaks are its own.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

STAGES = ("read", "ids", "features", "exact", "lsh", "verify", "families")
#: Local stage laps (ScanResult.stats) that cover each Dask stage.
LOCAL_LAPS = {"features": ("features",), "exact": ("exact",), "lsh": ("lsh",),
              "verify": ("verify",), "families": ("cluster",)}  # fmt: skip


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(path: Path, workers: int, partitions: int) -> dict[str, Any]:
    """One copy scan of ``path`` written as tables by ``workers`` local workers."""
    from dask_tasks import counting
    from distributed import Client, LocalCluster

    import dedup
    import dedup.dask

    config = dedup.ScanConfig(story=False, lineage=False)
    block = path.stat().st_size // partitions + 1
    with (
        tempfile.TemporaryDirectory() as out,
        LocalCluster(n_workers=workers, threads_per_worker=1, dashboard_address=":0") as cluster,
        Client(cluster) as client,
    ):  # fmt: skip
        counter = counting(cluster)
        started = time.perf_counter()
        manifest = dedup.dask.scan_to([path], Path(out, "t"), config, client=client,
                                      block_bytes=block)  # fmt: skip
        seconds = time.perf_counter() - started
        worker_peaks = client.run(_peak_mib).values()
    rows = {name: entry["rows"] for name, entry in manifest["tables"].items()}
    return {
        "workers": workers, "partitions": manifest["stats"]["partitions"],
        "seconds": round(seconds, 1), "client_peak": round(_peak_mib()),
        "worker_peak": round(max(worker_peaks)), "rows": rows,
        "tasks": dict(counter.tasks), "cpu": {k: round(v, 2) for k, v in counter.seconds.items()},
        "shuffle_mib": {k: round(v / 2**20, 1) for k, v in counter.shuffle_bytes.items()},
    }  # fmt: skip


def measure_local(path: Path) -> dict[str, Any]:
    """The local backend's copy scan, one process: its seconds per stage."""
    import dedup

    started = time.perf_counter()
    result = dedup.scan(path, dedup.ScanConfig(story=False, lineage=False), jobs=1)
    laps = dict(result.stats["seconds"])
    return {"seconds": round(time.perf_counter() - started, 1), "laps": laps,
            "client_peak": round(_peak_mib()), "pairs": len(result.pairs)}  # fmt: skip


def run_one(kind: str, path: Path, workers: int, partitions: int) -> dict[str, Any]:
    """``measure`` or ``measure_local`` in a fresh process."""
    command = [sys.executable, str(Path(__file__).with_name("dask_scale.py")), "--one-table",
               kind, str(path), str(workers), str(partitions)]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{command} failed:\n{done.stderr[-3000:]}")
    found: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


def one(kind: str, path: str, workers: str, partitions: str) -> dict[str, Any]:
    if kind == "local":
        return measure_local(Path(path))
    return measure(Path(path), int(workers), int(partitions))


def report(small: Path, large: Path, partitions: int) -> None:
    """Every table of the module's docstring, printed as Markdown."""
    documents = _documents(small)
    local = run_one("local", small, 1, 1)
    runs = [run_one("dask", small, w, partitions) for w in (1, 2)]
    print(f"\n### Per stage, {documents:,} documents, {partitions} partitions\n")
    print("| stage | local s | 1 worker: tasks, CPU s | 2 workers: tasks, CPU s | shuffled MiB |")
    print("| --- | --- | --- | --- | --- |")
    for stage in STAGES:
        own = sum(local["laps"].get(lap, 0.0) for lap in LOCAL_LAPS.get(stage, ()))
        cells = [f"{r['tasks'].get(stage, 0)}, {r['cpu'].get(stage, 0.0):.1f}" for r in runs]
        print(f"| {stage} | {own:.1f} | {cells[0]} | {cells[1]} | "
              f"{runs[1]['shuffle_mib'].get(stage, 0.0)} |")  # fmt: skip
    for r in runs:
        print(f"\n{r['workers']} worker(s): wall {r['seconds']} s, client peak {r['client_peak']} "
              f"MiB, worker peak {r['worker_peak']} MiB, tables {r['rows']}")  # fmt: skip
    print(f"local (jobs=1): wall {local['seconds']} s, peak {local['client_peak']} MiB, "
          f"{local['pairs']} pairs")  # fmt: skip
    _client_growth(small, large, partitions)
    _task_growth(small)
    _projection(runs[0], documents)


def _client_growth(small: Path, large: Path, partitions: int) -> None:
    print("\n### Client peak against corpus size (2 workers)\n")
    print("| documents | partitions | client peak MiB | worker peak MiB | wall s |")
    print("| --- | --- | --- | --- | --- |")
    for path, parts in ((small, partitions), (large, 2 * partitions)):
        r = run_one("dask", path, 2, parts)
        print(f"| {_documents(path):,} | {r['partitions']} | {r['client_peak']} | "
              f"{r['worker_peak']} | {r['seconds']} |")  # fmt: skip


def _task_growth(path: Path) -> None:
    print("\n### Tasks per stage against partitions (2 workers)\n")
    found = {p: run_one("dask", path, 2, p) for p in (8, 16, 32)}
    print("| stage | 8 | 16 | 32 |")
    print("| --- | --- | --- | --- |")
    for stage in STAGES:
        print(f"| {stage} | " + " | ".join(str(found[p]["tasks"].get(stage, 0)) for p in found)
              + " |")  # fmt: skip


def _projection(run: dict[str, Any], documents: int) -> None:
    """10^8 documents: the measured CPU-seconds and shuffle bytes per document, scaled; the
    partitions and tasks at the default block size (~30,000 documents a partition)."""
    cpu = sum(run["cpu"].values()) / documents
    moved = sum(run["shuffle_mib"].values()) * 2**20 / documents
    per_part = documents / run["partitions"]
    tasks_per_part = sum(run["tasks"].values()) / run["partitions"]
    parts = 10**8 // 30_000
    print("\n### Projection for 10^8 documents (from the 1-worker costs)\n")
    print(f"Measured: {cpu * 1e3:.2f} CPU-ms and {moved / 1e3:.1f} kB shuffled per document "
          f"({cpu * per_part:.1f} CPU-s and {tasks_per_part:.1f} tasks per partition of "
          f"{per_part:,.0f} documents). At 10^8 documents: {cpu * 1e8 / 3600:,.0f} CPU-hours, "
          f"{moved * 1e8 / 2**40:.2f} TiB through the shuffles, {parts:,} partitions of 30,000 "
          f"documents, ~{tasks_per_part * parts:,.0f} tasks.\n")  # fmt: skip
    print("| machines × cores | compute min | shuffle min at 1 GB/s per machine |")
    print("| --- | --- | --- |")
    for machines in (10, 50, 100):
        cores = 16
        minutes = cpu * 1e8 / (machines * cores) / 60
        network = moved * 1e8 / (machines * 1e9) / 60
        print(f"| {machines} × {cores} | {minutes:.1f} | {network:.1f} |")


def _documents(path: Path) -> int:
    meta = json.loads(path.with_name(path.name.replace(".jsonl", ".meta.json")).read_text())
    return int(meta["documents"])
