"""The scan on a Dask cluster (extra ``dask``): ``dedup.dask.scan`` returns what ``dedup.scan``
returns for the same inputs and configuration. See docs/dask.md for which stage runs where."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from dedup.config import ScanConfig
from dedup.errors import BackendError, ConfigError, MissingExtraError
from dedup.model import ScanResult
from dedup.report import folder

try:
    import dask.dataframe  # noqa: F401
    from distributed import Client, LocalCluster
except ImportError as error:  # pragma: no cover - exercised without the extra installed
    raise MissingExtraError(
        "the Dask backend needs the 'dask' extra: pip install 'dedup-lineage[dask]'"
    ) from error

from dedup.dask import exchange
from dedup.dask.inputs import fspaths
from dedup.dask.output import ToTables
from dedup.dask.scan import BLOCK_BYTES, Run

__all__ = ["BLOCK_BYTES", "connect", "local_client", "scan", "scan_to"]

PathArg = str | os.PathLike[str]


def scan(
    paths: PathArg | Iterable[PathArg],
    config: ScanConfig = ScanConfig(),
    *,
    client: Client | None = None,
    block_bytes: int = BLOCK_BYTES,
) -> ScanResult:
    """Scan JSONL (and Parquet, text, HTML) inputs on a Dask cluster; the same ScanResult as
    ``dedup.scan(paths, config)``.

    ``client``: the cluster to run on; by default the current client (``distributed.Client``
    made earlier in this process), else a local cluster with one worker process per core for
    this call. ``block_bytes``: bytes of a JSONL file per partition. Bad inputs never raise:
    they are in ``ScanResult.skipped`` with the reason, as locally.
    """
    if block_bytes < 1:
        raise ConfigError(f"block_bytes must be a positive whole number, got {block_bytes!r}")
    exchange.quiet()
    with _client(client) as active:
        return Run(active, config).scan(fspaths(paths), block_bytes)


def scan_to(
    paths: PathArg | Iterable[PathArg],
    out: PathArg,
    config: ScanConfig = ScanConfig(),
    *,
    client: Client | None = None,
    block_bytes: int = BLOCK_BYTES,
) -> dict[str, Any]:
    """Scan as ``scan`` does, and write the result as Parquet tables under the folder ``out``
    (created; it must be readable and writable at the same path by every worker) with a
    ``manifest.json`` naming each table's schema, partitions and rows; the manifest.

    A copy scan (``story``, ``lineage`` and ``passages`` off) is written by the workers and never
    passes through this process; with the later stages on, the result is made here as by
    ``scan`` and then written. ``dedup report OUT`` renders the report from the tables, and
    ``dedup.dask.folder.read_result(out)`` gives the ``ScanResult`` back. ConfigError if ``out``
    exists and is neither empty nor a previous output, or lies inside an input folder.
    """
    if block_bytes < 1:
        raise ConfigError(f"block_bytes must be a positive whole number, got {block_bytes!r}")
    found = fspaths(paths)
    target = str(Path(out).resolve())
    problem = folder.output_problem(target, found)
    if problem is not None:
        raise ConfigError(problem)
    if folder.is_output(target):
        folder.clear_output(target)
    Path(target).mkdir(parents=True, exist_ok=True)
    exchange.quiet()
    with _client(client) as active:
        return ToTables(active, config).write(found, block_bytes, target)


@contextlib.contextmanager
def local_client(workers: int | None = None) -> Iterator[Client]:
    """A client of a new local cluster of ``workers`` single-threaded worker processes (default:
    one per core), shut down on exit."""
    count = workers or os.cpu_count() or 1
    with (
        LocalCluster(n_workers=count, threads_per_worker=1, processes=True,
                     dashboard_address=":0") as cluster,
        Client(cluster) as client,
    ):  # fmt: skip
        yield client


@contextlib.contextmanager
def connect(address: str, timeout: str = "10s") -> Iterator[Client]:
    """A client of the running cluster whose scheduler is at ``address``; BackendError when it
    cannot be reached."""
    try:
        client = Client(address, timeout=timeout)
    except (OSError, TimeoutError, ValueError) as error:
        raise BackendError(f"cannot reach the Dask scheduler {address}: {error}") from error
    with client:
        yield client


@contextlib.contextmanager
def _client(given: Client | None) -> Iterator[Client]:
    if given is not None:
        yield given
        return
    try:
        from distributed import get_client

        current = get_client()
    except ValueError:  # no client in this process
        with local_client() as client:
            yield client
        return
    yield current
