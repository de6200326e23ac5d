"""``dedup diff A B``: read two documents → ``dedup.align`` (or ``align_sentences``) → a view."""

from __future__ import annotations

import argparse
import os
import shutil
import sys

from dedup.alignment import align_normalized
from dedup.cli.common import (
    EXIT_NOTHING_READ,
    EXIT_USAGE,
    Commands,
    add_command,
    add_output_options,
    fail,
    output_exit,
    output_problem,
    write_report,
)
from dedup.cli.values import anchor_words, positive_int, unit_float, whole_number
from dedup.config import AlignConfig, LoadConfig, NormalizeConfig
from dedup.errors import DedupError
from dedup.loading import load
from dedup.model import AlignMode, Document, Skipped
from dedup.normalization import normalize
from dedup.report.diff import ViewOptions, diff_to_json, diff_to_text

_DIFF_EPILOG = """\
exit codes:
  0  the texts were compared (whether or not they share anything)
  1  a file could not be read as a document, or the output could not be written
  2  usage error (unknown option, value out of range, an input holding several documents)

examples:
  dedup diff seeds/001_47e1ff0772070bb4.txt seeds/002_9ee1089bac769580.txt
  dedup diff a.txt b.html --unified | less -R
  dedup diff a.txt b.txt --format json -o diff.json
  dedup diff translation.txt original.txt --sentences
"""


class NotOneDocumentError(Exception):
    """An input that is readable but not one document."""


def add_diff_command(commands: Commands) -> None:
    """Register ``dedup diff``."""
    parser = add_command(
        commands,
        "diff",
        summary="show the passages two documents share, and what changed",
        description=(
            "Align two documents: the passages they share (verbatim or edited, also moved), "
            "with the word-level changes, and what each has outside them."
        ),
        epilog=_DIFF_EPILOG,
        run=run_diff,
    )
    _add_diff_options(parser)


def _add_diff_options(parser: argparse.ArgumentParser) -> None:
    defaults = AlignConfig()
    parser.add_argument("a", metavar="A", help="a text, markdown, HTML or one-line JSONL file")
    parser.add_argument("b", metavar="B", help="the file to compare it with")
    out = add_output_options(parser)
    out.add_argument("--unified", action="store_true",
                     help="one column with changes inline, instead of side by side")
    out.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                     help="colour changes (auto: on a terminal, unless NO_COLOR is set)")
    out.add_argument("--width", type=whole_number(20, 10_000), default=None, metavar="N",
                     help="line width (default: the terminal's, else 100)")
    match = parser.add_argument_group("alignment")
    match.add_argument("--sentences", action="store_true",
                       help="pair similar sentences in any order, as passages (paraphrase)")
    match.add_argument("--anchor", type=anchor_words, default=defaults.anchor, metavar="N",
                       help="word n-gram size of anchors (default %(default)s)")
    match.add_argument("--min-words", type=positive_int, default=defaults.min_words, metavar="N",
                       help="fewest equal words in a passage (default %(default)s)")
    match.add_argument("--max-gap", type=positive_int, default=defaults.max_gap, metavar="N",
                       help="longest run of changed words a passage bridges (default %(default)s)")
    match.add_argument("--sentence-threshold", type=unit_float, metavar="T",
                       default=defaults.sentence_threshold,
                       help="least similarity of a sentence pair (default %(default)s)")


def config_from_args(args: argparse.Namespace) -> AlignConfig:
    """The AlignConfig that the parsed options describe (raises ConfigError when out of range)."""
    return AlignConfig(
        anchor=args.anchor,
        min_words=args.min_words,
        max_gap=args.max_gap,
        sentence_threshold=args.sentence_threshold,
    )


def run_diff(args: argparse.Namespace) -> int:
    """Run ``dedup diff`` with parsed options; return the exit code."""
    problem = output_problem(args.output, [args.a, args.b])
    if problem is not None:
        return fail(problem, output_exit(problem))
    try:
        config = config_from_args(args)
        if args.width is not None and args.width < 20:
            raise NotOneDocumentError(f"--width must be at least 20, got {args.width}")
        docs = (read_one(args.a), read_one(args.b))
    except (DedupError, NotOneDocumentError) as error:
        return fail(str(error), EXIT_USAGE)
    except OSError as error:
        return fail(str(error), EXIT_NOTHING_READ)
    report = _report(args, config, docs)
    return write_report(report, args.output)


def read_one(path: str) -> Document:
    """The one document in ``path``; OSError when unreadable, NotOneDocumentError when not one."""
    found = list(load([path], LoadConfig()))
    documents = [item for item in found if isinstance(item, Document)]
    problems = [item for item in found if isinstance(item, Skipped)]
    if problems and not documents:
        raise OSError(f"cannot read {problems[0].path}: {problems[0].reason}")
    if len(documents) != 1:
        count = len(documents) + len(problems)
        raise NotOneDocumentError(
            f"{path} holds {count} documents; dedup diff compares two documents"
        )
    return documents[0]


def _report(args: argparse.Namespace, config: AlignConfig, docs: tuple[Document, Document]) -> str:
    a, b = docs
    words = (normalize(a.text, NormalizeConfig()), normalize(b.text, NormalizeConfig()))
    mode = AlignMode.SENTENCES if args.sentences else AlignMode.PASSAGES
    alignment = align_normalized((a.id, a.text, words[0]), (b.id, b.text, words[1]), config, mode)
    if args.format == "json":
        return diff_to_json(alignment, a, b, config) + "\n"
    to_terminal = args.output is None and sys.stdout.isatty()
    options = ViewOptions(
        side_by_side=not args.unified,
        width=args.width or (shutil.get_terminal_size((100, 24)).columns if to_terminal else 100),
        color=args.color == "always" or (args.color == "auto" and _color_wanted(to_terminal)),
    )
    return diff_to_text(alignment, docs, words, options)


def _color_wanted(to_terminal: bool) -> bool:
    # https://no-color.org: any non-empty NO_COLOR turns colour off.
    return to_terminal and not os.environ.get("NO_COLOR")

