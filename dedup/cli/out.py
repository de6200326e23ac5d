"""``dedup scan ... --out DIR``: the result written as Parquet tables with a manifest, for
``dedup report DIR`` to render later. With ``--backend dask`` the workers write the tables of a
copy scan themselves; the local backend writes them from its result."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from dedup.cli.common import EXIT_NOTHING_READ, EXIT_OK, EXIT_USAGE, fail
from dedup.config import ScanConfig
from dedup.errors import DedupError


def add_out_option(group: argparse._ArgumentGroup) -> None:
    """The ``--out DIR`` option, in the command's output group."""
    group.add_argument("--out", metavar="DIR",
                       help="write the result as Parquet tables (documents, pairs, families, "
                       "lineage) with a manifest.json under DIR, a new folder or a previous "
                       "output; render them with `dedup report DIR`")  # fmt: skip


def out_problem(args: argparse.Namespace) -> str | None:
    """Why ``--out`` does not fit the other options, or None."""
    if args.output is not None or args.html is not None:
        return "--out writes tables, not a report: render them with `dedup report DIR`"
    if args.passages:
        return "--out does not store passages yet: drop --passages, or write the JSON report"
    if args.db is not None:
        return "--out reads files, not an index: drop --db"
    return None


def run_scan_out(
    args: argparse.Namespace, config_from_args: Callable[[argparse.Namespace], ScanConfig]
) -> int:
    """Scan ``args.paths`` and write the tables under ``args.out``; the exit code."""
    problem = out_problem(args)
    try:
        from dedup.report import folder

        problem = problem or folder.output_problem(args.out, args.paths)
        if problem is not None:
            return fail(problem, EXIT_USAGE)
        config = config_from_args(args)
    except DedupError as error:  # a config out of range; the extra not installed
        return fail(str(error), EXIT_USAGE)
    try:
        manifest = _write(args, config)
    except DedupError as error:
        return fail(str(error), EXIT_NOTHING_READ)
    rows = {name: entry["rows"] for name, entry in manifest["tables"].items()}
    print(f"dedup scan: wrote {rows['documents']} documents, {rows['pairs']} pairs, "
          f"{rows['skipped']} skipped inputs to {args.out} ({manifest['schema']}, "
          f"written by the {manifest['written_by']})")  # fmt: skip
    if not rows["documents"]:
        return fail("no input could be read as a document", EXIT_NOTHING_READ)
    return EXIT_OK


def _write(args: argparse.Namespace, config: ScanConfig) -> dict[str, Any]:
    import dedup
    from dedup.cli.backend import cluster
    from dedup.report import folder

    if args.backend == "dask":
        import dedup.dask

        with cluster(args) as client:
            return dedup.dask.scan_to(args.paths, args.out, config, client=client)
    result = dedup.scan(args.paths, config, jobs=args.jobs)
    if folder.is_output(args.out):
        folder.clear_output(args.out)
    Path(args.out).mkdir(parents=True, exist_ok=True)
    return folder.write_result(result, args.out)
