"""``dedup index add|stats|remove|migrate``: keep a persistent index (``dedup.Index``)."""

from __future__ import annotations

import argparse
import functools
from collections.abc import Callable

from dedup.cli.common import (
    EXIT_NOTHING_READ,
    EXIT_OK,
    EXIT_USAGE,
    Commands,
    Run,
    add_command,
    add_input_options,
    add_jobs_option,
    add_output_options,
    add_sketch_options,
    fail,
    load_config_from_args,
    output_exit,
    output_problem,
    write_report,
)
from dedup.cli.values import seconds
from dedup.config import LshParams, ScanConfig, ShingleConfig, SketchParams
from dedup.errors import ConfigError, DedupError, ParameterMismatchError
from dedup.index import Index, upgrade
from dedup.report.index import add_to_dict, add_to_text, stats_to_dict, stats_to_text, to_json

INDEX_EXIT_CODES = """\
exit codes:
  0  done
  1  nothing could be read, an id was not indexed, or the index file cannot be used
     (not a dedup index, corrupt, of a newer format, or locked by a writer past --timeout)
  2  usage error (unknown option, value out of range, parameters other than the index's)
"""

_INDEX_EPILOG = f"""\
{INDEX_EXIT_CODES}
examples:
  dedup index add archive/ --db news.dedup      # only new or changed files are processed
  dedup index add today.jsonl --db news.dedup
  dedup index stats --db news.dedup
  dedup index remove 2024/05/story.txt --db news.dedup
  dedup index migrate --db news.dedup           # upgrade a file of an older format
  dedup query article.txt --db news.dedup       # see dedup query --help
"""


def add_db_option(parser: argparse.ArgumentParser, *, required: bool = True) -> None:
    """``--db FILE`` and ``--timeout``: which index, and how long a writer waits for another."""
    group = parser.add_argument_group("index")
    group.add_argument("--db", required=required, metavar="FILE",
                       help="the index file (made by dedup index add)")
    group.add_argument("--timeout", type=seconds(86400), default=30.0, metavar="S",
                       help="seconds to wait while another process writes (default %(default)s)")


def index_errors(run: Run) -> Run:
    """``run`` with dedup's errors as a message and an exit code, never a traceback."""

    @functools.wraps(run)
    def guarded(args: argparse.Namespace) -> int:
        try:
            return run(args)
        except (ParameterMismatchError, ConfigError) as error:
            return fail(str(error), EXIT_USAGE)
        except DedupError as error:
            return fail(str(error), EXIT_NOTHING_READ)
        except KeyboardInterrupt:
            return fail("interrupted; every batch added before is kept, the rest is not", 130)

    return guarded


def open_index(args: argparse.Namespace, *, create: bool = False) -> Index:
    """The index ``--db`` names; with sketch options given, they must be the index's."""
    asked = _asked_sketch(args) if hasattr(args, "num_perm") else None
    return Index.open(args.db, asked, create=create, timeout=args.timeout)


def _asked_sketch(args: argparse.Namespace) -> ScanConfig | None:
    """The sketch parameters the options ask for, or None when all are left at their default
    (then an existing index's own are used)."""
    shingle = ShingleConfig(kind="char" if args.char_ngrams else "word", size=args.ngram)
    sketch = SketchParams(num_perm=args.num_perm, seed=args.seed, shingle=shingle,
                          method=args.sketch_method)
    lsh = LshParams(threshold=args.lsh_threshold)
    if sketch == SketchParams() and lsh == LshParams():
        return None
    return ScanConfig(sketch=sketch, lsh=lsh)


def add_index_command(commands: Commands) -> None:
    """Register ``dedup index`` and its actions."""
    parser = add_command(
        commands, "index", summary="keep a persistent index to query new documents against",
        description="Keep documents in an index file (SQLite): add, remove, inspect, upgrade. "
        "Query it with dedup query; scan all of it with dedup scan --db.",
        epilog=_INDEX_EPILOG, run=_no_action,
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    _action(actions, "add", "add files, folders and JSONL files (new or changed ones only)",
            _run_add, _add_options)
    _action(actions, "stats", "what the index holds and how it was made", _run_stats,
            lambda p: add_output_options(p))
    _action(actions, "remove", "remove documents by id", _run_remove,
            lambda p: p.add_argument("ids", nargs="+", metavar="ID", help="document ids"))
    _action(actions, "migrate", "upgrade an index file of an older format", _run_migrate,
            lambda p: None)


def _action(
    actions: Commands, name: str, summary: str, run: Run,
    options: Callable[[argparse.ArgumentParser], object],
) -> None:
    parser = add_command(actions, name, summary=summary, description=summary[0].upper()
                         + summary[1:] + ".", epilog=_INDEX_EPILOG, run=index_errors(run))
    options(parser)
    add_db_option(parser)


def _no_action(args: argparse.Namespace) -> int:  # pragma: no cover - argparse requires one
    return fail("say what to do: dedup index add|stats|remove|migrate", EXIT_USAGE)


def _add_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files, folders or .jsonl files")
    add_jobs_option(parser, "worker processes for sketching (default: all cores, %(default)s)")
    parser.add_argument("-q", "--quiet", action="store_true",
                        help="print nothing when all went well (for cron jobs); a JSON report or "
                        "-o FILE is still written, errors still go to stderr")
    add_input_options(parser)
    add_sketch_options(parser.add_argument_group(
        "matching (fixed when the index is made; later adds must match or leave them out)"))
    add_output_options(parser)


def _run_add(args: argparse.Namespace) -> int:
    problem = output_problem(args.output, [*args.paths, args.db])
    if problem is not None:
        return fail(problem, output_exit(problem))
    load = load_config_from_args(args)
    with open_index(args, create=True) as opened:
        index = opened.using(ScanConfig(load=load))
        result = index.add_paths(args.paths, jobs=args.jobs)
        stats = index.stats()
    data = add_to_dict(result, stats)
    report = to_json(data) if args.format == "json" else add_to_text(result, stats)
    silent = args.quiet and args.format == "text" and args.output is None
    written = EXIT_OK if silent else write_report(report, args.output)
    if written != EXIT_OK:
        return written
    if not (result.added or result.updated or result.unchanged):
        return fail("no input could be read as a document", EXIT_NOTHING_READ)
    return EXIT_OK


def _run_stats(args: argparse.Namespace) -> int:
    with open_index(args) as index:
        stats = index.stats()
    report = to_json(stats_to_dict(stats)) if args.format == "json" else stats_to_text(stats)
    return write_report(report, args.output)


def _run_remove(args: argparse.Namespace) -> int:
    with open_index(args) as index:
        missing = index.remove(args.ids)
        left = len(index)
    removed = len(set(args.ids)) - len(missing)
    print(f"dedup index remove: {removed} removed ({args.db}: {left} documents)")
    if missing:
        return fail(f"not in the index: {', '.join(missing)}", EXIT_NOTHING_READ)
    return EXIT_OK


def _run_migrate(args: argparse.Namespace) -> int:
    passed = upgrade(args.db, timeout=args.timeout)
    if passed:
        steps = ", ".join(f"{v} → {v + 1}" for v in passed)
        print(f"dedup index migrate: {args.db} upgraded ({steps})")
    else:
        print(f"dedup index migrate: {args.db} is already of the current format")
    return EXIT_OK
