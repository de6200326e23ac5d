"""The index file: opening it safely, its format and parameters, and its transactions.

An index is an SQLite database (WAL mode) that names itself: ``PRAGMA application_id`` holds
``APPLICATION_ID`` and ``PRAGMA user_version`` the format version, so any other file, SQLite or
not, is refused before anything is written to it. The parameters that shaped the stored
features (normalisation, shingles, sketches, bands) are kept as JSON in the ``meta`` table.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import zlib
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs

from dedup.config import (
    LshParams,
    NormalizeConfig,
    ScanConfig,
    ShingleConfig,
    SketchParams,
    StoryConfig,
)
from dedup.errors import DedupError, IndexBusyError, IndexFileError, ParameterMismatchError
from dedup.index.rows import add_words

#: "dedu" in ASCII: what ``PRAGMA application_id`` says in every dedup index.
APPLICATION_ID = 0x64656475
#: The format this dedup writes; ``MIGRATIONS[n]`` turns format ``n`` into ``n + 1``.
FORMAT_VERSION = 2
MIGRATIONS: Mapping[int, Callable[[sqlite3.Connection], None]] = {
    1: lambda db: _with_config(db, add_words),
}
_SQLITE_MAGIC = b"SQLite format 3\x00"

_SCHEMA = (
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    # text: the document's text, zlib-compressed; shingles: its sorted unique shingle hashes,
    # little-endian uint64, which exact verification reads.
    # The large blobs last, shingles before text: SQLite reaches a column by walking the
    # overflow pages of every large column before it.
    "CREATE TABLE documents (id INTEGER PRIMARY KEY, doc_id TEXT NOT NULL UNIQUE, "
    "content_hash BLOB NOT NULL, text_key BLOB NOT NULL, shingle_count INTEGER NOT NULL, "
    "path TEXT, metadata TEXT NOT NULL, shingles BLOB NOT NULL, words BLOB NOT NULL, "
    "text BLOB NOT NULL)",
    "CREATE INDEX documents_text_key ON documents (text_key)",
    # A fixed sample of each document's shingles (hash mod 2**SAMPLE_BITS == 0): sampling by
    # value keeps containment, so a short text inside a long one shares all its samples.
    "CREATE TABLE samples (hash INTEGER NOT NULL, doc INTEGER NOT NULL, "
    "PRIMARY KEY (hash, doc)) WITHOUT ROWID",
    # How many documents hold each shingle (verification key) and each content word (top 32
    # bits of its hash): the story tier's boilerplate caps and rarity weights, which no single
    # document can give. The key is the rowid: one B-tree, no separate index.
    "CREATE TABLE shingle_df (hash INTEGER PRIMARY KEY, df INTEGER NOT NULL)",
    "CREATE TABLE word_df (term INTEGER PRIMARY KEY, df INTEGER NOT NULL)",
)


def stored_params(config: ScanConfig) -> dict[str, Any]:
    """The parts of a config that shape what an index stores; they must match to reopen it."""
    stories = config.stories
    return {
        "normalize": attrs.asdict(config.normalize),
        "sketch": attrs.asdict(config.sketch),
        "lsh": attrs.asdict(config.lsh),
        "stories": {"stem": stories.stem, "num_perm": stories.num_perm, "seed": stories.seed,
                    "lsh_threshold": stories.lsh_threshold},
    }


def config_from_params(params: Mapping[str, Any], base: ScanConfig) -> ScanConfig:
    """``base`` with the stored parameters in place of its own."""
    sketch = dict(params["sketch"])
    sketch["shingle"] = ShingleConfig(**sketch["shingle"])
    stories: StoryConfig = attrs.evolve(base.stories, **params["stories"])
    return attrs.evolve(
        base,
        normalize=NormalizeConfig(**params["normalize"]),
        sketch=SketchParams(**sketch),
        lsh=LshParams(**params["lsh"]),
        stories=stories,
    )


@attrs.frozen(eq=False)
class Store:
    """An open index file: its connection, path and the parameters it was made with."""

    path: Path
    db: sqlite3.Connection
    params: Mapping[str, Any]

    #: Whether ``PRAGMA quick_check`` passed in this connection (once before the first write).
    checked: list[bool] = attrs.field(factory=lambda: [False])

    @contextlib.contextmanager
    def write(self, *, thorough: bool = False) -> Iterator[sqlite3.Connection]:
        """One write transaction: all of it is committed, or none of it (also on kill -9).

        The first write of a connection checks the file (``PRAGMA quick_check``; with
        ``thorough``, ``integrity_check``, which also compares indexes with their tables), and
        a write that fails checks it again: nothing is committed into a file found damaged.
        """
        with translated(self.path):
            self.db.execute("BEGIN IMMEDIATE")
            try:
                if thorough or not self.checked[0]:
                    self._check(thorough)
                yield self.db
            except BaseException as error:
                if self.db.in_transaction:  # (SQLite may have rolled back already: full disk)
                    self.db.execute("ROLLBACK")
                if isinstance(error, sqlite3.DatabaseError | IndexFileError):
                    self._check()
                raise
            self.db.execute("COMMIT")

    def _check(self, thorough: bool = False) -> None:
        pragma = "integrity_check" if thorough else "quick_check"
        try:
            found = [str(row[0]) for row in self.db.execute(f"PRAGMA {pragma}").fetchall()]
        except sqlite3.DatabaseError as error:
            found = [str(error)]
        if found != ["ok"]:
            self.checked[0] = False
            raise IndexFileError(
                f"{self.path}: damaged (PRAGMA {pragma}: {'; '.join(found[:3])}); nothing was "
                "written. Rebuild the index from the inputs."
            )
        self.checked[0] = True

    @contextlib.contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """One read transaction: every read in it sees the same snapshot, whatever writers do."""
        with translated(self.path):
            self.db.execute("BEGIN")
            try:
                yield self.db
            finally:
                self.db.execute("COMMIT")

    def close(self) -> None:
        self.db.close()


@contextlib.contextmanager
def translated(path: Path) -> Iterator[None]:
    """SQLite's errors as dedup's, naming the file: busy, full disk, corrupt."""
    try:
        yield
    except sqlite3.OperationalError as error:
        text = str(error)
        if "locked" in text or "busy" in text:
            raise IndexBusyError(
                f"{path}: another process is writing to this index and did not finish in time "
                "(retry, or raise the wait with --timeout)"
            ) from error
        raise IndexFileError(f"{path}: {text}") from error
    except sqlite3.DatabaseError as error:
        raise IndexFileError(f"{path}: corrupt or not a dedup index ({error})") from error
    except sqlite3.ProgrammingError as error:  # e.g. a connection closed under damage
        raise IndexFileError(f"{path}: cannot be used ({error})") from error
    except DedupError:
        raise
    except _DAMAGE as error:
        # Values stored in the file that do not decode (meta JSON, zlib text, blobs of the wrong
        # size): the file was damaged after dedup wrote it.
        raise IndexFileError(f"{path}: damaged ({type(error).__name__}: {error})") from error


#: What decoding damaged stored values raises: JSON (ValueError), zlib, missing keys, blobs.
_DAMAGE = (ValueError, KeyError, TypeError, IndexError, zlib.error, UnicodeError, OverflowError)


def open_store(
    path: str | os.PathLike[str],
    config: ScanConfig | None,
    *,
    create: bool,
    timeout: float,
    migrating: bool = False,
    made: Callable[[sqlite3.Connection, ScanConfig], object] = lambda db, config: None,
) -> Store:
    """Open (or with ``create``, make) the index at ``path``; refuse any file that is not one.

    ``made(db, config)`` runs in the transaction that makes a new file (more tables).
    """
    where = Path(path)
    _check_header(where, create)
    readonly = not create and not migrating and not _writable(where)
    with translated(where):
        db = _connect(where, timeout, readonly)
    try:
        with translated(where):
            params = _prepare(db, where, config, migrating, made, create, readonly)
    except BaseException:
        db.close()
        raise
    return Store(where, db, params)


def _writable(path: Path) -> bool:
    """Whether the file and its folder can be written (WAL needs files beside the index)."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK | os.X_OK)


def _connect(path: Path, timeout: float, readonly: bool) -> sqlite3.Connection:
    if not readonly:
        return sqlite3.connect(path, timeout=timeout, isolation_level=None)
    # A file or folder this user cannot write is read as it is: no journal mode switch, and
    # in a read-only folder (no -shm file can be made) as immutable.
    immutable = "&immutable=1" if not os.access(path.parent, os.W_OK) else ""
    uri = f"{path.resolve().as_uri()}?mode=ro{immutable}"
    return sqlite3.connect(uri, uri=True, timeout=timeout, isolation_level=None)


def _check_header(path: Path, create: bool) -> None:
    if not path.exists():
        if not create:
            raise IndexFileError(f"{path}: no index here (make one with: dedup index add)")
        return
    if path.is_dir():
        raise IndexFileError(f"{path}: is a folder, not an index file")
    with path.open("rb") as file:
        head = file.read(len(_SQLITE_MAGIC))
    if head and head != _SQLITE_MAGIC:
        raise IndexFileError(f"{path}: not a dedup index (not an SQLite database); left as it is")


def _prepare(
    db: sqlite3.Connection,
    path: Path,
    config: ScanConfig | None,
    migrating: bool,
    made: Callable[[sqlite3.Connection, ScanConfig], object],
    create: bool,
    readonly: bool = False,
) -> Mapping[str, Any]:
    # Identity first: nothing, not even the journal mode, is changed in a foreign file.
    app, version = _identity(db)
    fresh = app == 0 and version == 0 and not _has_tables(db)
    if app != APPLICATION_ID and not fresh:
        raise IndexFileError(f"{path}: an SQLite database, but not a dedup index; left as it is")
    if fresh and not create:  # (or another process is making it this instant)
        raise IndexFileError(f"{path}: no index here (make one with: dedup index add)")
    if not readonly:
        _use_wal(db)
    # In WAL mode NORMAL loses no committed transaction on a process crash, only on power loss.
    db.execute("PRAGMA synchronous = NORMAL")
    # Band keys are random, so inserts touch pages all over the band tables: a 64 MiB page
    # cache (the default is 2 MiB) keeps adds from going to disk for every page.
    db.execute("PRAGMA cache_size = -65536")
    if fresh:
        _create(db, config or ScanConfig(), made)
        version = FORMAT_VERSION
    if version > FORMAT_VERSION:
        raise IndexFileError(
            f"{path}: index format {version} is newer than this dedup reads ({FORMAT_VERSION}); "
            "upgrade dedup"
        )
    if version < FORMAT_VERSION and not _migratable(version):
        raise IndexFileError(
            f"{path}: index format {version} is older than {FORMAT_VERSION} and cannot be "
            "upgraded in place; rebuild it: dedup index add INPUTS... --db NEW_FILE"
        )
    if version < FORMAT_VERSION and not migrating:
        raise IndexFileError(
            f"{path}: index format {version} is older than {FORMAT_VERSION}; "
            f"upgrade it with: dedup index migrate --db {path}"
        )
    params = _params(db, path)
    if config is not None:
        _check_params(path, params, stored_params(config))
    return params


def _migratable(version: int) -> bool:
    """Whether registered steps lead from ``version`` to ``FORMAT_VERSION``."""
    return all(step in MIGRATIONS for step in range(version, FORMAT_VERSION))


def _use_wal(db: sqlite3.Connection) -> None:
    # The journal mode is kept in the file: switch once, not on every open (a write).
    if str(db.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
        db.execute("PRAGMA journal_mode = WAL")


def _params(db: sqlite3.Connection, path: Path) -> dict[str, Any]:
    """The stored parameters, checked to make a config (damage is an IndexFileError)."""
    try:
        params = json.loads(_meta(db, "params"))
        config_from_params(params, ScanConfig())
    except DedupError as error:  # a ConfigError: values no dedup wrote
        raise IndexFileError(f"{path}: damaged parameters ({error})") from error
    if not isinstance(params, dict):
        raise IndexFileError(f"{path}: damaged parameters (not a JSON object)")
    return params


def _identity(db: sqlite3.Connection) -> tuple[int, int]:
    app = int(db.execute("PRAGMA application_id").fetchone()[0])
    return app, int(db.execute("PRAGMA user_version").fetchone()[0])


def _has_tables(db: sqlite3.Connection) -> bool:
    return int(db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]) > 0


def _create(
    db: sqlite3.Connection,
    config: ScanConfig,
    made: Callable[[sqlite3.Connection, ScanConfig], object],
) -> None:
    db.execute("BEGIN IMMEDIATE")
    try:
        if _has_tables(db):  # another process made it first
            db.execute("ROLLBACK")
            return
        for statement in _SCHEMA:
            db.execute(statement)
        db.execute("INSERT INTO meta VALUES ('format', 'dedup.index')")
        db.execute("INSERT INTO meta VALUES ('params', ?)", (json.dumps(stored_params(config)),))
        made(db, config)
        db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        db.execute(f"PRAGMA user_version = {FORMAT_VERSION}")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def _meta(db: sqlite3.Connection, key: str) -> str:
    row = db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    if row is None:
        raise sqlite3.DatabaseError(f"meta table has no {key!r}")
    return str(row[0])


def _check_params(path: Path, stored: Mapping[str, Any], asked: Mapping[str, Any]) -> None:
    # Through JSON, so tuples and lists compare alike.
    asked = json.loads(json.dumps(asked))
    differ = [name for name in stored if stored[name] != asked.get(name)]
    if differ:
        detail = "; ".join(f"{name}: index {stored[name]}, asked {asked[name]}" for name in differ)
        raise ParameterMismatchError(
            f"{path} was made with other parameters ({detail}); open it without parameters "
            "to use its own, or make a new index"
        )


def _with_config(
    db: sqlite3.Connection, step: Callable[[sqlite3.Connection, ScanConfig], None]
) -> None:
    """Run a migration step that needs the index's own parameters."""
    step(db, config_from_params(json.loads(_meta(db, "params")), ScanConfig()))


def migrate(store: Store) -> list[int]:
    """Upgrade the file to FORMAT_VERSION, one transaction per step; the versions passed."""
    passed = []
    while (version := _identity(store.db)[1]) < FORMAT_VERSION:
        with store.write() as db:
            MIGRATIONS[version](db)
            db.execute(f"PRAGMA user_version = {version + 1}")
        passed.append(version)
    return passed
