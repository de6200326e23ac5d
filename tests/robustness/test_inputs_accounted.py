"""Issue #23, case 5: every input is accounted for. Random trees of files (any name the OS
allows, any bytes), links and special files: each is read as a document or listed as skipped
with a reason (hidden, linked folder, same file, binary, …); no traceback; bounded time."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dedup.loading import load
from dedup.model import Document, Skipped

from .corpus import STORY

_NAME_BYTES = st.binary(min_size=1, max_size=12).filter(
    lambda name: b"/" not in name and b"\x00" not in name and name not in (b".", b"..")
)
_NAMES = st.one_of(
    _NAME_BYTES,
    st.sampled_from([b".hidden", b".git", b"a.txt", b"b.html", b"c.jsonl", b"new\nline.txt",
                     b"caf\xff.md", b"\xe2\x80\xaeevil.txt"]),  # fmt: skip
)
_CONTENTS = st.one_of(
    st.binary(max_size=300),
    st.just(STORY.encode()),
    st.just(b'{"id": "x", "text": "hello there"}\n{"id": 3}\nnot json\n'),
    st.just(b"<!--" + b"<a" * 2000),
    st.just(b""),
)
_KINDS = st.sampled_from(["file", "file", "file", "folder", "link-file", "link-folder",
                          "dangling", "loop", "fifo"])  # fmt: skip


def _build(root: Path, plan: list[tuple[str, bytes, bytes, int]]) -> None:
    folders = [bytes(root)]
    made: list[bytes] = []
    for kind, name, content, pick in plan:
        parent = folders[pick % len(folders)]
        path = parent + b"/" + name
        if os.path.lexists(path):
            continue
        if kind == "file":
            Path(os.fsdecode(path)).write_bytes(content)
            made.append(path)
        elif kind == "folder":
            os.mkdir(path)
            folders.append(path)
        elif kind == "link-file" and made:
            os.symlink(made[pick % len(made)], path)
        elif kind == "link-folder":
            os.symlink(folders[pick % len(folders)], path)
        elif kind == "dangling":
            os.symlink(parent + b"/nowhere", path)
        elif kind == "loop":
            os.symlink(path, path)
        elif kind == "fifo":
            os.mkfifo(path)


def _entries(root: Path) -> list[str]:
    """Every file, link and special file under ``root``, without following links."""
    found = []
    for folder, subfolders, names in os.walk(root):
        found += [os.path.join(folder, name) for name in names]  # noqa: PTH118
        found += [os.path.join(folder, name) for name in subfolders  # noqa: PTH118
                  if os.path.islink(os.path.join(folder, name))]  # noqa: PTH118  # fmt: skip
    return found


def _accounted(entry: str, read: set[str], skipped: set[str]) -> bool:
    if entry in read or entry in skipped:
        return True
    # Inside a folder that is listed as not entered, or lines of a JSONL file.
    return any(entry.startswith(place + os.sep) or place.startswith(entry + ":")
               for place in skipped)  # fmt: skip


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plan=st.lists(st.tuples(_KINDS, _NAMES, _CONTENTS, st.integers(0, 50)), max_size=14))
def test_documents_and_skipped_account_for_every_input(
    plan: list[tuple[str, bytes, bytes, int]], tmp_path_factory: object
) -> None:
    root = Path(os.fsdecode(bytes(Path(f"/tmp/dedup-tree-{os.getpid()}"))))
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir()
    try:
        _build(root, plan)
        start = time.process_time()
        results = list(load([root]))
        assert time.process_time() - start < 10
        read = {r.path for r in results if isinstance(r, Document) and r.path}
        skipped = {r.path for r in results if isinstance(r, Skipped)}
        for result in results:
            if isinstance(result, Skipped):
                assert result.reason.strip()
            else:
                result.id.encode("utf-8")  # ids are valid text
        for entry in _entries(root):
            assert _accounted(entry, read, skipped), (entry, sorted(read), sorted(skipped))
    finally:
        shutil.rmtree(root, ignore_errors=True)
