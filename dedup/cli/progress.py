"""The progress bar of the scanning commands: ProgressEvents drawn on stderr with tqdm.

Shown only when stderr is a terminal and ``--quiet`` is not given, so a log file or a pipe
never receives bar redraws, and stdout (the report) is never touched.
"""

from __future__ import annotations

import argparse
import sys
from typing import Never, TextIO

from tqdm import tqdm

from dedup.progress import ProgressEvent


class TerminalProgress:
    """One bar per stage: the stage name, items done of the total, and the rate."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._bar: tqdm[Never] | None = None
        self._stage = ""

    def __call__(self, event: ProgressEvent) -> None:
        bar = self._bar
        if event.stage != self._stage or bar is None:
            self.close()
            self._stage = event.stage
            bar = self._bar = tqdm(
                total=event.total, desc=f"{event.stage:<10}", unit=f" {event.unit}",
                file=self._stream, dynamic_ncols=True, leave=True,
            )
        if event.total is not None and bar.total != event.total:
            bar.total = event.total
        bar.update(event.done - bar.n)

    def close(self) -> None:
        """Finish the current bar (the last stage's bar stays on screen, complete)."""
        if self._bar is not None:
            self._bar.close()
            self._bar = None


def add_quiet_option(parser: argparse.ArgumentParser) -> None:
    """``-q/--quiet``: no progress bar."""
    parser.add_argument("-q", "--quiet", action="store_true",
                        help="no progress bar on stderr (shown only on a terminal anyway)")


def terminal_progress(args: argparse.Namespace) -> TerminalProgress | None:
    """A bar on stderr when it is a terminal and ``--quiet`` was not given, else None."""
    if args.quiet or not sys.stderr.isatty():
        return None
    return TerminalProgress(sys.stderr)

