"""What every ``dedup`` command shares: exit codes, the subcommand type, error output, writing the
report; and, for the commands that run a scan (``scan``, ``lineage``), their options and run."""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import stat
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Literal, TypeAlias

from dedup.cli.progress import add_quiet_option, terminal_progress
from dedup.cli.values import positive_int, seed, unit_float, whole_number
from dedup.config import (
    LineageConfig,
    LoadConfig,
    LshParams,
    ScanConfig,
    ShingleConfig,
    SketchParams,
)
from dedup.deduplication.outputs import atomic_file
from dedup.documents import document_info
from dedup.errors import DedupError
from dedup.loading.dates import unparsed_notice
from dedup.loading.main_content import HTML_EXTRACTS, trafilatura_module
from dedup.loading.parquet import pyarrow_parquet
from dedup.model import ScanResult
from dedup.pipeline import scan
from dedup.report.html import scan_to_html
from dedup.report.tables import TABLES, table_format, write_table

#: ``-o -``: the report goes to standard output.
STDOUT = "-"
EXIT_OK = 0
EXIT_NOTHING_READ = 1
EXIT_USAGE = 2

#: What ``add_subparsers()`` returns; each command module registers itself on it.
Commands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"

#: A command's run: parsed options → exit code.
Run: TypeAlias = Callable[[argparse.Namespace], int]

#: The exit codes of the commands that run a scan, for their ``--help``.
SCAN_EXIT_CODES = """\
exit codes:
  0  the scan ran (some inputs may be listed as skipped, with the reason)
  1  nothing could be read, or the report could not be written
  2  usage error (unknown option, value out of range)
"""


#: Most worker processes a command starts: more only costs memory, on any machine of today.
MAX_JOBS = 256


def add_jobs_option(parser: argparse.ArgumentParser, help_text: str) -> None:
    """``-j/--jobs``, a number of worker processes in [1, MAX_JOBS]."""
    parser.add_argument(
        "-j", "--jobs", type=whole_number(1, MAX_JOBS), default=os.cpu_count() or 1, metavar="N",
        help=help_text,
    )


def fail(message: str, code: int) -> int:
    """Print ``dedup: error: message`` on stderr and return ``code``."""
    print(f"dedup: error: {message}", file=sys.stderr)
    return code


def add_command(
    commands: Commands, name: str, *, summary: str, description: str, epilog: str, run: Run
) -> argparse.ArgumentParser:
    """Register subcommand ``name`` (``summary`` is its line in ``dedup --help``)."""
    parser = commands.add_parser(
        name,
        help=summary,
        description=description,
        epilog=epilog,
        # The epilogs hold examples and exit-code tables: keep their line breaks.
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.set_defaults(run=run)
    return parser


def add_output_options(parser: argparse.ArgumentParser) -> argparse._ArgumentGroup:
    """``--format`` and ``-o``; returns the group, for a command's own output options."""
    out = parser.add_argument_group("output")
    out.add_argument("--format", choices=("text", "json"), default="text", help="report format")
    out.add_argument("-o", "--output", metavar="FILE",
                     help="write the report to FILE ('-': standard output, the default)")
    return out


def write_report(report: str | Iterable[str], output: str | None) -> int:
    """Write ``report`` (a string, or its pieces) to the file ``output``, or to stdout when
    None or ``-``; return the exit code. Pieces are written as they come, never joined in memory.

    A regular file is replaced only once the report is complete (a failure leaves it as it
    was); a write error (full disk, ``/dev/full``) is one line and exit 1. Characters the
    output cannot carry (lone surrogates from undecodable file names) are written as ``\\uXXXX``
    escapes, which keeps a JSON report valid UTF-8 and valid JSON.
    """
    pieces = [report] if isinstance(report, str) else report
    if output is None or output == STDOUT:
        return _write_stdout(pieces)
    try:
        if _replaceable(output):
            with atomic_file(output) as temporary:
                _write_pieces(temporary, pieces)
        else:  # a device or a pipe (/dev/stdout, a FIFO): no temporary can stand in for it
            _write_pieces(output, pieces)
    except OSError as error:
        return fail(f"cannot write {output}: {error.strerror or error}", EXIT_NOTHING_READ)
    return EXIT_OK


def _replaceable(output: str) -> bool:
    try:
        return stat.S_ISREG(Path(output).stat().st_mode)
    except FileNotFoundError:
        return True


def _write_pieces(path: str, pieces: Iterable[str]) -> None:
    with Path(path).open("w", encoding="utf-8", errors="backslashreplace") as handle:
        handle.writelines(pieces)


def _write_stdout(pieces: Iterable[str]) -> int:
    if isinstance(sys.stdout, io.TextIOWrapper) and sys.stdout.encoding.lower() in _UTF8:
        sys.stdout.reconfigure(errors="backslashreplace")
    try:
        sys.stdout.writelines(pieces)
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader left (`dedup scan ... | head`): not an error; Python's own advice is to
        # point stdout at devnull so that the exit does not fail flushing it again.
        _silence_stdout()
    except OSError as error:  # stdout on a full disk, or /dev/full
        _silence_stdout()
        return fail(f"cannot write the report: {error.strerror or error}", EXIT_NOTHING_READ)
    return EXIT_OK


_UTF8 = frozenset({"utf-8", "utf8"})


def _silence_stdout() -> None:
    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


#: How an output problem found before reading starts (``output_exit``: exit 1, not 2).
_CANNOT_WRITE = "cannot write "


def output_exit(problem: str) -> int:
    """The exit code of an output ``problem``: 1 when the place cannot be written (as when the
    write itself fails), 2 for a usage error (an output that is an input, two the same)."""
    return EXIT_NOTHING_READ if problem.startswith(_CANNOT_WRITE) else EXIT_USAGE


def output_problem(output: str | None, inputs: Iterable[str]) -> str | None:
    """Why ``output`` must not be written, given the command's ``inputs``, or None: no command
    writes over one of its inputs (a file named as input, or one an input folder holds)."""
    if output is None or output == STDOUT:
        return None
    if Path(output).is_dir():
        return f"{_CANNOT_WRITE}{output}: it is a folder; give a file name"
    if not Path(output).parent.is_dir():
        return f"{_CANNOT_WRITE}{output}: no such folder {Path(output).parent}"
    if not Path(output).exists():
        return None
    real = os.path.realpath(output)
    for given in inputs:
        try:
            if Path(given).is_dir():
                folder = os.path.realpath(given)
                if os.path.commonpath([real, folder]) == folder:
                    return f"{output} lies inside the input folder {given}; write it elsewhere"
            elif Path(given).exists() and Path(output).samefile(given):
                return f"{output} is one of the inputs; choose another file"
        except (OSError, ValueError):
            continue  # an input that cannot be read is reported as skipped by the command
    return None


# --- commands that run a scan ------------------------------------------------------------------


def add_scan_options(parser: argparse.ArgumentParser, *, paths: str = "+") -> None:
    """The inputs (``paths``: their nargs), ``-j``, and the input and matching options (each
    maps onto ScanConfig)."""
    parser.add_argument("paths", nargs=paths, metavar="PATH", help="files, folders or .jsonl files")
    add_jobs_option(
        parser,
        "worker processes for normalising and sketching (default: all cores, %(default)s); "
        "results do not depend on it",
    )
    add_quiet_option(parser)
    add_input_options(parser)
    match = parser.add_argument_group("matching")
    add_sketch_options(match)
    add_threshold_options(match)


def add_input_options(parser: argparse.ArgumentParser) -> None:
    """How inputs are read (LoadConfig)."""
    defaults = ScanConfig()
    load = parser.add_argument_group("input")
    load.add_argument("--text-field", default=defaults.load.text_field,
                      help="text field of JSONL, JSON, CSV/TSV records and Parquet rows "
                      "(default %(default)s)")
    load.add_argument("--id-field", default=defaults.load.id_field,
                      help="id field of records (default %(default)s)")
    load.add_argument("--date-field", default=None,
                      help="date field of records (optional): ISO 8601, RFC 2822 or a dateline")
    load.add_argument("--html-extract", choices=HTML_EXTRACTS, default="visible",
                      help="HTML pages: every visible word (default), or the main content "
                      "only, without navigation and footers (pip install 'dedup-lineage[html]')")
    load.add_argument("--date-format", default=None, metavar="FORMAT",
                      help="how the date field is written, in strptime codes (e.g. %%d/%%m/%%Y)")
    load.add_argument(
        "--max-file-size", type=whole_number(1, 2**40), default=defaults.load.max_file_bytes,
        metavar="BYTES",
        help="skip files, and JSONL lines, larger than this (default %(default)s)",
    )


def add_sketch_options(match: argparse._ArgumentGroup) -> None:
    """What shapes the sketches (SketchParams, LshParams): an index keeps them."""
    defaults = ScanConfig()
    match.add_argument("--ngram", type=positive_int,
                       default=defaults.sketch.shingle.size, metavar="N",
                       help="shingle size in words (default %(default)s)")
    match.add_argument("--char-ngrams", action="store_true",
                       help="shingle characters instead of words")
    match.add_argument("--num-perm", type=positive_int,
                       default=defaults.sketch.num_perm, metavar="N",
                       help="MinHash permutations (default %(default)s)")
    match.add_argument("--seed", type=seed, default=defaults.sketch.seed,
                       help="MinHash seed (default %(default)s)")
    match.add_argument("--sketch-method", choices=("oph", "kperm"), default=defaults.sketch.method,
                       help="MinHash scheme: oph, one-permutation hashing (fast), or kperm, "
                       "k permutations as datasketch computes them (default %(default)s)")
    match.add_argument("--lsh-threshold", type=unit_float,
                       default=defaults.lsh.threshold, metavar="T",
                       help="Jaccard the LSH candidate search is tuned for (default %(default)s)")


def add_threshold_options(match: argparse._ArgumentGroup) -> None:
    """When a verified pair is reported, and as what."""
    defaults = ScanConfig()
    match.add_argument("--threshold", type=unit_float, default=defaults.threshold, metavar="T",
                       help="Jaccard for near-duplicate (default %(default)s)")
    match.add_argument("--containment-threshold", type=unit_float, metavar="T",
                       default=defaults.containment_threshold,
                       help="containment for 'contained' (default %(default)s)")
    match.add_argument("--min-jaccard", type=unit_float, default=defaults.min_jaccard, metavar="T",
                       help="no pair is reported below this Jaccard (default %(default)s)")


def add_lineage_options(parser: argparse.ArgumentParser) -> argparse._ArgumentGroup:
    """``--min-confidence`` (``LineageConfig.min_confidence``); returns the group."""
    group = parser.add_argument_group("lineage")
    group.add_argument(
        "--min-confidence", type=unit_float, default=LineageConfig().min_confidence, metavar="P",
        help="leave out lineage edges less likely than this, direction included "
        "(default %(default)s)",
    )
    return group


def scan_config_from_args(args: argparse.Namespace, **fields: Any) -> ScanConfig:
    """The ScanConfig the shared options describe, with ``fields`` (a command's own options) on
    top; raises ConfigError when a value is out of range."""
    shingle = ShingleConfig(kind="char" if args.char_ngrams else "word", size=args.ngram)
    return ScanConfig(
        load=load_config_from_args(args),
        sketch=SketchParams(
            num_perm=args.num_perm, seed=args.seed, shingle=shingle, method=args.sketch_method
        ),
        lsh=LshParams(threshold=args.lsh_threshold),
        threshold=args.threshold,
        containment_threshold=args.containment_threshold,
        min_jaccard=args.min_jaccard,
        lineage_config=LineageConfig(min_confidence=args.min_confidence),
        **fields,
    )


def load_config_from_args(args: argparse.Namespace) -> LoadConfig:
    """The LoadConfig of the input options (``add_input_options``)."""
    return LoadConfig(
        text_field=args.text_field,
        id_field=args.id_field,
        date_field=args.date_field,
        date_format=args.date_format,
        max_file_bytes=args.max_file_size,
        html_extract=_html_extract(args),
    )


def _html_extract(args: argparse.Namespace) -> Literal["visible", "main"]:
    """``--html-extract``; MissingExtraError (before any input is read) when ``main`` lacks
    its extra."""
    if args.html_extract == "main":
        trafilatura_module()
        return "main"
    return "visible"


def run_scan_command(
    args: argparse.Namespace,
    config_from_args: Callable[[argparse.Namespace], ScanConfig],
    render: Callable[[ScanResult, str], str | Iterable[str]],
    scanner: Callable[[argparse.Namespace, ScanConfig], ScanResult] | None = None,
    html: str | None = None,
) -> int:
    """Check the options, scan, write ``render(result, format)``; return the exit code.

    Exit 2 for an option out of range (before reading anything), 1 when the report cannot be
    written or no input gave a document (the report, listing what was skipped, is still written).
    ``scanner`` runs the scan (default: ``dedup.scan`` with ``--jobs``); a DedupError it raises
    before reading (a backend that cannot run) is reported with exit 1.
    ``html``: also write the HTML report to that file. A progress bar goes to stderr when it is
    a terminal (not with ``--quiet``).
    """
    problem = outputs_problem(args, html)
    if problem is not None:
        return fail(problem, output_exit(problem))
    try:
        config = config_from_args(args)
    except DedupError as error:
        return fail(str(error), EXIT_USAGE)
    try:
        result = _scan_with_progress(args, config, scanner)
        written = write_report(render(result, args.format), args.output)
        if html is not None and written == EXIT_OK:
            written = write_report(scan_to_html(result), html)
        if written == EXIT_OK:
            written = write_tables(result, args)
    except DedupError as error:
        # An input changed or vanished while the scan read it again (texts are not all held),
        # or a backend could not run.
        return fail(str(error), EXIT_NOTHING_READ)
    if written != EXIT_OK:
        return written
    warn_unparsed_dates(result)
    if not result.documents:
        return fail("no input could be read as a document", EXIT_NOTHING_READ)
    return EXIT_OK


def warn_unparsed_dates(result: ScanResult) -> None:
    """One warning line on stderr for the documents whose date field did not parse."""
    notice = unparsed_notice((d.id, d.metadata) for d in document_info(result.documents))
    if notice is not None:
        print(f"dedup: warning: {notice}", file=sys.stderr)


def outputs_problem(
    args: argparse.Namespace, html: str | None = None, extra_inputs: Iterable[str] = ()
) -> str | None:
    """Why an output of a command reading ``args.paths`` (and ``extra_inputs``, an index)
    must not be written: ``-o``, ``html`` and the tables."""
    inputs = [*(args.paths or ()), *extra_inputs]
    outputs = [(option, path) for option, path in output_paths(args, html) if path != STDOUT]
    real: dict[str, str] = {}
    for option, path in outputs:
        first = real.setdefault(os.path.realpath(path), option)
        if first != option:
            return f"{first} and {option} name the same file"
    problem = next(filter(None, (output_problem(path, inputs) for _, path in outputs)), None)
    return problem or tables_problem(args)


#: The table options (``--pairs-out`` …), each with the table it writes.
TABLE_OPTIONS = (("pairs_out", "pairs"), ("families_out", "families"),
                 ("documents_out", "documents"))  # fmt: skip


def add_table_options(out: argparse._ArgumentGroup) -> None:
    """``--pairs-out``, ``--families-out``, ``--documents-out``: the results as tables."""
    for option, table in TABLE_OPTIONS:
        out.add_argument(f"--{option.replace('_', '-')}", metavar="FILE",
                         help=f"also write the {table} as a table: .jsonl, .csv, .tsv or "
                         ".parquet by the suffix (optionally .gz, .bz2, .zst)")  # fmt: skip


def tables_problem(args: argparse.Namespace) -> str | None:
    """Why a table option names a file no table can be written as, or None."""
    for option, _ in TABLE_OPTIONS:
        path = getattr(args, option, None)
        if path is not None:
            try:
                if table_format(path) == "parquet":
                    pyarrow_parquet()
            except DedupError as error:  # an unknown suffix; Parquet without pyarrow
                return str(error)
    return None


def write_tables(result: ScanResult, args: argparse.Namespace) -> int:
    """Write the tables the options ask for; return the exit code."""
    for option, table in TABLE_OPTIONS:
        path = getattr(args, option, None)
        if path is not None:
            try:
                write_table(TABLES[table](result), path, table)
            except DedupError as error:
                return fail(str(error), EXIT_NOTHING_READ)
    return EXIT_OK


def output_paths(args: argparse.Namespace, html: str | None = None) -> list[tuple[str, str]]:
    """Every file a command writes, by option: all are checked before any input is read."""
    named = [("-o", args.output), ("--html", html),
             ("--pairs-out", getattr(args, "pairs_out", None)),
             ("--families-out", getattr(args, "families_out", None))]  # fmt: skip
    return [(option, path) for option, path in named if path is not None]


def _scan_with_progress(
    args: argparse.Namespace,
    config: ScanConfig,
    scanner: Callable[[argparse.Namespace, ScanConfig], ScanResult] | None = None,
) -> ScanResult:
    """The scan (``scanner``'s, else the local one with a progress bar on stderr when it is a
    terminal and not ``--quiet``)."""
    if scanner is not None:
        return scanner(args, config)
    progress = terminal_progress(args)
    try:
        return scan(args.paths, config, jobs=args.jobs, progress=progress)
    finally:
        if progress is not None:
            progress.close()
