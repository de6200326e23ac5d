"""The ``dedup`` command: a thin layer over the public API, one module per subcommand.

``main(argv)`` returns the exit code, so tests call it in-process.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence

from dedup.cli.dedupe import add_dedupe_command
from dedup.cli.diff import add_diff_command
from dedup.cli.index import add_index_command
from dedup.cli.lineage import add_lineage_command
from dedup.cli.query import add_query_command
from dedup.cli.scan import add_scan_command

#: Each registers one subcommand and sets ``run`` (args → exit code) as its default.
COMMANDS = (
    add_scan_command, add_lineage_command, add_diff_command, add_dedupe_command,
    add_index_command, add_query_command,
)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``dedup`` command."""
    parser = argparse.ArgumentParser(
        prog="dedup", description="Find copied text and trace where it came from."
    )
    parser.add_argument("--version", action="version", version=f"dedup {_version()}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for register in COMMANDS:
        register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``dedup`` command; return its exit code."""
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as stop:
        return int(stop.code or 0)
    run: Callable[[argparse.Namespace], int] = args.run
    return run(args)


def _version() -> str:
    from dedup import __version__

    return __version__
