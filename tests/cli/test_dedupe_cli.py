"""``dedup dedupe`` run in-process through ``main(argv)``, as a user runs it."""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

import pytest
from dedupe_stories import story

from dedup.cli import main
from dedup.deduplication import outputs

BASE, OTHER = story(11), story(12)


def record(doc_id: str, text: str, **extra: object) -> str:
    return json.dumps({"id": doc_id, "text": text, **extra}, ensure_ascii=False)


@pytest.fixture
def feed(tmp_path: Path) -> Path:
    """Two stories, each sent three times (one re-cased, one edited), with fields of all kinds."""
    lines = [
        record("a1", BASE, date="2024-03-02", tags=["x", "y"], score=1.5),
        record("b1", OTHER, date="2024-03-01", nested={"k": None}),
        '{"text": ' + json.dumps(BASE.upper()) + ',   "id": "a2", "date": "2024-03-01"}',
        record("b2", OTHER.replace("a", "a", 1) + " Élan café.", date="2024-03-05"),
        record("c", story(13), note="ünïcode ✓"),
        record("a3", BASE, date="2024-03-03"),
    ]
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run(args: list[str | Path], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["dedupe", *map(str, args)])
    return code, capsys.readouterr().err


def ids_of(path: Path) -> list[str]:
    return [json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines()]


def test_jsonl_out_keeps_every_kept_line_byte_for_byte(
    feed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, removed = tmp_path / "unique.jsonl", tmp_path / "removed.jsonl"
    code, err = run([feed, "-o", out, "--keep", "earliest", "--removed", removed], capsys)
    assert code == 0, err
    assert ids_of(out) == ["b1", "a2", "c"]
    original = feed.read_bytes().splitlines(keepends=True)
    assert out.read_bytes().splitlines(keepends=True) == [original[1], original[2], original[4]]
    header, *rows = [json.loads(line) for line in removed.read_text().splitlines()]
    assert header["schema"] == "dedup.removals/1" and header["keep"] == "earliest"
    assert {r["removed"]: (r["kept"], r["relation"]) for r in rows} == {
        "a1": ("a2", "exact-duplicate"), "b2": ("b1", "near-duplicate"),
        "a3": ("a2", "exact-duplicate"),
    }  # fmt: skip
    assert "6 documents, 3 kept, 3 removed (keep earliest" in err


def test_bad_lines_are_reported_with_their_place_and_the_rest_is_written(
    feed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with feed.open("a", encoding="utf-8") as handle:
        handle.write('{"id": "broken", "text": \n{"id": "a1", "text": "again"}\n')
    code, err = run([feed, "-o", tmp_path / "u.jsonl"], capsys)
    assert code == 0
    assert f"{feed}:7: invalid JSON" in err
    assert f"{feed}:8: duplicate id 'a1' (first seen at {feed}:1)" in err
    assert "Traceback" not in err
    assert "broken" not in (tmp_path / "u.jsonl").read_text(encoding="utf-8")


def test_shuffled_input_gives_the_same_kept_records(
    feed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = feed.read_text(encoding="utf-8").splitlines()
    for keep in ("earliest", "longest", "source"):
        kept = []
        for seed in (1, 2):
            random.Random(seed).shuffle(lines)
            shuffled = tmp_path / f"shuffled-{seed}.jsonl"
            shuffled.write_text("\n".join(lines) + "\n", encoding="utf-8")
            out = tmp_path / f"out-{keep}-{seed}.jsonl"
            assert run([shuffled, "-o", out, "--keep", keep], capsys)[0] == 0
            kept.append(sorted(out.read_text(encoding="utf-8").splitlines()))
        assert kept[0] == kept[1]


def test_a_folder_in_gives_a_folder_of_the_kept_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "wire").mkdir(parents=True)
    (corpus / "wire" / "a.txt").write_text(BASE, encoding="utf-8")
    (corpus / "copy.md").write_text("# Headline\n\n" + BASE, encoding="utf-8")
    (corpus / "other.txt").write_text(OTHER, encoding="latin-1")
    code, err = run([corpus, "-o", tmp_path / "unique", "--keep", "longest"], capsys)
    assert code == 0, err
    written = sorted(p.relative_to(tmp_path / "unique").as_posix()
                     for p in (tmp_path / "unique").rglob("*") if p.is_file())  # fmt: skip
    assert written == ["copy.md", "other.txt"]
    assert (tmp_path / "unique" / "other.txt").read_bytes() == (corpus / "other.txt").read_bytes()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_an_interrupted_write_leaves_no_partial_file(
    feed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "unique.jsonl"
    out.write_text("the previous output\n", encoding="utf-8")
    written: list[bytes] = []

    def interrupted(handle: object, raw: bytes) -> None:
        if written:
            raise KeyboardInterrupt
        written.append(raw)  # one line reaches the temporary file, then the run is stopped
        handle.write(raw)  # type: ignore[attr-defined]

    monkeypatch.setattr(outputs, "_write_line", interrupted)
    assert main(["dedupe", str(feed), "-o", str(out)]) == 130  # Ctrl-C: one line, exit 130
    assert capsys.readouterr().err == "dedup: interrupted\n"
    assert out.read_text(encoding="utf-8") == "the previous output\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["feed.jsonl", "unique.jsonl"]


def test_a_failed_folder_write_leaves_no_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(BASE, encoding="utf-8")
    (corpus / "b.txt").write_text(OTHER, encoding="utf-8")
    calls: list[object] = []

    def full_disk(*args: object) -> None:
        calls.append(args)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(outputs.shutil, "copy2", full_disk)
    code, err = run([corpus, "-o", tmp_path / "unique"], capsys)
    assert code == 1 and calls
    assert f"cannot write {tmp_path / 'unique'}: No space left on device" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus"]


def test_parquet_in_gives_parquet_out_with_every_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    import datetime as dt

    table = pa.table({
        "key": ["p1", "p2", "p3", "p4"],
        "body": [BASE, OTHER, BASE.upper(), None],
        "published": [dt.datetime(2024, 3, d) for d in (5, 1, 2, 3)],
        "views": [10, 20, 30, 40],
    })  # fmt: skip
    source = tmp_path / "big.parquet"
    pq.write_table(table, source, row_group_size=2)
    out = tmp_path / "unique.parquet"
    code, err = run([source, "-o", out, "--text-field", "body", "--id-field", "key",
                     "--date-field", "published"], capsys)  # fmt: skip
    assert code == 0, err
    kept = pq.read_table(out)
    assert kept.column_names == table.column_names
    assert kept.column("key").to_pylist() == ["p2", "p3"]
    assert kept.column("views").to_pylist() == [20, 30]
    assert json.loads(kept.schema.metadata[b"dedup"])["keep"] == "earliest"
    assert f"{source}:4: field 'body' is null" in err


def test_parquet_without_pyarrow_names_the_extra(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "big.parquet"
    source.write_bytes(b"PAR1")
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    code, err = run([source, "-o", tmp_path / "u.parquet"], capsys)
    assert code == 2
    assert "pip install 'dedup-lineage[parquet]'" in err


@pytest.mark.parametrize(
    ("setup", "expected_code", "message"),
    [
        ("mixed", 2, "inputs mix formats"),
        ("into-input", 2, "is one of the inputs"),
        ("folder-exists", 1, "already exists"),
        ("bad-keep", 2, "unknown keep policy 'oldest'"),
        ("bad-relation", 2, "unknown relation 'copies'"),
        ("nothing", 1, "no input could be read"),
        ("map-is-output", 2, "must be different files"),
        ("not-parquet", 1, "cannot read as Parquet"),
    ],
)
def test_usage_and_output_problems_are_clear_errors(
    setup: str, expected_code: int, message: str, feed: Path, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = tmp_path / "note.txt"
    text.write_text(OTHER, encoding="utf-8")
    args: dict[str, list[str | Path]] = {
        "mixed": [feed, text, "-o", tmp_path / "u"],
        "into-input": [feed, "-o", feed],
        "folder-exists": [text, "-o", tmp_path],
        "bad-keep": [feed, "-o", tmp_path / "u.jsonl", "--keep", "oldest"],
        "bad-relation": [feed, "-o", tmp_path / "u.jsonl", "--relation", "near-duplicate,copies"],
        "nothing": [tmp_path / "missing.jsonl", "-o", tmp_path / "u.jsonl"],
        "map-is-output": [feed, "-o", tmp_path / "u.jsonl", "--removed", tmp_path / "u.jsonl"],
        "not-parquet": [text.with_suffix(".parquet"), "-o", tmp_path / "u.parquet"],
    }
    text.with_suffix(".parquet").write_bytes(b"PAR1 but not really")
    code, err = run(args[setup], capsys)
    assert code == expected_code
    assert message in err and "Traceback" not in err
    assert not (tmp_path / "u.jsonl").exists()
