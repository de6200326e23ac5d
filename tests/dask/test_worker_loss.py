"""A worker process killed during a scan: Dask recomputes what it held and the result is whole."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

from dask_corpus import simulated_rows, write_jsonl
from distributed import Client, LocalCluster

import dedup
import dedup.dask


def _features_done(cluster: LocalCluster) -> bool:
    """Some partitions are featurised (held on a worker), so killing a worker loses work."""
    tasks = list(cluster.scheduler.tasks.values())
    return any("prepare" in str(t.key) and t.state == "memory" for t in tasks)


def _kill_the_busiest_worker(
    cluster: LocalCluster, client: Client, run: threading.Thread
) -> tuple[str, bool]:
    """Once features are held, SIGKILL the worker holding most, and wait for ``run`` to end;
    the worker's address, and whether the run was still going when it was killed."""
    deadline = time.monotonic() + 60
    while not _features_done(cluster) and time.monotonic() < deadline:
        time.sleep(0.02)
    holding = client.has_what()
    victim = max(holding, key=lambda address: len(holding[address]))
    pid = client.run(os.getpid, workers=[victim])[victim]
    still_running = run.is_alive()
    os.kill(pid, signal.SIGKILL)
    run.join(timeout=300)
    return victim, still_running


def test_killed_worker_still_gives_the_local_result(tmp_path: Path) -> None:
    rows = simulated_rows(24, 60)
    paths = [write_jsonl(tmp_path / f"{i}.jsonl", rows[i::2]) for i in range(2)]
    local = dedup.scan(paths)
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=":0") as cluster,
        Client(cluster) as client,
    ):  # fmt: skip
        before = set(client.scheduler_info()["workers"])
        found: list[dedup.ScanResult] = []
        run = threading.Thread(
            target=lambda: found.append(dedup.dask.scan(paths, client=client, block_bytes=30_000))
        )
        run.start()
        victim, still_running = _kill_the_busiest_worker(cluster, client, run)
        after = set(client.scheduler_info()["workers"])
    assert still_running, "the scan ended before the worker was killed: make the corpus larger"
    assert victim not in after and len(after - before) == 1  # the nanny started a new worker
    [dist] = found
    assert dist == local
    assert dist.pairs == local.pairs and dist.families == local.families


def test_killed_worker_still_writes_the_local_tables(tmp_path: Path) -> None:
    """Partitions written by a task that runs again are written again, whole, under the same
    names: the tables still hold the local result."""
    from dedup.report import folder

    rows = simulated_rows(24, 60)
    paths = [write_jsonl(tmp_path / f"{i}.jsonl", rows[i::2]) for i in range(2)]
    config = dedup.ScanConfig(story=False, lineage=False)
    local = dedup.scan(paths, config)
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=":0") as cluster,
        Client(cluster) as client,
    ):  # fmt: skip
        run = threading.Thread(target=lambda: dedup.dask.scan_to(
            paths, tmp_path / "out", config, client=client, block_bytes=30_000))  # fmt: skip
        run.start()
        _, still_running = _kill_the_busiest_worker(cluster, client, run)
    assert still_running, "the scan ended before the worker was killed: make the corpus larger"
    back = folder.read_result(str(tmp_path / "out"))
    assert back.pairs == local.pairs and back.families == local.families
    assert back == local
