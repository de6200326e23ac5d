"""Which files the input paths stand for, the id each one gets, and reading their bytes."""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator, Sequence
from pathlib import Path, PurePath
from typing import NamedTuple

from dedup.loading.streams import STDIN, is_url
from dedup.model import Skipped


class InputFile(NamedTuple):
    """A file to read: its path as given (or joined onto a given folder) and its document id."""

    path: str
    doc_id: str


def expand(paths: Sequence[str]) -> Iterator[InputFile | Skipped]:
    """Every file the paths name, folders walked in sorted order, each real file once.

    Hidden files and folders (names starting with ".") are left out of walks: each is listed as
    ``Skipped`` with the reason, and read when named as an input itself. Symbolic links to
    folders are followed, each real folder once (a loop is listed as skipped). ``-`` is
    standard input and a URL is read through fsspec. A path that cannot be used is reported as
    ``Skipped`` rather than raised.
    """
    base = _id_base(paths)
    seen: dict[str, str] = {}
    for path in paths:
        problem = _unusable(path)
        if path == STDIN or is_url(path):
            # Standard input is named "stdin" in ids; a URL is its own id.
            yield from _once(InputFile(path, "stdin" if path == STDIN else path), seen)
        elif problem is not None:
            yield Skipped(path, problem)
        elif Path(path).is_dir():
            yield from _walk(path, base, seen)
        else:
            yield from _once(InputFile(path, _id_of(path, base)), seen)


def _id_base(paths: Sequence[str]) -> str:
    """The folder ids are relative to: a lone folder itself, else the inputs' common parent."""
    usable: dict[str, str] = {}
    for path in paths:
        if path != STDIN and not is_url(path) and _unusable(path) is None:
            usable.setdefault(os.path.realpath(path), path)
    absolute = [os.path.abspath(path) for path in usable.values()]  # noqa: PTH100
    if len(absolute) == 1 and Path(absolute[0]).is_dir():
        return absolute[0]
    try:
        return os.path.commonpath([os.path.dirname(path) for path in absolute])  # noqa: PTH120
    except ValueError:  # no inputs, or inputs on different drives
        return str(Path.cwd())


def _id_of(path: str, base: str) -> str:
    relative = os.path.relpath(os.path.abspath(path), base)  # noqa: PTH100
    return valid_unicode(PurePath(relative).as_posix())


_SURROGATE = re.compile("[\ud800-\udfff]")


def valid_unicode(name: str) -> str:
    """``name`` with each lone surrogate written as an escape: ``\\xNN`` for a byte of a file
    name that is not UTF-8 (Python decodes it as U+DC80+NN), ``\\udNNN`` for any other (a JSON
    ``\\ud800``). Lone surrogates cannot be stored in SQLite or written as UTF-8, so ids are
    made of valid text; the file's own path is kept as the OS gave it, for reading."""
    return _SURROGATE.sub(_escape_surrogate, name) if _SURROGATE.search(name) else name


def without_surrogates(text: str) -> str:
    """``text`` with each lone surrogate replaced by U+FFFD, as a UTF-8 decoder would."""
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


def _escape_surrogate(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"


def _unusable(path: str) -> str | None:
    """Why ``path`` cannot be read at all, or None."""
    if not path:
        # Path("") means the current folder, which nobody who passes "" intends.
        return "empty path"
    try:
        Path(path).stat()
    except (FileNotFoundError, NotADirectoryError):
        return "dangling symbolic link" if Path(path).is_symlink() else "no such file or directory"
    except OSError as error:
        return f"cannot access: {_os_message(error)}"
    except ValueError as error:  # e.g. a NUL character inside the path
        return f"invalid path: {error}"
    return None


def _walk(top: str, base: str, seen: dict[str, str]) -> Iterator[InputFile | Skipped]:
    # Collected first so that the whole tree comes out sorted by id, not folder by folder.
    found: list[tuple[str, InputFile | Skipped]] = []
    errors: list[OSError] = []
    # Symbolic links to folders are followed, each real folder entered once: a link back up
    # the tree (a loop) or to a folder already read is listed as skipped.
    folders = {os.path.realpath(top): top}
    for folder, subfolders, names in os.walk(top, onerror=errors.append, followlinks=True):
        entered = []
        for name in sorted(subfolders):
            path = str(Path(folder) / name)
            reason = _not_entered(path, name, folders)
            if reason is None:
                entered.append(name)
            else:
                found.append((_id_of(path, base), Skipped(path, reason)))
        subfolders[:] = entered
        for name in names:
            path = str(Path(folder) / name)
            doc_id = _id_of(path, base)
            if name.startswith("."):
                found.append((doc_id, Skipped(path, HIDDEN_FILE)))
            else:
                found.append((doc_id, InputFile(path, doc_id)))
    for error in errors:
        path = str(error.filename) if error.filename else top
        problem = Skipped(path, f"cannot read folder: {_os_message(error)}")
        found.append((_id_of(path, base), problem))
    found.sort(key=lambda pair: pair[0])
    for _, item in found:
        if isinstance(item, InputFile):
            yield from _once(item, seen)
        else:
            yield item


#: The reasons a walk gives for what it leaves out; name such a path itself to read it.
HIDDEN_FILE = "hidden file (name starts with '.'), not read in a folder walk; name it to read it"
HIDDEN_FOLDER = "hidden folder (name starts with '.'), not entered; name it to read it"


def _not_entered(path: str, name: str, folders: dict[str, str]) -> str | None:
    """Why a walk does not enter the subfolder ``path``, or None (``folders``: the real path of
    each folder entered so far, to the path it was entered by; ``path`` is added when entered)."""
    if name.startswith("."):
        return HIDDEN_FOLDER
    real = os.path.realpath(path)
    first = folders.get(real)
    if first is None:
        folders[real] = path
        return None
    if os.path.commonpath([real, os.path.realpath(Path(path).parent)]) == real:
        return f"symbolic link to {first}, a folder that holds it (a loop): not followed"
    return f"same folder as {first}, read once"


def _once(item: InputFile, seen: dict[str, str]) -> Iterator[InputFile | Skipped]:
    # The same file reached twice (named twice, or through a symlink) is read the first time
    # only; later times are listed, so that every input is accounted for.
    real = os.path.realpath(item.path)
    if real not in seen:
        seen[real] = item.path
        yield item
    elif seen[real] != item.path:
        yield Skipped(item.path, f"same file as {seen[real]}, read once")


def read_bytes(path: str, limit: int) -> bytes | Skipped:
    """The whole content of the file at ``path``, or why it could not be read."""
    info = _regular_stat(path)
    if isinstance(info, Skipped):
        return info
    if info.st_size > limit:
        return _too_large(path, info.st_size, limit)
    try:
        with Path(path).open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as error:
        return Skipped(path, f"cannot read: {_os_message(error)}")
    # The file may have grown since stat().
    return _too_large(path, len(data), limit) if len(data) > limit else data


def check_regular(path: str) -> Skipped | None:
    """Why the file at ``path`` cannot be opened for streaming, or None if it can."""
    info = _regular_stat(path)
    return info if isinstance(info, Skipped) else None


def _regular_stat(path: str) -> os.stat_result | Skipped:
    try:
        info = Path(path).stat()
    except (FileNotFoundError, NotADirectoryError):
        return Skipped(path, _unusable(path) or "no such file or directory")
    except OSError as error:
        return Skipped(path, f"cannot read: {_os_message(error)}")
    # Reading a FIFO or a device could block forever or never end.
    return info if stat.S_ISREG(info.st_mode) else Skipped(path, "not a regular file")


def _too_large(path: str, size: int, limit: int) -> Skipped:
    return Skipped(path, f"file too large ({size} bytes > limit {limit})")


def _os_message(error: OSError) -> str:
    return error.strerror or str(error)
