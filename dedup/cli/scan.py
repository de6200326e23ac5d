"""``dedup scan``: options → ScanConfig → ``dedup.scan`` → a report."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from dedup.cli.common import EXIT_NOTHING_READ, EXIT_OK, EXIT_USAGE, Commands, fail
from dedup.config import LoadConfig, LshParams, ScanConfig, ShingleConfig, SketchParams
from dedup.errors import DedupError
from dedup.pipeline import scan
from dedup.report import scan_to_json, scan_to_text

_SCAN_EPILOG = """\
exit codes:
  0  the scan ran (some inputs may be listed as skipped, with the reason)
  1  nothing could be read, or the report could not be written
  2  usage error (unknown option, value out of range)

examples:
  dedup scan seeds/
  dedup scan corpus/ --format json -o report.json
  dedup scan corpus/ --passages --format json    # each pair with its shared passages
  dedup scan news.jsonl --text-field body --id-field url --date-field published
"""


def add_scan_command(commands: Commands) -> None:
    """Register ``dedup scan``."""
    parser = commands.add_parser(
        "scan",
        help="find copies among files, folders and JSONL files",
        description="Find which documents are copies of each other, with exact scores.",
        epilog=_SCAN_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_scan_options(parser)
    parser.set_defaults(run=run_scan)


def _add_scan_options(parser: argparse.ArgumentParser) -> None:
    defaults = ScanConfig()
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files, folders or .jsonl files")
    out = parser.add_argument_group("output")
    out.add_argument("--format", choices=("text", "json"), default="text", help="report format")
    out.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE")
    out.add_argument("--passages", action="store_true",
                     help="align each pair into its shared passages (JSON: dedup.scan/2)")
    out.add_argument("--stories", action=argparse.BooleanOptionalAction, default=defaults.story,
                     help="also report partial-reuse and same-story pairs and story families "
                     "(default: on; --no-stories gives the copy report, dedup.scan/1)")
    parser.add_argument(
        "-j", "--jobs", type=int, default=os.cpu_count() or 1, metavar="N",
        help="worker processes for normalising and sketching (default: all cores, %(default)s); "
        "results do not depend on it",
    )
    load = parser.add_argument_group("input")
    load.add_argument("--text-field", default=defaults.load.text_field, help="JSONL text field")
    load.add_argument("--id-field", default=defaults.load.id_field, help="JSONL id field")
    load.add_argument("--date-field", default=None, help="JSONL date field (optional)")
    load.add_argument(
        "--max-file-size", type=int, default=defaults.load.max_file_bytes, metavar="BYTES",
        help="skip files larger than this (default %(default)s)",
    )
    match = parser.add_argument_group("matching")
    match.add_argument("--ngram", type=int, default=defaults.sketch.shingle.size, metavar="N",
                       help="shingle size in words (default %(default)s)")
    match.add_argument("--char-ngrams", action="store_true",
                       help="shingle characters instead of words")
    match.add_argument("--num-perm", type=int, default=defaults.sketch.num_perm, metavar="N",
                       help="MinHash permutations (default %(default)s)")
    match.add_argument("--seed", type=int, default=defaults.sketch.seed,
                       help="MinHash seed (default %(default)s)")
    match.add_argument("--threshold", type=float, default=defaults.threshold, metavar="T",
                       help="Jaccard for near-duplicate (default %(default)s)")
    match.add_argument("--containment-threshold", type=float, metavar="T",
                       default=defaults.containment_threshold,
                       help="containment for 'contained' (default %(default)s)")
    match.add_argument("--min-jaccard", type=float, default=defaults.min_jaccard, metavar="T",
                       help="no pair is reported below this Jaccard (default %(default)s)")
    match.add_argument("--lsh-threshold", type=float, default=defaults.lsh.threshold, metavar="T",
                       help="Jaccard the LSH candidate search is tuned for (default %(default)s)")


def config_from_args(args: argparse.Namespace) -> ScanConfig:
    """The ScanConfig that the parsed options describe (raises ConfigError when out of range)."""
    shingle = ShingleConfig(kind="char" if args.char_ngrams else "word", size=args.ngram)
    return ScanConfig(
        load=LoadConfig(
            text_field=args.text_field,
            id_field=args.id_field,
            date_field=args.date_field,
            max_file_bytes=args.max_file_size,
        ),
        sketch=SketchParams(num_perm=args.num_perm, seed=args.seed, shingle=shingle),
        lsh=LshParams(threshold=args.lsh_threshold),
        threshold=args.threshold,
        containment_threshold=args.containment_threshold,
        min_jaccard=args.min_jaccard,
        passages=args.passages,
        story=args.stories,
    )


def run_scan(args: argparse.Namespace) -> int:
    """Run ``dedup scan`` with parsed options; return the exit code."""
    if args.jobs < 1:
        return fail(f"--jobs must be a positive whole number, got {args.jobs}", EXIT_USAGE)
    try:
        config = config_from_args(args)
    except DedupError as error:
        return fail(str(error), EXIT_USAGE)
    return _run_scan(args, config)


def _run_scan(args: argparse.Namespace, config: ScanConfig) -> int:
    result = scan(args.paths, config, jobs=args.jobs)
    report = scan_to_json(result) + "\n" if args.format == "json" else scan_to_text(result)
    if args.output:
        try:
            Path(args.output).write_text(report, encoding="utf-8")
        except OSError as error:
            reason = error.strerror or str(error)
            return fail(f"cannot write {args.output}: {reason}", EXIT_NOTHING_READ)
    else:
        sys.stdout.write(report)
    if not result.documents:
        return fail("no input could be read as a document", EXIT_NOTHING_READ)
    return EXIT_OK
