"""``dedup scan``: options → ScanConfig → ``dedup.scan`` → a report."""

from __future__ import annotations

import argparse
import itertools
from collections.abc import Iterable

from dedup.cli.common import (
    SCAN_EXIT_CODES,
    Commands,
    add_command,
    add_lineage_options,
    add_output_options,
    add_scan_options,
    run_scan_command,
    scan_config_from_args,
)
from dedup.config import ScanConfig
from dedup.model import ScanResult
from dedup.report import iter_scan_json, scan_to_text

_SCAN_EPILOG = f"""\
{SCAN_EXIT_CODES}
examples:
  dedup scan seeds/
  dedup scan corpus/ --format json -o report.json
  dedup scan seeds/ --html report.html            # a report to open in a browser
  dedup scan corpus/ --passages --format json    # each pair with its shared passages
  dedup scan corpus/ --no-stories --no-lineage   # copies only (JSON: dedup.scan/1)
  dedup scan news.jsonl --text-field body --id-field url --date-field published
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
    add_scan_options(parser)
    defaults = ScanConfig()
    out = add_output_options(parser)
    out.add_argument("--html", metavar="FILE",
                     help="also write the HTML report (one self-contained file) to FILE")
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


def config_from_args(args: argparse.Namespace) -> ScanConfig:
    """The ScanConfig that the parsed options describe (raises ConfigError when out of range)."""
    return scan_config_from_args(
        args, passages=args.passages, story=args.stories, lineage=args.lineage
    )


def run_scan(args: argparse.Namespace) -> int:
    """Run ``dedup scan`` with parsed options; return the exit code."""
    return run_scan_command(args, config_from_args, _render, html=args.html)


def _render(result: ScanResult, form: str) -> str | Iterable[str]:
    if form == "json":
        return itertools.chain(iter_scan_json(result), "\n")
    return scan_to_text(result)
