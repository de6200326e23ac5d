"""``dedup report DIR``: the text, JSON or HTML report of a result written as tables
(``dedup scan ... --out DIR``), rendered afterwards, by any machine that reads DIR."""

from __future__ import annotations

import argparse
import itertools
from collections.abc import Iterable

from dedup.cli.common import (
    EXIT_NOTHING_READ,
    EXIT_USAGE,
    Commands,
    add_command,
    fail,
    output_problem,
    write_report,
)
from dedup.cli.values import positive_int
from dedup.errors import DedupError
from dedup.model import ScanResult

#: Pairs an HTML report reads from the tables at most (the highest scored): the page shows
#: the first few hundred, and its counts then describe the sample.
HTML_SAMPLE = 50_000

_REPORT_EPILOG = """\
exit codes:
  0  the report was written
  1  DIR is not a dedup output, a table cannot be read, or the report cannot be written
  2  bad usage (an option out of range, an output inside DIR)
examples:
  dedup scan shards/*.jsonl --backend dask --out results/   # the workers write the tables
  dedup report results/                                      # the text report
  dedup report results/ --format json -o report.json         # the JSON report (dedup.scan/N)
  dedup report results/ --format html -o report.html         # the HTML report, sampled
"""


def add_report_command(commands: Commands) -> None:
    """Register ``dedup report``."""
    parser = add_command(
        commands,
        "report",
        summary="render the report of a result written as tables (dedup scan --out)",
        description="Read the tables and manifest that `dedup scan --out DIR` wrote and render "
        "the text, JSON or HTML report of that scan.",
        epilog=_REPORT_EPILOG,
        run=run_report,
    )
    parser.add_argument("folder", metavar="DIR", help="a folder written by dedup scan --out")
    out = parser.add_argument_group("output")
    out.add_argument("--format", choices=("text", "json", "html"), default="text",
                     help="report format (default: text)")
    out.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE")
    out.add_argument("--sample", type=positive_int, default=HTML_SAMPLE, metavar="N",
                     help="--format html: read the N highest scored pairs only "
                     "(default: %(default)s)")


def run_report(args: argparse.Namespace) -> int:
    """Run ``dedup report`` with parsed options; return the exit code."""
    problem = output_problem(args.output, [args.folder])
    if problem is not None:
        return fail(problem, EXIT_USAGE)
    try:
        from dedup.report.folder import read_result

        sample = args.sample if args.format == "html" else None
        result = read_result(args.folder, max_pairs=sample)
        return write_report(_render(result, args.format), args.output)
    except DedupError as error:  # not an output folder, an unreadable table, no extra
        return fail(str(error), EXIT_NOTHING_READ)


def _render(result: ScanResult, form: str) -> str | Iterable[str]:
    from dedup.report import iter_scan_json, scan_to_html, scan_to_text

    if form == "json":
        return itertools.chain(iter_scan_json(result), "\n")
    if form == "html":
        return scan_to_html(result)
    return scan_to_text(result)
