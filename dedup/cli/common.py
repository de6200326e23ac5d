"""What every ``dedup`` command shares: exit codes, the subcommand type, error output."""

from __future__ import annotations

import argparse
import sys
from typing import TypeAlias

EXIT_OK = 0
EXIT_NOTHING_READ = 1
EXIT_USAGE = 2

#: What ``add_subparsers()`` returns; each command module registers itself on it.
Commands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def fail(message: str, code: int) -> int:
    """Print ``dedup: error: message`` on stderr and return ``code``."""
    print(f"dedup: error: {message}", file=sys.stderr)
    return code
