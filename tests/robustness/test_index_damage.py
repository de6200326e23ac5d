"""Issue #23, case 6 (and 9's order of ties): a damaged index gives IndexFileError naming the
file, never a traceback; no write commits into a damaged file; a read-only index can be read;
query answers do not depend on the order documents were added."""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
import stat
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from dedup import Document, Index
from dedup.cli import main

from .corpus import COPY, STORY

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
RUNS = 48  # corruptions per sweep; each runs five commands (about 15 s in all)


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index of the seeds and two more documents, checkpointed into one file."""
    db = tmp_path_factory.mktemp("index") / "pristine.db"
    with Index.open(db, create=True) as index:
        index.add_paths([SEEDS])
        index.add([Document("story", STORY), Document("copy", COPY)])
    with sqlite3.connect(db) as raw:
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return db


def _overwrite_page(db: Path, rng: random.Random) -> None:
    data = bytearray(db.read_bytes())
    page = 4096
    start = page * rng.randrange(1, max(2, len(data) // page))
    junk = rng.choice([bytes(page), rng.randbytes(page), b"\xff" * page])
    data[start : start + page] = junk[: len(data) - start]
    db.write_bytes(bytes(data))


def _flip_bytes(db: Path, rng: random.Random) -> None:
    data = bytearray(db.read_bytes())
    for _ in range(rng.randint(1, 40)):
        data[rng.randrange(100, len(data))] ^= 1 << rng.randrange(8)
    db.write_bytes(bytes(data))


def _truncate(db: Path, rng: random.Random) -> None:
    data = db.read_bytes()
    db.write_bytes(data[: rng.randrange(4096, len(data))])


def _edit_meta(db: Path, rng: random.Random) -> None:
    value = rng.choice(['{"sketch": 3}', "not json", "[]", '{"normalize": {}}', ""])
    with sqlite3.connect(db) as raw:
        raw.execute("UPDATE meta SET value = ? WHERE key = 'params'", (value,))


def _edit_blobs(db: Path, rng: random.Random) -> None:
    column = rng.choice(["text", "shingles", "metadata", "content_hash", "text_key"])
    value: object = rng.choice([b"", rng.randbytes(7), zlib.compress(b"\xff\xfe"), "text", 3])
    with sqlite3.connect(db) as raw:
        raw.execute(f"UPDATE documents SET {column} = ?", (value,))  # noqa: S608


def _drop_table(db: Path, rng: random.Random) -> None:
    with sqlite3.connect(db) as raw:
        tables = [row[0] for row in raw.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        raw.execute(f"DROP TABLE {rng.choice(tables)}")


DAMAGE: list[Callable[[Path, random.Random], None]] = [
    _overwrite_page, _flip_bytes, _truncate, _edit_meta, _edit_blobs, _drop_table,
]  # fmt: skip


def _commands(db: Path, query: Path) -> list[list[str]]:
    return [
        ["index", "stats", "--db", str(db)],
        ["query", str(query), "--db", str(db)],
        ["scan", "--db", str(db), "-q", "-j", "1"],
        ["index", "remove", "story", "--db", str(db)],
        ["index", "add", str(query), "--db", str(db), "-j", "1"],
    ]


def _integrity(db: Path, pragma: str = "integrity_check") -> bool:
    try:
        with sqlite3.connect(db) as raw:
            return [row[0] for row in raw.execute(f"PRAGMA {pragma}")] == ["ok"]
    except sqlite3.DatabaseError:
        return False


@pytest.mark.parametrize("seed", range(RUNS))
def test_damage_gives_an_error_naming_the_file_never_a_traceback(
    seed: int, pristine: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rng = random.Random(seed)
    db = tmp_path / "damaged.db"
    shutil.copy(pristine, db)
    damage = DAMAGE[seed % len(DAMAGE)]
    damage(db, rng)
    query = tmp_path / "query.txt"
    query.write_text(COPY, encoding="utf-8")
    for args in _commands(db, query):
        # remove checks the whole file; add checks pages and records (quick_check) only.
        pragma = "integrity_check" if args[1] == "remove" else "quick_check"
        was_intact = _integrity(db, pragma)
        code = main(args)
        err = capsys.readouterr().err
        assert "Traceback" not in err, (damage.__name__, args, err)
        assert code in (0, 1), (damage.__name__, args, code, err)
        if code == 1:
            assert str(db) in err, (damage.__name__, args, err)
        if code == 0 and args[1] in ("remove", "add"):
            # A write that succeeded found the file sound, and left it sound.
            assert was_intact and _integrity(db, pragma), (damage.__name__, args)


def test_remove_refuses_to_commit_into_a_damaged_file(
    pristine: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "damaged.db"
    shutil.copy(pristine, db)
    with sqlite3.connect(db) as raw:
        # A damaged index: the samples index lost rows its table holds.
        root = raw.execute("SELECT rootpage FROM sqlite_master WHERE name='documents_text_key'")
        page = int(root.fetchone()[0])
    data = bytearray(db.read_bytes())
    data[(page - 1) * 4096 + 8 : page * 4096] = bytes(4096 - 8)
    db.write_bytes(bytes(data))
    assert not _integrity(db)

    code = main(["index", "remove", "story", "--db", str(db)])

    err = capsys.readouterr().err
    assert code == 1
    assert "damaged" in err or "corrupt" in err


@pytest.fixture
def read_only(pristine: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "locked"
    folder.mkdir()
    db = folder / "index.db"
    shutil.copy(pristine, db)
    db.chmod(stat.S_IRUSR)
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    if os.geteuid() == 0:  # root writes anywhere: let the index see the folder as others would
        real_access = os.access
        monkeypatch.setattr(os, "access", lambda path, mode, **kw: (
            False if mode & os.W_OK and str(path).startswith(str(folder)) else
            real_access(path, mode, **kw)))  # fmt: skip
    yield db
    folder.chmod(stat.S_IRWXU)


def test_an_index_in_a_read_only_folder_can_be_read(
    read_only: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    query = tmp_path / "query.txt"
    query.write_text(COPY, encoding="utf-8")
    for args in (["index", "stats", "--db", str(read_only)],
                 ["query", str(query), "--db", str(read_only)],
                 ["scan", "--db", str(read_only), "-q", "-j", "1"]):  # fmt: skip
        code = main(args)
        captured = capsys.readouterr()
        assert code == 0, (args, captured.err)
    assert sorted(p.name for p in read_only.parent.iterdir()) == ["index.db"]
    code = main(["index", "remove", "story", "--db", str(read_only)])
    assert code == 1
    assert "Traceback" not in capsys.readouterr().err


def test_containment_candidates_do_not_depend_on_the_order_documents_were_added(
    tmp_path: Path,
) -> None:
    # A short text inside a hundred long ones: found by containment samples, more of them than
    # the candidate cut keeps, all with the same count of shared samples.
    rng = random.Random(5)
    words = [f"w{n}" for n in range(5000)]
    documents = [
        Document(f"long-{n:03d}", STORY + " ".join(rng.choice(words) for _ in range(150)))
        for n in range(100)
    ]
    answers = []
    for name, order in (("forward", documents), ("backward", documents[::-1])):
        with Index.open(tmp_path / f"{name}.db", create=True) as index:
            index.add(order)
            found = index.query(Document("q", STORY), top=5)
            answers.append([(m.doc_id, m.relation.value) for m in found])
    assert answers[0] == answers[1]
    assert [doc_id for doc_id, _ in answers[0]] == [f"long-{n:03d}" for n in range(5)]
