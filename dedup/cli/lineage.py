"""``dedup lineage``: the scan with lineage on → just the lineage graph (who copied whom)."""

from __future__ import annotations

import argparse

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
from dedup.report import lineage_report_to_json, lineage_to_text

_LINEAGE_EPILOG = f"""\
{SCAN_EXIT_CODES}
examples:
  dedup lineage seeds/
  dedup lineage corpus/ --format json -o lineage.json   # dedup.lineage/1: docs/formats.md
  dedup lineage corpus/ --min-confidence 0.8            # only the surer edges
"""


def add_lineage_command(commands: Commands) -> None:
    """Register ``dedup lineage``."""
    parser = add_command(
        commands,
        "lineage",
        summary="trace who copied whom, with the evidence",
        description="Scan for copies and reuse, and estimate which text derives from which: "
        "a tree per group of copies, each edge with its confidence and evidence.",
        epilog=_LINEAGE_EPILOG,
        run=run_lineage,
    )
    add_scan_options(parser)
    add_output_options(parser)
    add_lineage_options(parser)


def config_from_args(args: argparse.Namespace) -> ScanConfig:
    """The ScanConfig of the parsed options: lineage on, with the story tier (partial reuse)."""
    return scan_config_from_args(args, story=True, lineage=True)


def run_lineage(args: argparse.Namespace) -> int:
    """Run ``dedup lineage`` with parsed options; return the exit code."""
    return run_scan_command(args, config_from_args, _render)


def _render(result: ScanResult, form: str) -> str:
    return lineage_report_to_json(result) + "\n" if form == "json" else lineage_to_text(result)
