"""``dedup scan``: options → ScanConfig → ``dedup.scan`` → a report."""

from __future__ import annotations

import argparse
import itertools
from collections.abc import Iterable

import attrs

from dedup.cli.backend import add_backend_options, backend_problem, scanner
from dedup.cli.common import (
    EXIT_NOTHING_READ,
    EXIT_OK,
    EXIT_USAGE,
    SCAN_EXIT_CODES,
    Commands,
    add_command,
    add_lineage_options,
    add_output_options,
    add_scan_options,
    add_table_options,
    fail,
    output_exit,
    outputs_problem,
    run_scan_command,
    scan_config_from_args,
    write_report,
    write_tables,
)
from dedup.cli.index import add_db_option, index_errors, open_index
from dedup.cli.out import add_out_option, run_scan_out
from dedup.config import ScanConfig
from dedup.errors import DedupError
from dedup.model import ScanResult, Skipped
from dedup.report import iter_scan_json, scan_to_text
from dedup.report.html import scan_to_html

_SCAN_EPILOG = f"""\
{SCAN_EXIT_CODES}
examples:
  dedup scan seeds/
  dedup scan corpus/ --format json -o report.json
  dedup scan seeds/ --html report.html            # a report to open in a browser
  dedup scan x.parquet                           # also .csv, .tsv, .json, .jsonl.gz, .zst, ...
  cat x.jsonl | dedup scan -                     # JSONL (or one text) on standard input
  dedup scan x.csv --text-field body --pairs-out pairs.csv --families-out families.parquet
  dedup scan corpus/ --passages --format json    # each pair with its shared passages
  dedup scan corpus/ --no-stories --no-lineage   # copies only (JSON: dedup.scan/1)
  dedup scan news.jsonl --text-field body --id-field url --date-field published
  dedup scan --db news.dedup                     # everything in an index (dedup index add)
  dedup scan shards/*.jsonl --backend dask --workers 2   # on a local Dask cluster
  dedup scan shards/*.jsonl --backend dask --scheduler tcp://scheduler:8786
  dedup scan shards/*.jsonl --backend dask --out results/  # tables; then: dedup report results/
"""


def add_scan_command(commands: Commands) -> None:
    """Register ``dedup scan``."""
    parser = add_command(
        commands,
        "scan",
        summary="find copies among files, folders and JSONL files",
        description="Find which documents are copies of each other, with exact scores, and "
        "who copied whom.",
        epilog=_SCAN_EPILOG,
        run=run_scan,
    )
    add_scan_options(parser, paths="*")
    add_db_option(parser, required=False)
    defaults = ScanConfig()
    out = add_output_options(parser)
    out.add_argument("--html", metavar="FILE",
                     help="also write the HTML report (one self-contained file) to FILE")
    add_table_options(out)
    out.add_argument("--passages", action="store_true",
                     help="align each pair into its shared passages (JSON: dedup.scan/2)")
    out.add_argument("--stories", action=argparse.BooleanOptionalAction, default=defaults.story,
                     help="also report partial-reuse and same-story pairs and story families "
                     "(default: on)")
    lineage = add_lineage_options(parser)
    lineage.add_argument("--lineage", action=argparse.BooleanOptionalAction,
                         default=defaults.lineage,
                         help="trace who copied whom (default: on; JSON: dedup.scan/3); "
                         "--no-stories --no-lineage gives the copy report, dedup.scan/1")
    add_backend_options(parser)
    add_out_option(out)


def config_from_args(args: argparse.Namespace) -> ScanConfig:
    """The ScanConfig that the parsed options describe (raises ConfigError when out of range)."""
    return scan_config_from_args(
        args, passages=args.passages, story=args.stories, lineage=args.lineage
    )


def run_scan(args: argparse.Namespace) -> int:
    """Run ``dedup scan`` with parsed options; return the exit code."""
    if args.db is not None and args.out is None:
        return scan_index(args)
    if not args.paths:
        return fail("give the files or folders to scan, or an index with --db", EXIT_USAGE)
    problem = backend_problem(args)
    if problem is not None:
        return fail(problem, EXIT_USAGE)
    if args.out is not None:
        return run_scan_out(args, config_from_args)
    try:
        chosen = scanner(args)
    except DedupError as error:  # MissingExtraError: the extra is not installed
        return fail(str(error), EXIT_NOTHING_READ)
    return run_scan_command(args, config_from_args, _render, chosen, html=args.html)


@index_errors
def scan_index(args: argparse.Namespace) -> int:
    """``dedup scan --db FILE [PATH...]``: add the paths to the index, then scan all of it."""
    problem = outputs_problem(args, args.html, extra_inputs=[args.db])
    if problem is not None:
        return fail(problem, output_exit(problem))
    config = config_from_args(args)
    skipped: tuple[Skipped, ...] = ()
    with open_index(args, create=bool(args.paths)) as index:
        if args.paths:
            skipped = index.using(config).add_paths(args.paths, jobs=args.jobs).skipped
        result = index.scan(config, jobs=args.jobs)
    result = attrs.evolve(result, skipped=(*skipped, *result.skipped))
    written = write_report(_render(result, args.format), args.output)
    if written == EXIT_OK and args.html is not None:
        written = write_report(scan_to_html(result), args.html)
    if written == EXIT_OK:
        written = write_tables(result, args)
    if written == EXIT_OK and not result.documents:
        return fail(f"{args.db} holds no document", EXIT_NOTHING_READ)
    return written


def _render(result: ScanResult, form: str) -> str | Iterable[str]:
    if form == "json":
        return itertools.chain(iter_scan_json(result), "\n")
    return scan_to_text(result)
