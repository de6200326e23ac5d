"""Faults and concurrency: a writer killed mid-batch, readers beside a writer, two writers."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from dedup import Document, Index, IndexBusyError, Relation
from dedup.features import BATCH

from .material import WRITER, texts

TOTAL = 12 * BATCH


def start_writer(db: Path, count: int = TOTAL) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, str(WRITER), str(db), str(count)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def committed(db: Path) -> int:
    """Documents a fresh reader sees (0 while the file is not made yet)."""
    try:
        with Index.open(db, create=False) as index:
            return len(index)
    except Exception:
        return 0


def wait_for(db: Path, at_least: int, writer: subprocess.Popen[str]) -> int:
    deadline = time.monotonic() + 120
    while (seen := committed(db)) < at_least:
        if writer.poll() is not None:
            out, err = writer.communicate()
            raise AssertionError(f"the writer ended ({writer.returncode}): {out} {err}")
        assert time.monotonic() < deadline, "the writer made no progress"
        time.sleep(0.02)
    return seen


def check_consistent(db: Path) -> int:
    """Every document has its bands and samples: the index is before or after each batch."""
    with sqlite3.connect(db) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        documents = raw.execute("SELECT count(*) FROM documents").fetchone()[0]
        for table in ("copies_sig", "stories_sig"):
            assert raw.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == documents
        orphans = raw.execute(
            "SELECT count(*) FROM copies WHERE doc NOT IN (SELECT id FROM documents)"
        ).fetchone()[0]
        assert orphans == 0
    assert documents % BATCH == 0  # whole batches only
    return int(documents)


@pytest.mark.parametrize("after_batches", [1, 3])
def test_a_writer_killed_mid_batch_leaves_a_whole_index_and_the_next_add_resumes(
    tmp_path: Path, after_batches: int
) -> None:
    db = tmp_path / "news.dedup"
    writer = start_writer(db)
    wait_for(db, after_batches * BATCH, writer)
    time.sleep(0.05)  # into the next batch: sketching it, or writing it
    writer.send_signal(signal.SIGKILL)
    writer.wait()
    kept = check_consistent(db)
    assert after_batches * BATCH <= kept < TOTAL
    docs = texts(TOTAL)
    with Index.open(db, create=False) as index:
        (match,) = index.query(Document("q", docs[kept - 1]))
        assert (match.doc_id, match.relation) == (f"d{kept - 1:05d}", Relation.EXACT_DUPLICATE)
        assert index.query(Document("q", docs[kept])) == ()  # the interrupted batch is absent
    resumed = start_writer(db)
    out, err = resumed.communicate(timeout=300)
    assert resumed.returncode == 0, err
    assert out.split() == [str(TOTAL - kept), str(kept)]  # added, unchanged
    assert check_consistent(db) == TOTAL


def test_readers_see_whole_batches_while_a_writer_adds(tmp_path: Path) -> None:
    db = tmp_path / "news.dedup"
    writer = start_writer(db, 8 * BATCH)
    wait_for(db, BATCH, writer)
    docs = texts(8 * BATCH)
    seen = []
    with Index.open(db, create=False) as reader:
        while writer.poll() is None:
            count = len(reader)
            seen.append(count)
            assert count % BATCH == 0
            # A document of the last whole batch is always found, with its bands.
            (match,) = reader.query(Document("q", docs[count - 1]))
            assert match.relation is Relation.EXACT_DUPLICATE
    assert writer.returncode == 0, writer.stderr.read() if writer.stderr else ""
    assert seen == sorted(seen) and len(set(seen)) > 1


def test_a_second_writer_waits_for_the_first_then_goes_on(tmp_path: Path) -> None:
    db = tmp_path / "news.dedup"
    Index.open(db).close()
    holder = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")  # another process in the middle of a batch
    threading.Timer(0.5, holder.execute, args=("COMMIT",)).start()
    with Index.open(db, timeout=10) as index:
        started = time.monotonic()
        assert index.add([Document("a", texts(1)[0])]).added == ("a",)
    assert time.monotonic() - started >= 0.4
    holder.close()


def test_a_second_writer_that_waits_too_long_gets_a_clear_error(tmp_path: Path) -> None:
    db = tmp_path / "news.dedup"
    Index.open(db).close()
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with Index.open(db, timeout=0.2) as index:
            with pytest.raises(IndexBusyError, match="another process is writing"):
                index.add([Document("a", texts(1)[0])])
            assert len(index) == 0  # readers are not blocked by the writer
    finally:
        holder.close()
