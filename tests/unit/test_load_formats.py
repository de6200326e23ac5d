"""The format registry: suffixes, content sniffing, compression, JSON and CSV records, URLs,
and what dedupe writes for each."""

from __future__ import annotations

import bz2
import csv
import gzip
import json
from pathlib import Path

import pytest

from dedup.config import LoadConfig, ScanConfig
from dedup.deduplication.files import dedupe_paths
from dedup.errors import ConfigError
from dedup.loading import load, load_sourced
from dedup.loading.formats import format_of
from dedup.model import Document, Skipped

TEXT = "The council approved the budget for the new bridge on Tuesday after a long debate."


def _docs(results: list[Document | Skipped]) -> list[tuple[str, str]]:
    return [(r.id, r.text) for r in results if isinstance(r, Document)]


def _skips(results: list[Document | Skipped]) -> list[tuple[str, str]]:
    return [(Path(r.path).name, r.reason) for r in results if isinstance(r, Skipped)]


@pytest.mark.parametrize(
    ("name", "expected"),
    [("a.txt", "text"), ("a.MD", "text"), ("a.htm", "html"), ("a.ndjson", "jsonl"),
     ("a.jsonl.gz", "jsonl"), ("a.csv.bz2", "csv"), ("a.tab", "tsv"), ("a.parq", "parquet"),
     ("a.json.zst", "json"), ("a.log", "text"), ("a", "text")],
)  # fmt: skip
def test_the_format_comes_from_the_suffix_after_compression(name: str, expected: str) -> None:
    assert format_of(name).name == expected


def test_compressed_files_are_read_and_content_sniffed(tmp_path: Path) -> None:
    (tmp_path / "a.txt.gz").write_bytes(gzip.compress(TEXT.encode()))
    (tmp_path / "b.txt.bz2").write_bytes(bz2.compress(TEXT.encode() + b" Again."))
    (tmp_path / "c").write_bytes(gzip.compress(TEXT.encode() + b" Third."))  # no suffix
    # A truncated file gives the lines before the damage, then says why it stopped.
    lines = b"".join(b'{"id": "x%d", "text": "Hi %d."}\n' % (n, n) for n in range(2000))
    packed = gzip.compress(lines)
    (tmp_path / "d.jsonl.gz").write_bytes(packed[: len(packed) // 2])
    results = list(load([tmp_path]))
    assert _docs(results)[:3] == [
        ("a.txt.gz", TEXT), ("b.txt.bz2", TEXT + " Again."), ("c", TEXT + " Third.")
    ]
    assert 0 < len(_docs(results)) - 3 < 2000
    [(name, reason)] = _skips(results)
    assert name == "d.jsonl.gz" and reason.startswith("cannot read")


def test_texts_that_cannot_be_read_again_at_an_offset_are_kept(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_text('{"id": "p", "text": "Plain."}\n')
    (tmp_path / "b.jsonl.gz").write_bytes(gzip.compress(b'{"id": "z", "text": "Zipped."}\n'))
    (tmp_path / "c.txt.gz").write_bytes(gzip.compress(b"Whole file."))
    sources = {d.id: s for d, s in (r for r in load_sourced([tmp_path]) if isinstance(r, tuple))}
    assert sources["p"] is not None and sources["p"].offset == 0
    assert sources["z"] is None  # kept in memory
    assert sources["c.txt.gz"] is not None and sources["c.txt.gz"].offset == -1  # re-decompressed


def test_json_arrays_objects_and_lines(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text(json.dumps([{"id": "a1", "text": "One."}, 5,
                                                 {"id": "a2", "text": "Two."}]))  # fmt: skip
    (tmp_path / "b.json").write_text(json.dumps({"id": "b1", "text": "Alone."}, indent=2))
    (tmp_path / "c.json").write_text('{"id": "c1", "text": "L1."}\n{"id": "c2", "text": "L2."}\n')
    (tmp_path / "d.json").write_text("[1, 2")
    results = list(load([tmp_path]))
    assert _docs(results) == [("a1", "One."), ("a2", "Two."), ("b1", "Alone."),
                              ("c1", "L1."), ("c2", "L2.")]  # fmt: skip
    assert _skips(results) == [("a.json:2", "array item is not a JSON object"),
                               ("d.json", "invalid JSON: Expecting ',' delimiter at line 1")]


def test_csv_and_tsv_rows_with_the_record_options(tmp_path: Path) -> None:
    with (tmp_path / "a.csv").open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["key", "body", "when"])
        writer.writerow(["k1", "A body,\nwith a comma and a newline.", "Tue, 20 Dec 2022 10:00:00 GMT"])
        writer.writerow(["k2", "", "2022-12-21"])
    (tmp_path / "b.tsv").write_text("key\tbody\nk3\tTabbed body.\n")
    (tmp_path / "c.csv").write_bytes(b"key,body\nk4,caf\xe9\n")
    config = LoadConfig(text_field="body", id_field="key", date_field="when")
    results = list(load([tmp_path], config))
    assert _docs(results) == [("k1", "A body,\nwith a comma and a newline."), ("k3", "Tabbed body.")]
    assert results[0].metadata["date"] == "2022-12-20T10:00:00+00:00"  # type: ignore[union-attr]
    assert _skips(results) == [("a.csv:2", "empty text"),
                               ("c.csv", "not valid UTF-8 (CSV and TSV files are read as UTF-8)")]


def test_a_url_is_read_through_fsspec(tmp_path: Path) -> None:
    fsspec = pytest.importorskip("fsspec")
    with fsspec.open("memory://bucket/news.jsonl.gz", "wb") as out:
        out.write(gzip.compress(b'{"id": "u1", "text": "From afar."}\n'))
    results = list(load(["memory://bucket/news.jsonl.gz"]))
    assert _docs(results) == [("u1", "From afar.")]
    assert _skips(list(load(["nosuchscheme://x/y.txt"])))[0][1].startswith("cannot")


def test_parquet_is_sniffed_by_its_magic_bytes(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    pq.write_table(pa.Table.from_pylist([{"id": "q1", "text": "Columnar."}]), tmp_path / "data")
    assert _docs(list(load([tmp_path / "data"]))) == [("q1", "Columnar.")]


def test_dedupe_writes_csv_records_and_compressed_jsonl_in_their_format(tmp_path: Path) -> None:
    rows = [{"id": "r1", "text": TEXT, "extra": "x"}, {"id": "r2", "text": TEXT, "extra": "y"},
            {"id": "r3", "text": "Something else entirely, about the harbour.", "extra": "z"}]
    with (tmp_path / "in.csv").open("w", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=["id", "text", "extra"])
        writer.writeheader()
        writer.writerows(rows)
    config = ScanConfig()
    run = dedupe_paths([tmp_path / "in.csv"], tmp_path / "out.csv", "first", config=config)
    assert (run.documents, run.written) == (3, 2)
    with (tmp_path / "out.csv").open(newline="") as handle:
        assert list(csv.DictReader(handle)) == [rows[0], rows[2]]

    lines = b"".join(json.dumps(r).encode() + b"\n" for r in rows)
    (tmp_path / "in.jsonl.gz").write_bytes(gzip.compress(lines))
    dedupe_paths([tmp_path / "in.jsonl.gz"], tmp_path / "out.jsonl.gz", "first", config=config)
    kept = gzip.decompress((tmp_path / "out.jsonl.gz").read_bytes()).splitlines()
    assert [json.loads(line)["id"] for line in kept] == ["r1", "r3"]

    with pytest.raises(ConfigError, match="standard input"):
        dedupe_paths(["-"], tmp_path / "out.jsonl")
