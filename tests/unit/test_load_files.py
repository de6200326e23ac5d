"""Which files are read, in what order, under which ids, and what is skipped."""

from __future__ import annotations

import os
import pathlib
from pathlib import Path

import pytest

from dedup.loading import load
from dedup.model import Document, Skipped


def _tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def _ids(results: list[Document | Skipped]) -> list[str]:
    return [r.id for r in results if isinstance(r, Document)]


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    return _tree(
        tmp_path / "corpus",
        {
            "z.txt": "zed",
            "a.txt": "alpha",
            "sub/b.md": "# B\nbeta",
            "sub/deeper/c": "no extension",
            "sub-x/d.txt": "dash folder",
            ".hidden.txt": "hidden file",
            ".git/config.txt": "hidden folder",
            "sub/.cache/e.txt": "nested hidden folder",
        },
    )


def test_a_folder_walk_gives_relative_ids_in_sorted_order(corpus: Path) -> None:
    results = list(load([corpus]))
    documents = [r for r in results if isinstance(r, Document)]

    assert _ids(results) == ["a.txt", "sub-x/d.txt", "sub/b.md", "sub/deeper/c", "z.txt"]
    assert [r.path for r in documents] == [
        str(corpus / name) for name in ("a.txt", "sub-x/d.txt", "sub/b.md", "sub/deeper/c", "z.txt")
    ]


def test_hidden_files_and_folders_are_listed_as_skipped_not_read(corpus: Path) -> None:
    skipped = [r for r in load([corpus]) if isinstance(r, Skipped)]

    assert [(Path(s.path).relative_to(corpus).as_posix(), s.reason.split(" (")[0])
            for s in skipped] == [
        (".git", "hidden folder"), (".hidden.txt", "hidden file"), ("sub/.cache", "hidden folder"),
    ]  # fmt: skip


def test_a_hidden_file_named_explicitly_is_read(corpus: Path) -> None:
    assert _ids(list(load([corpus / ".hidden.txt"]))) == [".hidden.txt"]


def test_several_inputs_get_ids_relative_to_their_common_parent(corpus: Path) -> None:
    results = list(load([corpus / "z.txt", corpus / "sub", str(corpus / "a.txt")]))

    assert _ids(results) == ["z.txt", "sub/b.md", "sub/deeper/c", "a.txt"]


def test_a_single_file_gets_its_name_as_id(corpus: Path) -> None:
    assert _ids(list(load([corpus / "sub" / "b.md"]))) == ["b.md"]


def test_a_lone_path_string_is_one_input(corpus: Path) -> None:
    assert _ids(list(load(str(corpus / "sub" / "deeper")))) == ["c"]


def test_relative_inputs_keep_their_path_as_given(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(corpus)

    results = list(load(["sub/b.md", "a.txt"]))

    assert [(r.id, r.path) for r in results if isinstance(r, Document)] == [
        ("sub/b.md", "sub/b.md"),
        ("a.txt", "a.txt"),
    ]


def test_a_file_named_twice_or_reached_twice_is_read_once(corpus: Path) -> None:
    (corpus / "sub" / "link.txt").symlink_to(corpus / "a.txt")

    results = list(load([corpus / "a.txt", corpus, corpus / "sub" / ".." / "a.txt"]))

    # Two inputs, so ids are relative to their common parent: the folder above corpus.
    assert _ids(results) == [
        "corpus/a.txt",
        "corpus/sub-x/d.txt",
        "corpus/sub/b.md",
        "corpus/sub/deeper/c",
        "corpus/z.txt",
    ]


def test_symlinked_folders_are_followed_once_during_a_walk(corpus: Path, tmp_path: Path) -> None:
    outside = _tree(tmp_path / "outside", {"o.txt": "outside"})
    (corpus / "sub" / "linked").symlink_to(outside, target_is_directory=True)
    (corpus / "sub" / "linked-again").symlink_to(outside, target_is_directory=True)

    results = list(load([corpus]))

    assert "sub/linked/o.txt" in _ids(results)  # the first link in sorted order
    assert "sub/linked-again/o.txt" not in _ids(results)
    again = [r for r in results if isinstance(r, Skipped) and r.path.endswith("linked-again")]
    assert [r.reason.split(" ")[:3] for r in again] == [["same", "folder", "as"]]


def test_a_symlink_loop_is_listed_as_skipped(corpus: Path) -> None:
    (corpus / "sub" / "up").symlink_to(corpus, target_is_directory=True)

    results = list(load([corpus]))

    loops = [r for r in results if isinstance(r, Skipped) and r.path.endswith("up")]
    assert len(loops) == 1 and "(a loop)" in loops[0].reason
    assert _ids(results) == ["a.txt", "sub-x/d.txt", "sub/b.md", "sub/deeper/c", "z.txt"]


def test_missing_paths_and_dangling_links_are_skipped(corpus: Path) -> None:
    dangling = corpus / "sub" / "gone.txt"
    dangling.symlink_to(corpus / "nowhere.txt")
    missing = corpus / "missing.txt"

    results = list(load([missing, corpus / "sub"]))

    assert results[0] == Skipped(str(missing), "no such file or directory")
    assert Skipped(str(dangling), "dangling symbolic link") in results
    assert _ids(results) == ["b.md", "deeper/c"]


def test_a_dangling_link_named_explicitly_is_skipped(tmp_path: Path) -> None:
    link = tmp_path / "link.txt"
    link.symlink_to(tmp_path / "nowhere.txt")

    assert list(load([link])) == [Skipped(str(link), "dangling symbolic link")]


def test_an_unreadable_file_is_skipped_with_the_os_message(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_open = pathlib.Path.open
    locked = corpus / "a.txt"

    def fake_open(self: Path, *args: object, **kwargs: object) -> object:
        if self == locked:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(pathlib.Path, "open", fake_open)

    results = list(load([corpus]))

    assert Skipped(str(locked), "cannot read: Permission denied") in results
    assert _ids(results) == ["sub-x/d.txt", "sub/b.md", "sub/deeper/c", "z.txt"]


def test_an_unlistable_folder_is_skipped_and_the_rest_is_read(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Simulated, because root (as in CI containers) can list any folder.
    real_scandir = os.scandir
    locked = corpus / "sub"

    def fake_scandir(path: str) -> object:
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", fake_scandir)

    results = [r for r in load([corpus]) if "hidden" not in getattr(r, "reason", "")]

    assert results == [
        Document(id="a.txt", text="alpha", path=str(corpus / "a.txt")),
        Skipped(str(locked), "cannot read folder: Permission denied"),
        Document(id="sub-x/d.txt", text="dash folder", path=str(corpus / "sub-x" / "d.txt")),
        Document(id="z.txt", text="zed", path=str(corpus / "z.txt")),
    ]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
@pytest.mark.parametrize("name", ["pipe.txt", "pipe.jsonl"])
def test_a_fifo_is_not_read(tmp_path: Path, name: str) -> None:
    fifo = tmp_path / name
    os.mkfifo(fifo)

    assert list(load([fifo])) == [Skipped(str(fifo), "not a regular file")]


def test_a_file_id_clashing_with_a_jsonl_id_is_skipped(tmp_path: Path) -> None:
    _tree(tmp_path, {"a.txt": "text file", "b.jsonl": '{"id": "a.txt", "text": "clash"}\n'})

    results = list(load([tmp_path]))

    assert results[1] == Skipped(
        f"{tmp_path / 'b.jsonl'}:1", f"duplicate id 'a.txt' (first seen at {tmp_path / 'a.txt'})"
    )


def test_no_inputs_yield_nothing() -> None:
    assert list(load([])) == []


def test_an_empty_path_is_not_the_current_folder() -> None:
    assert list(load([""])) == [Skipped("", "empty path")]
