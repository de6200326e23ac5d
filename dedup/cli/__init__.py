"""The ``dedup`` command: a thin layer over the public API, one module per subcommand.

``main(argv)`` returns the exit code, so tests call it in-process. The subcommand modules are
imported only when a command runs (``dedup --version`` does not pay for them).
"""

from __future__ import annotations

import argparse
import difflib
import importlib
import sys
from collections.abc import Callable, Sequence
from typing import Any

#: Each ``(module, function)`` registers one subcommand and sets ``run`` (args → exit code) as
#: its default.
COMMANDS = (
    ("dedup.cli.scan", "add_scan_command"),
    ("dedup.cli.lineage", "add_lineage_command"),
    ("dedup.cli.diff", "add_diff_command"),
    ("dedup.cli.dedupe", "add_dedupe_command"),
    ("dedup.cli.index", "add_index_command"),
    ("dedup.cli.query", "add_query_command"),
    ("dedup.cli.report", "add_report_command"),
)

#: The exit code of a command stopped by Ctrl-C (128 + SIGINT), as shells report it.
EXIT_INTERRUPTED = 130


class SubcommandParser(argparse.ArgumentParser):
    """A subcommand's parser that reports an unknown option itself, with its own usage.

    argparse hands a subcommand's unrecognised arguments back to the top-level parser, whose
    usage (``dedup [-h] [--version] COMMAND ...``) says nothing about the misspelt option.
    """

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        parsed, extras = super().parse_known_args(args, namespace)
        if extras:
            self.error(f"unrecognized arguments: {' '.join(extras)}{self._suggestion(extras)}")
        return parsed, extras

    def _suggestion(self, extras: list[str]) -> str:
        """`` (did you mean --x?)`` for the first unknown option close to a known one."""
        known = list(self._option_string_actions)
        for extra in extras:
            if extra.startswith("--"):
                close = difflib.get_close_matches(extra.split("=")[0], known, n=1)
                if close:
                    return f" (did you mean {close[0]}?)"
        return ""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``dedup`` command, with every subcommand registered."""
    parser = _top_parser()
    commands = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", parser_class=SubcommandParser
    )
    for module, function in COMMANDS:
        register: Callable[[Any], object] = getattr(importlib.import_module(module), function)
        register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``dedup`` command; return its exit code (130 when interrupted by Ctrl-C)."""
    arguments = sys.argv[1:] if argv is None else list(argv)
    try:
        if arguments in (["--version"], ["-V"]):
            print(f"dedup {_version()}")
            return 0
        return _run(arguments)
    except KeyboardInterrupt:
        print("dedup: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


def _run(arguments: list[str]) -> int:
    try:
        args = build_parser().parse_args(arguments)
    except SystemExit as stop:
        return int(stop.code or 0)
    run: Callable[[argparse.Namespace], int] = args.run
    return run(args)


def _top_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dedup", description="Find copied text and trace where it came from."
    )
    parser.add_argument("-V", "--version", action="version", version=f"dedup {_version()}")
    return parser


def _version() -> str:
    from dedup import __version__  # the package (already imported: dedup.cli lives in it)

    return __version__
