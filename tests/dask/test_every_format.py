"""One folder holding every input format, read by every command and both backends: each must
read the same documents (issue 20: one format registry)."""

from __future__ import annotations

import bz2
import csv
import gzip
import io
import json
from collections import Counter
from pathlib import Path

import pytest
from distributed import Client

import dedup.dask
from dedup.cli import main
from dedup.deduplication.files import dedupe_paths

pq = pytest.importorskip("pyarrow.parquet")
pa = pytest.importorskip("pyarrow")
zstandard = pytest.importorskip("zstandard", reason="the zstd extra (in dev)")

SEED = sorted((Path(__file__).resolve().parents[2] / "seeds").glob("*.txt"))[0]


def _text(n: int) -> str:
    # One article, each copy with its own last line: every document is a near-copy of every
    # other, so every command that compares them reports all of them.
    return SEED.read_text("utf-8") + f"\nEditor's note {n}: copy number {n} of the dispatch.\n"


def _csv(rows: list[dict[str, str]], delimiter: str = ",") -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), delimiter=delimiter)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def _jsonl(rows: list[dict[str, str]]) -> bytes:
    return "".join(json.dumps(row) + "\n" for row in rows).encode()


def _rows(prefix: str, count: int, start: int) -> list[dict[str, str]]:
    return [{"id": f"{prefix}{i}", "text": _text(start + i)} for i in range(1, count + 1)]


@pytest.fixture
def every(tmp_path: Path) -> tuple[Path, dict[str, set[str]]]:
    """The folder, and per file the ids of the documents it holds."""
    folder = tmp_path / "every"
    folder.mkdir()
    html = f"<html><body><nav>Home</nav><article><p>{_text(3)}</p></article></body></html>"
    files: dict[str, bytes] = {
        "a.txt": _text(1).encode(),
        "b.md": ("# A title\n\n" + _text(2)).encode(),
        "c.html": html.encode(),
        "d.jsonl": _jsonl(_rows("d", 2, 10)),
        "e.json": json.dumps(_rows("e", 2, 20)).encode(),
        "f.csv": _csv(_rows("f", 2, 30)),
        "g.tsv": _csv(_rows("g", 1, 40), "\t"),
        "i.jsonl.gz": gzip.compress(_jsonl(_rows("i", 2, 50))),
        "j.jsonl.zst": zstandard.ZstdCompressor().compress(_jsonl(_rows("j", 1, 60))),
        "k.txt.bz2": bz2.compress(_text(70).encode()),
        "l.csv.gz": gzip.compress(_csv(_rows("l", 1, 80))),
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    pq.write_table(pa.Table.from_pylist(_rows("h", 2, 90)), folder / "h.parquet", row_group_size=1)
    ids = {
        name: {name} if name[0] in "abck" else {row["id"] for row in _rows(name[0], 2, 0)}
        for name in [*files, "h.parquet"]
    }
    for name, count in (("g.tsv", 1), ("j.jsonl.zst", 1), ("l.csv.gz", 1)):
        ids[name] = {f"{name[0]}{i}" for i in range(1, count + 1)}
    return folder, ids


def _cli_json(args: list[str], capsys: pytest.CaptureFixture[str]) -> dict:
    code = main(args)
    out, err = capsys.readouterr()
    assert code == 0, err
    return json.loads(out)


def test_every_command_and_backend_reads_the_same_documents(
    every: tuple[Path, dict[str, set[str]]],
    tmp_path: Path,
    client: Client,
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder, by_file = every
    expected = set().union(*by_file.values())
    assert len(expected) == 17

    scanned = _cli_json(["scan", str(folder), "--format", "json", "-j", "1"], capsys)
    assert {d["id"] for d in scanned["documents"]} == expected
    assert scanned["skipped"] == []
    # Every document is a near-copy of every other: one family of all of them.
    assert [f["size"] for f in scanned["families"]] == [len(expected)]
    texts = Counter(d["chars"] for d in scanned["documents"])
    assert len(texts) > 1  # the texts were read, not only the ids

    lineage = _cli_json(["lineage", str(folder), "--format", "json", "-j", "1",
                         "--min-confidence", "0"], capsys)  # fmt: skip
    touched = {n["id"] for n in lineage["nodes"] if not n["latent"]}
    assert touched == expected
    assert lineage["skipped"] == []

    db = tmp_path / "every.dedup"
    _cli_json(["index", "add", "--db", str(db), str(folder), "--format", "json", "-j", "1"],
              capsys)  # fmt: skip
    indexed = _cli_json(["scan", "--db", str(db), "--format", "json", "-j", "1"], capsys)
    assert {d["id"] for d in indexed["documents"]} == expected

    on_dask = dedup.dask.scan([folder], client=client)
    assert {d.id for d in on_dask.documents} == expected
    assert on_dask.skipped == ()
    assert {(d.id, len(d.text)) for d in on_dask.documents} == {
        (d["id"], d["chars"]) for d in scanned["documents"]
    }

    # dedupe writes each input's own format, so it takes one format at a time: every file,
    # and it reads the documents the scan read from that file.
    for name, ids in by_file.items():
        run = dedupe_paths([folder / name], tmp_path / f"kept-{name}")
        assert run.documents == len(ids), name
        assert run.skipped == (), name
        assert run.written == len(ids) - len(run.deduplication.removed), name
