"""Inputs as partitions: byte ranges of JSONL files, Parquet row groups, runs of other files.

The client only lists files and reads their sizes (and Parquet footers); the workers read the
records with dedup's own loaders, so a bad line or file is reported exactly as ``dedup.scan``
reports it. A JSONL line belongs to the block where its first byte lies, and its number is one
more than the newlines before that byte (counted on the workers first), so fallback ids
(``file:line``) and ``path:line`` in the skipped list match a local run.
"""

from __future__ import annotations

import codecs
import itertools
import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Literal

import attrs

from dedup.config import LoadConfig
from dedup.loading.files import InputFile, check_regular, expand
from dedup.loading.formats import format_of, read_input
from dedup.loading.jsonl import Located, read_line
from dedup.loading.parquet import read_row_group, row_groups
from dedup.loading.streams import STDIN, seekable
from dedup.model import Skipped

#: Plain, markdown and HTML files read by one task: enough to amortise a task's overhead.
FILES_PER_PART = 512


@attrs.frozen
class Shard:
    """One partition's input.

    ``jsonl``: the lines of ``path`` that start in bytes ``[start, stop)``, the first of them
    numbered ``first_line``. ``parquet``: row group ``start`` of ``path``, its first row numbered
    ``first_line``. ``files``: whole files, read as ``dedup.load`` reads them.
    """

    kind: Literal["jsonl", "parquet", "files"]
    path: str = ""
    file_id: str = ""
    start: int = 0
    stop: int = 0
    first_line: int = 1
    files: tuple[InputFile, ...] = ()


@attrs.frozen
class Loaded:
    """What a shard gave, in reading order; ``records`` counts its non-blank lines or rows."""

    items: tuple[Located | Skipped, ...]
    records: int
    #: Whether each document's text can be read again from its ``Located`` path and offset
    #: (files and JSONL lines; not Parquet rows, which have no byte offset).
    rereadable: bool = True


#: The plan of a scan: shards, and inputs the client already knows are unusable, in input order.
Unit = Shard | Skipped


def plan(paths: Sequence[str], block_bytes: int) -> list[Unit]:
    """The shards (JSONL block line numbers not yet set) and early skips, in ``load`` order."""
    units: list[Unit] = []
    run: list[InputFile] = []
    for item in expand(list(paths)):
        split = "whole" if isinstance(item, Skipped) else _split(item.path)
        if isinstance(item, InputFile) and split == "whole":
            run.append(item)
            continue
        units.extend(_file_runs(run))
        run = []
        if isinstance(item, Skipped):
            units.append(item)
        elif split == "stdin":
            units.append(Skipped(item.path, "standard input cannot be read by Dask workers; "
                                 "save it to a file, or use --backend local"))
        elif split == "lines":
            units.extend(_jsonl_blocks(item, block_bytes))
        else:
            units.extend(_parquet_groups(item))
    units.extend(_file_runs(run))
    return units


def _split(path: str) -> str:
    """How a file is cut into partitions (its format's ``split``): a compressed JSONL file
    cannot be cut at byte offsets, so it is read whole by one task."""
    if path == STDIN:
        # Workers cannot read the client's standard input.
        return "stdin"
    split = format_of(path).split
    return split if split != "lines" or seekable(path) else "whole"


def _file_runs(files: Sequence[InputFile]) -> Iterator[Shard]:
    for start in range(0, len(files), FILES_PER_PART):
        yield Shard("files", files=tuple(files[start : start + FILES_PER_PART]))


def _jsonl_blocks(item: InputFile, block_bytes: int) -> Iterator[Unit]:
    unreadable = check_regular(item.path)
    if unreadable is not None:
        yield unreadable
        return
    size = Path(item.path).stat().st_size
    for start in range(0, max(size, 1), block_bytes):
        yield Shard("jsonl", item.path, item.doc_id, start, min(start + block_bytes, size))


def _parquet_groups(item: InputFile) -> Iterator[Unit]:
    sizes = row_groups(item.path)
    if isinstance(sizes, Skipped):
        yield sizes
        return
    if not sum(sizes):
        yield Skipped(item.path, "empty file")
    firsts = itertools.accumulate([1, *sizes])
    for group, first in zip(range(len(sizes)), firsts, strict=False):
        yield Shard("parquet", item.path, item.doc_id, group, group + 1, first)


def count_newlines(shard: Shard) -> int:
    """Newlines in the shard's byte range (a worker task: the client never reads the data)."""
    with Path(shard.path).open("rb") as handle:
        handle.seek(shard.start)
        remaining, found = shard.stop - shard.start, 0
        while remaining > 0:
            chunk = handle.read(min(remaining, 1 << 24))
            if not chunk:
                break
            found += chunk.count(b"\n")
            remaining -= len(chunk)
    return found


def number_lines(units: Sequence[Unit], newlines: Iterable[int]) -> list[Unit]:
    """The plan with each JSONL block's first line number, from every block's newline count."""
    counts = iter(newlines)
    numbered: list[Unit] = []
    before: dict[str, int] = {}
    for unit in units:
        if isinstance(unit, Shard) and unit.kind == "jsonl":
            seen = before.get(unit.path, 0)
            numbered.append(attrs.evolve(unit, first_line=seen + 1))
            before[unit.path] = seen + next(counts)
        else:
            numbered.append(unit)
    return numbered


def read_shard(shard: Shard, config: LoadConfig) -> Loaded:
    """The documents and skips of one shard (a worker task)."""
    if shard.kind == "files":
        read = tuple(r for item in shard.files for r in read_input(item, config))
        return Loaded(read, len(read))
    reader = _jsonl_lines if shard.kind == "jsonl" else _parquet_rows
    found: list[Located | Skipped] = []
    problem = None
    try:
        found.extend(reader(shard, config))
    except OSError as error:
        problem = Skipped(shard.path, f"cannot read: {error.strerror or error}")
    except ValueError as error:  # a Parquet row group that does not decode
        problem = Skipped(shard.path, f"cannot read as Parquet: {error}")
    records = len(found)
    items = (*found, problem) if problem else tuple(found)
    return Loaded(items, records, rereadable=shard.kind == "jsonl")


def _jsonl_lines(shard: Shard, config: LoadConfig) -> Iterator[Located | Skipped]:
    with Path(shard.path).open("rb") as handle:
        position, lineno = shard.start, shard.first_line
        if position > 0:
            # The rest of a line that starts in the block before belongs to that block, and
            # the line after it is one further on than the newlines before this block say.
            handle.seek(position - 1)
            rest = handle.readline()
            position += len(rest) - 1
            lineno += rest != b"\n"
        while position < shard.stop:
            start = position
            raw = handle.readline()
            if not raw:
                break
            position += len(raw)
            if lineno == 1:
                text = raw.removeprefix(codecs.BOM_UTF8)
                start, raw = start + len(raw) - len(text), text
            if raw.strip():
                yield read_line(raw, lineno, shard.file_id, shard.path, config, start)
            lineno += 1


def _parquet_rows(shard: Shard, config: LoadConfig) -> Iterator[Located | Skipped]:
    return read_row_group(shard.path, shard.start, shard.first_line, shard.file_id, config)


def empty_files(units: Sequence[Unit], records: dict[int, int]) -> set[int]:
    """The units that end a JSONL file none of whose blocks had a line (``records``: lines per
    unit index); ``dedup.scan`` reports such a file as ``empty file`` after reading it."""
    lines: dict[str, int] = {}
    last: dict[str, int] = {}
    for index, unit in enumerate(units):
        if isinstance(unit, Shard) and unit.kind == "jsonl":
            lines[unit.path] = lines.get(unit.path, 0) + records[index]
            last[unit.path] = index
    return {last[path] for path, count in lines.items() if not count}


def fspaths(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]]) -> list[str]:
    """The inputs as a list of path strings (a lone path is one input, as in ``dedup.scan``)."""
    if isinstance(paths, str | os.PathLike):
        return [os.fspath(paths)]
    return [os.fspath(path) for path in paths]
