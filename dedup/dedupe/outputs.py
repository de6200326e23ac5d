"""Writing what ``dedup dedupe`` keeps, in the input's format, and the removal map.

Every output is atomic: a file is written to a temporary file beside it and renamed over the
target only when complete, a folder is built in a temporary folder beside it and renamed; an
error or an interrupt removes the temporary and leaves whatever was there before untouched.
The kept records are copied from the inputs, read a second time, so memory does not grow with
the corpus.
"""

from __future__ import annotations

import codecs
import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import numpy.typing as npt

from dedup.dedupe.inputs import PARQUET_BATCH, Corpus, pyarrow_parquet
from dedup.dedupe.removal import Removal

#: The removal map's header line names this format.
REMOVALS_SCHEMA = "dedup.removals/1"
Keep = Callable[[int], npt.NDArray[np.bool_]]


@contextlib.contextmanager
def atomic_file(target: str) -> Iterator[str]:
    """A temporary path beside ``target``, renamed to it when the block completes."""
    final = Path(target)
    handle, temporary = tempfile.mkstemp(dir=final.parent, prefix=f".{final.name}.", suffix=".tmp")
    os.close(handle)
    try:
        yield temporary
        with Path(temporary).open("rb") as written:
            os.fsync(written.fileno())
        Path(temporary).replace(final)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def atomic_folder(target: str) -> Iterator[Path]:
    """A temporary folder beside ``target``, renamed to it when the block completes
    (``target`` must not exist, or be an empty folder)."""
    final = Path(target)
    temporary = Path(tempfile.mkdtemp(dir=final.parent, prefix=f".{final.name}.", suffix=".tmp"))
    try:
        yield temporary
        temporary.replace(final)  # POSIX rename replaces an empty folder
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise


def folder_problem(target: str) -> str | None:
    """Why ``target`` cannot become the output folder, or None."""
    final = Path(target)
    if final.exists() and not (final.is_dir() and not any(final.iterdir())):
        return "already exists (a folder output must be new or an empty folder)"
    return None if final.parent.is_dir() else f"no such folder: {final.parent}"


def kept_places(corpus: Corpus, removed: Iterable[str]) -> Keep:
    """``keep(i)``: per document place of file ``i`` (in ``corpus.places[i]`` order), whether it
    is written."""
    dropped: dict[int, list[int]] = {}
    for doc_id in removed:
        index, number = corpus.place_of[doc_id]
        dropped.setdefault(index, []).append(number)

    def keep(index: int) -> npt.NDArray[np.bool_]:
        places = np.frombuffer(corpus.places[index], dtype=np.int64)
        return ~np.isin(places, np.asarray(dropped.get(index, []), dtype=np.int64))

    return keep


def write_jsonl(corpus: Corpus, keep: Keep, target: str) -> None:
    """The kept lines, byte for byte as in the input (a BOM dropped, a final newline added)."""
    with atomic_file(target) as temporary, Path(temporary).open("wb") as out:
        for index, path in enumerate(corpus.files):
            wanted = _wanted(corpus, keep, index)
            with Path(path).open("rb") as lines:
                for number, raw in enumerate(lines, start=1):
                    if number < wanted.size and wanted[number]:
                        _write_line(out, raw.removeprefix(codecs.BOM_UTF8) if number == 1 else raw)


def _wanted(corpus: Corpus, keep: Keep, index: int) -> npt.NDArray[np.bool_]:
    """Indexed by line or row number: whether it is written."""
    places = np.frombuffer(corpus.places[index], dtype=np.int64)
    wanted = np.zeros(int(places.max(initial=0)) + 1, dtype=bool)
    wanted[places[keep(index)]] = True
    return wanted


def _write_line(out: BinaryIO, raw: bytes) -> None:
    out.write(raw if raw.endswith(b"\n") else raw + b"\n")


def write_folder(corpus: Corpus, keep: Keep, target: str, ids: Mapping[str, int]) -> None:
    """The kept files copied into a new folder ``target``, each at its id (its path relative to
    the inputs' root). ``ids`` maps each document id to its file index."""
    with atomic_folder(target) as temporary:
        for doc_id, index in ids.items():
            if keep(index)[0]:
                destination = temporary / doc_id
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(corpus.files[index], destination)


def write_parquet(corpus: Corpus, keep: Keep, target: str, note: Mapping[str, Any]) -> None:
    """The kept rows with all their columns; the files must share a schema. ``note`` (the
    policy) goes into the schema metadata under ``dedup``."""
    pq = pyarrow_parquet()
    with atomic_file(target) as temporary:
        writer = None
        try:
            for index, path in enumerate(corpus.files):
                source = pq.ParquetFile(path)
                schema = source.schema_arrow
                if writer is None:
                    metadata = {**(schema.metadata or {}), b"dedup": json.dumps(note).encode()}
                    writer = pq.ParquetWriter(temporary, schema.with_metadata(metadata))
                elif not schema.remove_metadata().equals(writer.schema.remove_metadata()):
                    raise ValueError(f"{path} has other columns than {corpus.files[0]}")
                _copy_rows(source, corpus, keep, index, writer)
        finally:
            if writer is not None:
                writer.close()


def _copy_rows(source: Any, corpus: Corpus, keep: Keep, index: int, writer: Any) -> None:
    wanted = _wanted(corpus, keep, index)
    row = 0
    for batch in source.iter_batches(batch_size=PARQUET_BATCH):
        mask = np.zeros(batch.num_rows, dtype=bool)
        known = wanted[row + 1 : row + 1 + batch.num_rows]
        mask[: known.size] = known
        row += batch.num_rows
        if mask.any():
            writer.write_batch(batch.filter(mask))


def write_removals(target: str, header: Mapping[str, Any], removals: Iterable[Removal]) -> None:
    """The removal map: a header line (format, policy, counts), then one line per removed
    document."""
    with atomic_file(target) as temporary, Path(temporary).open("w", encoding="utf-8") as out:
        out.write(json.dumps({"schema": REMOVALS_SCHEMA, **header}) + "\n")
        for removal in removals:
            out.write(json.dumps(removal_record(removal), ensure_ascii=False) + "\n")


def removal_record(removal: Removal) -> dict[str, Any]:
    """One line of the removal map."""
    return {
        "removed": removal.id,
        "kept": removal.kept,
        "relation": removal.relation.value,
        "jaccard": round(removal.jaccard, 6),
        "containment": {
            "removed_in_partner": round(removal.containment.a_in_b, 6),
            "partner_in_removed": round(removal.containment.b_in_a, 6),
        },
        "via": removal.via,
    }
