"""Writing what ``dedup dedupe`` keeps, in the input's format, and the removal map.

Every output is atomic: a file is written to a temporary file beside it and renamed over the
target only when complete, a folder is built in a temporary folder beside it and renamed; an
error or an interrupt removes the temporary and leaves whatever was there before untouched.
The output and the removal map are renamed together (``Staging``), under a journal that the
next run completes if a kill fell between the two renames.
The kept records are copied from the inputs, read a second time, so memory does not grow with
the corpus.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import glob
import io
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import numpy.typing as npt

from dedup.deduplication.inputs import PARQUET_BATCH, Corpus, pyarrow_parquet
from dedup.deduplication.removal import Removal
from dedup.loading.formats import format_of
from dedup.loading.records import iter_records
from dedup.loading.streams import COMPRESSIONS, open_binary, open_write, suffixes

#: The removal map's header line names this format.
REMOVALS_SCHEMA = "dedup.removals/1"
Keep = Callable[[int], npt.NDArray[np.bool_]]


def umask_mode(base: int) -> int:
    """``base`` (0o666 for files, 0o777 for folders) less the process's umask, as ``open`` and
    ``mkdir`` would give; ``mkstemp`` and ``mkdtemp`` give 0600 and 0700 whatever the umask."""
    mask = os.umask(0o022)
    os.umask(mask)
    return base & ~mask


def _temporary_prefix(final: Path) -> str:
    # The pid in the name tells a later run whether the writer is still alive (stale_temporaries).
    return f".{final.name}.{os.getpid()}."


class Staging:
    """Outputs written to temporaries and renamed into place together (``commit``).

    ``commit`` first writes a journal beside the first target naming every rename, then renames,
    then removes the journal: after a kill between the renames, ``recover`` (run by the next
    ``dedupe`` into the same target) completes them, so the output and the removal map never
    stay from different runs. Without ``commit`` (an error, an interrupt) every temporary goes.
    """

    def __init__(self) -> None:
        self._renames: list[tuple[Path, Path]] = []

    def stage(self, temporary: Path, final: Path) -> None:
        """Rename ``temporary`` to ``final`` at ``commit``."""
        self._renames.append((temporary, final))

    def discard(self) -> None:
        """Remove every temporary staged so far."""
        for temporary, _ in self._renames:
            _remove(temporary)
        self._renames.clear()

    def commit(self) -> None:
        """Rename every staged temporary to its target, all or (after a crash, once recovered)
        none."""
        if not self._renames:
            return
        journal = journal_path(self._renames[0][1])
        record = [[str(temporary), str(final)] for temporary, final in self._renames]
        with atomic_file(str(journal)) as temporary, Path(temporary).open("w") as out:
            json.dump({"renames": record}, out)
        # From here the journal owns the temporaries: an interrupt must not discard them.
        renames, self._renames = self._renames, []
        _apply(renames)
        journal.unlink(missing_ok=True)


def journal_path(target: Path) -> Path:
    """Where the commit journal of the outputs headed by ``target`` lies."""
    return target.parent / f".{target.name}.dedup-commit.json"


def recover(target: str) -> None:
    """Complete a commit that a kill interrupted (its journal still lies beside ``target``),
    then remove the temporaries of dead writers beside ``target``."""
    journal = journal_path(Path(target))
    try:
        renames = json.loads(journal.read_text("utf-8"))["renames"]
        _apply([(Path(temporary), Path(final)) for temporary, final in renames])
    except (OSError, ValueError, KeyError, TypeError):
        pass  # no journal, or one torn before it was complete: nothing was renamed
    journal.unlink(missing_ok=True)
    for stale in stale_temporaries(target):
        _remove(stale)


def stale_temporaries(target: str) -> list[Path]:
    """Temporaries beside ``target`` left by writers that no longer run (killed, power loss)."""
    final = Path(target)
    found = []
    with contextlib.suppress(OSError):
        for path in final.parent.glob(f".{glob.escape(final.name)}.*.tmp"):
            pid = path.name[len(final.name) + 2 :].split(".", 1)[0]
            if pid.isdigit() and not _alive(int(pid)):
                found.append(path)
    return found


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError: it runs, as another user
        return True
    return True


def _apply(renames: list[tuple[Path, Path]]) -> None:
    for temporary, final in renames:
        if temporary.exists():
            temporary.replace(final)  # POSIX rename replaces a file, or an empty folder


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


@contextlib.contextmanager
def atomic_file(target: str, staging: Staging | None = None) -> Iterator[str]:
    """A temporary path beside ``target``, renamed to it when the block completes (or staged
    for ``staging.commit``); it takes the mode a new file would have under the umask."""
    final = Path(target)
    handle, temporary = tempfile.mkstemp(dir=final.parent, prefix=_temporary_prefix(final),
                                         suffix=".tmp")  # fmt: skip
    os.close(handle)
    try:
        Path(temporary).chmod(umask_mode(0o666))
        yield temporary
        with Path(temporary).open("rb") as written:
            os.fsync(written.fileno())
        if staging is None:
            Path(temporary).replace(final)
        else:
            staging.stage(Path(temporary), final)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def atomic_folder(target: str, staging: Staging | None = None) -> Iterator[Path]:
    """A temporary folder beside ``target``, renamed to it when the block completes, or staged
    for ``staging.commit`` (``target`` must not exist, or be an empty folder)."""
    final = Path(target)
    temporary = Path(tempfile.mkdtemp(dir=final.parent, prefix=_temporary_prefix(final),
                                      suffix=".tmp"))  # fmt: skip
    try:
        temporary.chmod(umask_mode(0o777))
        yield temporary
        if staging is None:
            temporary.replace(final)
        else:
            staging.stage(temporary, final)
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


def write_jsonl(corpus: Corpus, keep: Keep, target: str, staging: Staging | None = None) -> None:
    """The kept lines, byte for byte as in the input (a BOM dropped, a final newline added),
    compressed as the target's suffix says (``kept.jsonl.gz``)."""
    with atomic_file(target, staging) as temporary, open_write_as(temporary, target) as out:
        for index, path in enumerate(corpus.files):
            wanted = _wanted(corpus, keep, index)
            with open_binary(path) as lines:
                for number, raw in enumerate(lines, start=1):
                    if number < wanted.size and wanted[number]:
                        _write_line(out, raw.removeprefix(codecs.BOM_UTF8) if number == 1 else raw)


def open_write_as(temporary: str, target: str) -> contextlib.AbstractContextManager[BinaryIO]:
    """``temporary`` opened for writing, compressed as ``target``'s suffix says."""
    compression = suffixes(target)[1]
    suffix = next((s for s, c in COMPRESSIONS.items() if c == compression), "")
    if not suffix:
        return Path(temporary).open("wb")
    return _renamed_write(temporary, suffix)


@contextlib.contextmanager
def _renamed_write(temporary: str, suffix: str) -> Iterator[BinaryIO]:
    # open_write compresses by the name's suffix; the temporary's own name ends in .tmp.
    with open_write(temporary + suffix) as out:
        yield out
    Path(temporary + suffix).replace(temporary)


def write_records(corpus: Corpus, keep: Keep, target: str, staging: Staging | None = None) -> None:
    """The kept records of CSV, TSV or JSON-array inputs, in the format of the first input
    (CSV and TSV under the first file's header: columns other files add are left out)."""
    delimiter = {"csv": ",", "tsv": "\t"}.get(format_of(corpus.files[0]).name)
    with atomic_file(target, staging) as temporary, open_write_as(temporary, target) as out:
        text = io.TextIOWrapper(out, encoding="utf-8", newline="")
        try:
            kept = _kept_records(corpus, keep, delimiter)
            if delimiter is None:
                _write_json_array(text, kept)
            else:
                _write_delimited(text, kept, delimiter)
        finally:
            text.flush()
            text.detach()


def _kept_records(
    corpus: Corpus, keep: Keep, delimiter: str | None
) -> Iterator[dict[str, Any]]:
    for index, path in enumerate(corpus.files):
        wanted = _wanted(corpus, keep, index)
        for number, record in enumerate(iter_records(path, delimiter, corpus.config), start=1):
            if number < wanted.size and wanted[number]:
                yield record


def _write_json_array(out: io.TextIOWrapper, records: Iterable[dict[str, Any]]) -> None:
    out.write("[")
    for count, record in enumerate(records):
        out.write(",\n" if count else "\n")
        out.write(json.dumps(record, ensure_ascii=False))
    out.write("\n]\n")


def _write_delimited(
    out: io.TextIOWrapper, records: Iterator[dict[str, Any]], delimiter: str
) -> None:
    first = next(records, None)
    if first is None:
        return
    writer = csv.DictWriter(out, fieldnames=list(first), delimiter=delimiter,
                            extrasaction="ignore")  # fmt: skip
    writer.writeheader()
    writer.writerow(first)
    writer.writerows(records)


def _wanted(corpus: Corpus, keep: Keep, index: int) -> npt.NDArray[np.bool_]:
    """Indexed by line or row number: whether it is written."""
    places = np.frombuffer(corpus.places[index], dtype=np.int64)
    wanted = np.zeros(int(places.max(initial=0)) + 1, dtype=bool)
    wanted[places[keep(index)]] = True
    return wanted


def _write_line(out: BinaryIO, raw: bytes) -> None:
    out.write(raw if raw.endswith(b"\n") else raw + b"\n")


def write_folder(
    corpus: Corpus, keep: Keep, target: str, ids: Mapping[str, int], staging: Staging | None = None
) -> None:
    """The kept files copied into a new folder ``target``, each at its id (its path relative to
    the inputs' root). ``ids`` maps each document id to its file index."""
    with atomic_folder(target, staging) as temporary:
        for doc_id, index in ids.items():
            if keep(index)[0]:
                destination = temporary / doc_id
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(corpus.files[index], destination)


def write_parquet(
    corpus: Corpus,
    keep: Keep,
    target: str,
    note: Mapping[str, Any],
    staging: Staging | None = None,
) -> None:
    """The kept rows with all their columns; the files must share a schema. ``note`` (the
    policy) goes into the schema metadata under ``dedup``."""
    pq = pyarrow_parquet()
    with atomic_file(target, staging) as temporary:
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


def write_removals(
    target: str,
    header: Mapping[str, Any],
    removals: Iterable[Removal],
    staging: Staging | None = None,
) -> None:
    """The removal map: a header line (format, policy, counts), then one line per removed
    document."""
    with (
        atomic_file(target, staging) as temporary,
        Path(temporary).open("w", encoding="utf-8") as out,
    ):
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
