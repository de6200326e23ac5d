"""``dedupe_paths``: inputs on disk → the kept records in the input's format, and a removal map.

The inputs are read twice: once as documents for the scan, once to copy the kept records.
Between the two only the scan's pairs and each document's place are held.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import attrs

from dedup.config import ScanConfig
from dedup.deduplication import (
    DEFAULT_RELATIONS,
    Deduplication,
    deduplicate,
    parse_relations,
    scan_config_for,
)
from dedup.deduplication.inputs import Corpus, InputKind, input_kind, pyarrow_parquet
from dedup.deduplication.keep import KeepPolicy, keep_policy
from dedup.deduplication.outputs import (
    Keep,
    Staging,
    folder_problem,
    kept_places,
    recover,
    write_folder,
    write_jsonl,
    write_parquet,
    write_records,
    write_removals,
)
from dedup.errors import ConfigError, OutputError
from dedup.loading.dates import unparsed_notice
from dedup.model import Relation, Skipped
from dedup.pipeline import scan_sourced

PathArg = str | os.PathLike[str]


@attrs.frozen
class DedupeRun:
    """What ``dedupe_paths`` did: the deduplication of the documents compared, how many
    documents were read and written, and what was left out (with reasons)."""

    deduplication: Deduplication
    kind: InputKind
    documents: int
    written: int
    #: Inputs that gave no document (unreadable, invalid, a repeated id): not in the output.
    skipped: tuple[Skipped, ...]
    #: Documents with no words to compare: written, as nothing says they are copies.
    not_compared: tuple[Skipped, ...]
    #: One line on the documents whose date field did not parse (undated), or None.
    unparsed_dates: str | None = None


def dedupe_paths(
    paths: Sequence[PathArg],
    output: PathArg,
    keep: KeepPolicy | str = KeepPolicy.EARLIEST,
    relations: Iterable[Relation | str] = DEFAULT_RELATIONS,
    config: ScanConfig = ScanConfig(),
    *,
    removals_to: PathArg | None = None,
    jobs: int = 1,
) -> DedupeRun:
    """Write the inputs without their copies to ``output`` (JSONL, compressed or not → a JSONL
    file of the kept lines, compressed as ``output``'s suffix says; Parquet → a Parquet file of
    the kept rows; CSV, TSV, JSON arrays → the kept records in that format; text files and
    folders → a new folder of the kept files, at their ids), and the removal map to
    ``removals_to``.

    Nothing is written when no input gives a document. Raises ConfigError for inputs of mixed
    formats or an output that is an input, OutputError when an output cannot be written.
    """
    names = [os.fspath(path) for path in paths]
    target = os.fspath(output)
    policy, chosen = keep_policy(keep), parse_relations(relations)
    kind = input_kind(names)
    _check_output(names, target, kind)
    if removals_to is not None:
        _check_output(names, os.fspath(removals_to), InputKind.JSONL)
        if os.path.realpath(removals_to) == os.path.realpath(target):
            raise ConfigError("the removal map and the output must be different files")
    for written in (target, removals_to):
        if written is not None:
            recover(os.fspath(written))  # a commit a kill interrupted; dead writers' temporaries
    if kind is InputKind.PARQUET:
        pyarrow_parquet()  # before any work: MissingExtraError names the install command
    corpus = Corpus(names, kind, config.load)
    # Texts are read again from the inputs when needed: the scan holds sketches, not texts.
    result = scan_sourced(corpus.sourced(), scan_config_for(config, policy, chosen), jobs=jobs)
    found, not_compared = deduplicate(result, policy, chosen), result.skipped
    del result  # the texts: the output is copied from the inputs
    documents = len(corpus.place_of)
    run = DedupeRun(found, kind, documents, documents - len(found.removed),
                    tuple(corpus.skipped), not_compared,
                    unparsed_notice(corpus.unparsed_dates))  # fmt: skip
    if documents:
        _write(corpus, found, target, removals_to)
    return run


def _check_output(inputs: Sequence[str], target: str, kind: InputKind) -> None:
    real = os.path.realpath(target)
    if any(os.path.realpath(path) == real for path in inputs):
        raise ConfigError(f"the output {target} is one of the inputs; choose another path")
    problem = folder_problem(target) if kind is InputKind.FILES else None
    if problem is None and not Path(target).parent.is_dir():
        problem = f"no such folder: {Path(target).parent}"
    if problem is None and kind is not InputKind.FILES and Path(target).is_dir():
        problem = "is a folder"
    if problem is not None:
        raise OutputError(f"cannot write {target}: {problem}")


def _write(corpus: Corpus, found: Deduplication, target: str, removals: PathArg | None) -> None:
    keep = kept_places(corpus, found.removed)
    note = {"keep": found.keep.value, "relations": sorted(r.value for r in found.relations)}
    staging = Staging()
    try:
        _write_output(corpus, keep, target, note, staging)
        if removals is not None:
            header = {**note, "documents": len(corpus.place_of), "removed": len(found.removed)}
            where = os.fspath(removals)
            try:
                write_removals(where, header, found.removed.values(), staging)
            except OSError as error:
                raise OutputError(f"cannot write {where}: {_reason(error)}") from error
        try:
            staging.commit()
        except OSError as error:
            raise OutputError(f"cannot write {target}: {_reason(error)}") from error
    finally:
        staging.discard()  # an error or an interrupt: no temporary stays behind


def _write_output(
    corpus: Corpus, keep: Keep, target: str, note: dict[str, Any], staging: Staging
) -> None:
    try:
        if corpus.kind is InputKind.JSONL:
            write_jsonl(corpus, keep, target, staging)
        elif corpus.kind is InputKind.PARQUET:
            write_parquet(corpus, keep, target, note, staging)
        elif corpus.kind is InputKind.RECORDS:
            write_records(corpus, keep, target, staging)
        else:
            ids = {i: p[0] for i, p in corpus.place_of.items()}
            write_folder(corpus, keep, target, ids, staging)
    except (OSError, ValueError) as error:
        raise OutputError(f"cannot write {target}: {_reason(error)}") from error


def _reason(error: Exception) -> str:
    return (error.strerror if isinstance(error, OSError) else None) or str(error)
