"""Opening an input's bytes wherever they are: a file (gzip, bzip2 or zstd compressed or not),
standard input (``-``), or a URL through fsspec (``s3://…``, ``https://…``).

Compression is named by the suffix (``news.jsonl.gz``); a file whose suffix names no format is
also recognised by its first bytes. Only plain local files can be read again at a byte offset:
the texts of the others are kept in memory by the scan.
"""

from __future__ import annotations

import bz2
import contextlib
import gzip
import io
import stat
import sys
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

from dedup.errors import InputError, MissingExtraError

#: The input path that stands for standard input.
STDIN = "-"
#: How documents read from standard input are named in ids and in the skipped list.
STDIN_NAME = "<stdin>"

COMPRESSIONS = {".gz": "gzip", ".gzip": "gzip", ".bz2": "bz2", ".zst": "zstd", ".zstd": "zstd"}
_MAGIC = ((b"\x1f\x8b", "gzip"), (b"BZh", "bz2"), (b"\x28\xb5\x2f\xfd", "zstd"))


def is_url(path: str) -> bool:
    """Whether ``path`` is a URL (``scheme://…``) rather than a local path."""
    scheme, found, _ = path.partition("://")
    return bool(found) and scheme.isalnum() and len(scheme) > 1


def suffixes(path: str) -> tuple[str, str | None]:
    """The format suffix of ``path`` and its compression (``x.jsonl.gz`` → ``.jsonl``, gzip)."""
    name = PurePosixPath(path.split("?", 1)[0] if is_url(path) else path)
    compression = COMPRESSIONS.get(name.suffix.lower())
    if compression is not None:
        name = name.with_suffix("")
    return name.suffix.lower(), compression


def sniff_compression(path: str) -> str | None:
    """The compression a local file's first bytes show, whatever its name says."""
    head = peek(path, 4)
    return next((kind for magic, kind in _MAGIC if head.startswith(magic)), None)


def peek(path: str, size: int) -> bytes:
    """The first ``size`` bytes of a local file (empty when it cannot be read)."""
    if path == STDIN or is_url(path):
        return b""
    try:
        if not stat.S_ISREG(Path(path).stat().st_mode):
            return b""  # opening a FIFO would wait for a writer
        with Path(path).open("rb") as handle:
            return handle.read(size)
    except OSError:
        return b""


def compression_of(path: str) -> str | None:
    """How the bytes of ``path`` are compressed: by suffix, else by content for a local file."""
    _, compression = suffixes(path)
    return compression or sniff_compression(path)


def seekable(path: str) -> bool:
    """Whether a byte offset into ``path`` can be read again (a plain local file)."""
    return path != STDIN and not is_url(path) and compression_of(path) is None


@contextlib.contextmanager
def open_binary(path: str) -> Iterator[BinaryIO]:
    """The decompressed bytes of ``path``, ``-`` (standard input) or a URL, as a stream with
    ``readline``. Raises OSError when it cannot be opened, MissingExtraError without the
    library a compression or a URL needs."""
    with contextlib.ExitStack() as stack:
        raw = stack.enter_context(_open_raw(path))
        compression = suffixes(path)[1] if path == STDIN or is_url(path) else compression_of(path)
        yield stack.enter_context(_decompressed(raw, compression))


@contextlib.contextmanager
def _open_raw(path: str) -> Iterator[BinaryIO]:
    if path == STDIN:
        yield sys.stdin.buffer
    elif is_url(path):
        with _fsspec_open(path) as handle:
            yield handle
    else:
        with Path(path).open("rb") as handle:
            yield handle


def _fsspec_open(url: str) -> contextlib.AbstractContextManager[BinaryIO]:
    try:
        import fsspec
    except ImportError as error:
        raise MissingExtraError(
            f"reading {url} needs fsspec: pip install 'dedup-lineage[remote]'"
        ) from error
    try:
        opened: contextlib.AbstractContextManager[BinaryIO] = fsspec.open(url, "rb")
    except (ValueError, ImportError) as error:  # an unknown scheme, or its driver is missing
        raise InputError(f"{url}: cannot open: {error}") from error
    return opened


@contextlib.contextmanager
def _decompressed(raw: BinaryIO, compression: str | None) -> Iterator[BinaryIO]:
    if compression is None:
        yield raw
    elif compression == "gzip":
        with gzip.GzipFile(fileobj=raw, mode="rb") as handle:
            yield handle  # type: ignore[misc]  # GzipFile is a BinaryIO in all but name
    elif compression == "bz2":
        with bz2.BZ2File(raw, "rb") as handle:
            yield handle  # type: ignore[misc]
    else:
        with io.BufferedReader(_zstd_reader(raw)) as handle:
            yield handle


def _zstd_reader(raw: BinaryIO) -> io.RawIOBase:
    try:
        import zstandard
    except ImportError as error:
        raise MissingExtraError(
            "reading .zst files needs zstandard: pip install 'dedup-lineage[zstd]'"
        ) from error
    return _ZstdRaw(zstandard.ZstdDecompressor().stream_reader(raw, closefd=False),
                    zstandard.ZstdError)  # fmt: skip


class _ZstdRaw(io.RawIOBase):
    """A zstd stream whose damage is an OSError, as gzip's and bz2's is."""

    def __init__(self, inner: Any, error: type[Exception]) -> None:
        super().__init__()
        self._inner, self._error = inner, error

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        try:
            return self._inner.readinto(buffer) or 0
        except self._error as error:
            raise OSError(f"invalid zstd data: {error}") from error


@contextlib.contextmanager
def open_write(path: str) -> Iterator[BinaryIO]:
    """A new file at ``path`` for bytes, compressed as its suffix says (``.gz``, ``.bz2``,
    ``.zst``), so that an output is written in the form its name promises."""
    compression = suffixes(path)[1]
    with Path(path).open("wb") as raw:
        if compression == "gzip":
            with gzip.GzipFile(fileobj=raw, mode="wb") as packed:
                yield packed  # type: ignore[misc]
        elif compression == "bz2":
            with bz2.BZ2File(raw, "wb") as packed:
                yield packed  # type: ignore[misc]
        elif compression == "zstd":
            yield from _zstd_write(raw)
        else:
            yield raw


def _zstd_write(raw: BinaryIO) -> Iterator[BinaryIO]:
    try:
        import zstandard
    except ImportError as error:
        raise MissingExtraError(
            "writing .zst files needs zstandard: pip install 'dedup-lineage[zstd]'"
        ) from error
    with zstandard.ZstdCompressor().stream_writer(raw, closefd=False) as packed:
        yield packed


def read_limited(path: str, limit: int) -> bytes:
    """All the (decompressed) bytes of ``path``; ValueError when there are more than ``limit``
    (a compressed file may inflate a thousandfold: it is never read past the limit)."""
    with open_binary(path) as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise ValueError(f"file too large (more than {limit} bytes decompressed)")
    return data


def stdin_kind() -> str:
    """What standard input holds, from its first non-blank byte: ``jsonl``, ``json`` or ``text``."""
    buffer = sys.stdin.buffer
    head = buffer.peek(4096) if isinstance(buffer, io.BufferedReader) else b""
    start = head.removeprefix(b"\xef\xbb\xbf").lstrip()[:1]
    return {b"{": "jsonl", b"[": "json"}.get(start, "text")
