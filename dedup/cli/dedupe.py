"""``dedup dedupe``: options → ``dedupe_paths`` → the kept records, a removal map, a summary."""

from __future__ import annotations

import argparse
import sys

from dedup.cli.common import (
    EXIT_NOTHING_READ,
    EXIT_OK,
    EXIT_USAGE,
    Commands,
    add_command,
    add_lineage_options,
    add_scan_options,
    fail,
    scan_config_from_args,
)
from dedup.deduplication import DEFAULT_RELATIONS, parse_relations
from dedup.deduplication.files import DedupeRun, dedupe_paths
from dedup.deduplication.keep import KeepPolicy, keep_policy
from dedup.errors import ConfigError, MissingExtraError, OutputError
from dedup.report.text import folded

_EPILOG = """\
exit codes:
  0  the output was written (some inputs may be listed as skipped, with the reason)
  1  nothing could be read, or an output could not be written (nothing is left half-written)
  2  usage error (unknown option, value out of range, inputs of mixed formats)

examples:
  dedup dedupe news.jsonl -o unique.jsonl --keep earliest
  dedup dedupe corpus/ -o unique/ --keep source --relation near-duplicate,contained
  dedup dedupe big.parquet -o unique.parquet --text-field body --keep longest
  dedup dedupe news.jsonl -o unique.jsonl --removed removed.jsonl   # what went, and why

The output has the input's format: JSONL in, the kept lines out (byte for byte); Parquet in
(pip install 'dedup-lineage[parquet]'), the kept rows out; files and folders in, a new folder of the
kept files at their relative paths. --date-field defaults to "date" here (for --keep
earliest; a record without it is undated). Policies and the removal map: docs/dedupe.md.
"""


def add_dedupe_command(commands: Commands) -> None:
    """Register ``dedup dedupe``."""
    parser = add_command(
        commands,
        "dedupe",
        summary="write the inputs without their copies, one document per family",
        description="Keep one document of each family of copies and write the kept records "
        "in the input's format, with a map of what was removed.",
        epilog=_EPILOG,
        run=run_dedupe,
    )
    add_scan_options(parser)
    # Dates drive --keep earliest; a JSONL "date" field is read unless told otherwise.
    parser.set_defaults(date_field="date")
    out = parser.add_argument_group("deduplication")
    out.add_argument("-o", "--output", required=True, metavar="OUT",
                     help="the output file (JSONL, Parquet) or new folder (text files)")
    out.add_argument("--keep", default=KeepPolicy.EARLIEST.value, metavar="POLICY",
                     help="which document of a family is kept: earliest (default), longest, "
                     "source, first")
    out.add_argument("--relation", default=",".join(sorted(r.value for r in DEFAULT_RELATIONS)),
                     metavar="A,B", help="the relations that make duplicates: exact-duplicate, "
                     "near-duplicate (default: both), contained, partial-reuse, same-story")
    out.add_argument("--removed", metavar="MAP.jsonl",
                     help="write the removal map: removed id, kept id, relation, scores")
    add_lineage_options(parser)


def run_dedupe(args: argparse.Namespace) -> int:
    """Run ``dedup dedupe`` with parsed options; return the exit code."""
    if args.jobs < 1:
        return fail(f"--jobs must be a positive whole number, got {args.jobs}", EXIT_USAGE)
    try:
        config = scan_config_from_args(args)
        policy = keep_policy(args.keep)
        relations = parse_relations(name.strip() for name in args.relation.split(",") if name)
        run = dedupe_paths(args.paths, args.output, policy, relations, config,
                           removals_to=args.removed, jobs=args.jobs)  # fmt: skip
    except (ConfigError, MissingExtraError) as error:
        return fail(str(error), EXIT_USAGE)
    except OutputError as error:
        return fail(str(error), EXIT_NOTHING_READ)
    _summary(run, args.output)
    if not run.documents:
        return fail("no input could be read as a document", EXIT_NOTHING_READ)
    return EXIT_OK


def _summary(run: DedupeRun, output: str) -> None:
    found = run.deduplication
    relations = ", ".join(sorted(r.value for r in found.relations))
    print(f"dedup dedupe: {run.documents} documents, {run.written} kept, "
          f"{len(found.removed)} removed (keep {found.keep.value}; duplicates: {relations}), "
          f"{len(run.skipped)} skipped", file=sys.stderr)  # fmt: skip
    if run.documents:
        print(f"  wrote {output}", file=sys.stderr)
    for item in run.not_compared:
        print(f"  kept, not compared: {item.path}: {item.reason}", file=sys.stderr)
    for path, reason in folded(run.skipped):
        print(f"  skipped {path}: {reason}", file=sys.stderr)
    if run.unparsed_dates is not None:
        print(f"  warning: {run.unparsed_dates}", file=sys.stderr)
