"""``dedup query FILE --db INDEX``: a document → ``Index.query`` → its matches, best first."""

from __future__ import annotations

import argparse

from dedup.cli.common import (
    EXIT_NOTHING_READ,
    EXIT_USAGE,
    Commands,
    add_command,
    add_output_options,
    add_threshold_options,
    fail,
    output_exit,
    output_problem,
    write_report,
)
from dedup.cli.diff import NotOneDocumentError, read_one
from dedup.cli.index import INDEX_EXIT_CODES, add_db_option, index_errors, open_index
from dedup.cli.values import positive_int, unit_float
from dedup.config import ScanConfig
from dedup.report.index import query_to_dict, query_to_text, to_json

_QUERY_EPILOG = f"""\
{INDEX_EXIT_CODES}
examples:
  dedup query article.txt --db news.dedup
  dedup query article.txt --db news.dedup --top 10 --min-containment 0.5
  dedup query article.txt --db news.dedup --passages --format json
  dedup query article.txt --db news.dedup --lineage   # and who copied whom among them
"""


def add_query_command(commands: Commands) -> None:
    """Register ``dedup query``."""
    parser = add_command(
        commands, "query", summary="find a document's copies and related stories in an index",
        description="Look one document up in an index (dedup index add): the indexed documents "
        "that are copies of it, contain it or lie inside it, reuse a passage of it or tell the "
        "same story, with exact scores.",
        epilog=_QUERY_EPILOG, run=index_errors(run_query),
    )
    parser.add_argument("file", metavar="FILE",
                        help="a text, markdown, HTML or one-line JSONL file")
    add_db_option(parser)
    asked = parser.add_argument_group("what to report")
    asked.add_argument("--top", type=positive_int, default=10, metavar="K",
                       help="at most K matches, best first (default %(default)s)")
    asked.add_argument("--min-containment", type=unit_float, default=None, metavar="C",
                       help="only matches sharing at least C of either text, found even when "
                       "their Jaccard is low (a short article inside a long one)")
    asked.add_argument("--stories", action=argparse.BooleanOptionalAction, default=True,
                       help="also report partial-reuse and same-story matches (default: on)")
    add_threshold_options(parser.add_argument_group("matching"))
    out = add_output_options(parser)
    out.add_argument("--passages", action="store_true",
                     help="align each match into the passages it shares with FILE")
    out.add_argument("--lineage", action="store_true",
                     help="also trace who copied whom among FILE and its matches")


def run_query(args: argparse.Namespace) -> int:
    """Run ``dedup query`` with parsed options; return the exit code."""
    problem = output_problem(args.output, [args.file, args.db])
    if problem is not None:
        return fail(problem, output_exit(problem))
    try:
        settings = ScanConfig(threshold=args.threshold, story=args.stories,
                              containment_threshold=args.containment_threshold,
                              min_jaccard=args.min_jaccard)
        document = read_one(args.file)
    except NotOneDocumentError as error:
        return fail(f"{args.file} holds several documents; dedup query looks up one "
                    f"({error})", EXIT_USAGE)
    except OSError as error:
        return fail(str(error), EXIT_NOTHING_READ)
    with open_index(args) as opened:
        index = opened.using(settings)
        matches = index.query(document, top=args.top, min_containment=args.min_containment,
                              passages=args.passages)
        lineage = index.trace(document, top=args.top) if args.lineage else None
    if args.format == "json":
        report = to_json(query_to_dict(document, args.db, matches, lineage))
    else:
        report = query_to_text(document, args.db, matches, lineage)
    return write_report(report, args.output)
