"""``--backend dask [--workers N | --scheduler ADDR]``: which engine runs a scan.

The local backend is ``dedup.scan``; the Dask one is ``dedup.dask.scan`` on a new local cluster
(``--workers``) or on a running one (``--scheduler``). Both give the same report.
"""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Callable, Iterator
from typing import Any

from dedup.cli.values import positive_int
from dedup.config import ScanConfig
from dedup.model import ScanResult

#: Runs the scan the options describe on the parsed paths.
Scanner = Callable[[argparse.Namespace, ScanConfig], ScanResult]


def add_backend_options(parser: argparse.ArgumentParser) -> None:
    """The ``backend`` option group."""
    group = parser.add_argument_group("backend")
    group.add_argument(
        "--backend", choices=("local", "dask"), default="local",
        help="run on this machine (default) or on a Dask cluster "
        "(pip install 'dedup-lineage[dask]'); the report is the same",
    )  # fmt: skip
    where = group.add_mutually_exclusive_group()
    where.add_argument("--workers", type=positive_int, metavar="N",
                       help="--backend dask: start a local cluster of N worker processes "
                       "(default: one per core)")
    where.add_argument("--scheduler", metavar="ADDR",
                       help="--backend dask: the scheduler of a running cluster, "
                       "e.g. tcp://scheduler:8786")


def backend_problem(args: argparse.Namespace) -> str | None:
    """Why the backend options do not fit together, or None."""
    if args.backend != "dask" and (args.workers is not None or args.scheduler is not None):
        return "--workers and --scheduler need --backend dask"
    if args.workers is not None and args.workers < 1:
        return f"--workers must be a positive whole number, got {args.workers}"
    return None


def scanner(args: argparse.Namespace) -> Scanner | None:
    """The scan to run (None: the local one, which the command runs with its progress bar);
    raises MissingExtraError when the backend's extra is not installed (running it raises
    BackendError when the cluster is out of reach)."""
    if args.backend == "local":
        return None
    import dedup.dask  # raises MissingExtraError without the extra

    def run(a: argparse.Namespace, config: ScanConfig) -> ScanResult:
        with cluster(a) as client:
            return dedup.dask.scan(a.paths, config, client=client)

    return run


@contextlib.contextmanager
def cluster(args: argparse.Namespace) -> Iterator[Any]:
    """A client of the cluster the options name: a new local one, or a running one."""
    import dedup.dask

    if args.scheduler is None:
        with dedup.dask.local_client(args.workers) as client:
            yield client
    else:
        with dedup.dask.connect(args.scheduler) as client:
            yield client
