"""JSON Lines inputs: fields, ids, broken lines, duplicates."""

from __future__ import annotations

import json
from pathlib import Path

from dedup.config import LoadConfig
from dedup.loading import load
from dedup.model import Document, Skipped


def _write_lines(path: Path, lines: list[str | bytes]) -> Path:
    path.write_bytes(b"".join((x if isinstance(x, bytes) else x.encode()) + b"\n" for x in lines))
    return path


def _record(**fields: object) -> str:
    return json.dumps(fields, ensure_ascii=False)


def test_each_line_becomes_a_document_with_its_id_and_metadata(tmp_path: Path) -> None:
    path = _write_lines(
        tmp_path / "news.jsonl",
        [
            _record(id="a", text="First story.", title="T1", url="https://x/a", published="2022"),
            "",
            _record(id=7, text="Second story, numeric id."),
        ],
    )

    results = list(load([path], LoadConfig(date_field="published")))

    assert results == [
        Document(id="a", text="First story.", path=str(path)),
        Document(id="7", text="Second story, numeric id.", path=str(path)),
    ]
    assert [dict(r.metadata) for r in results if isinstance(r, Document)] == [
        {"title": "T1", "url": "https://x/a", "date": "2022"},
        {},
    ]


def test_custom_text_and_id_fields_are_used(tmp_path: Path) -> None:
    path = _write_lines(
        tmp_path / "feed.ndjson",
        [_record(key="k1", body="Body one.", text="ignored"), _record(key="k2", body="Body two.")],
    )

    results = list(load([path], LoadConfig(text_field="body", id_field="key")))

    assert [(r.id, r.text) for r in results if isinstance(r, Document)] == [
        ("k1", "Body one."),
        ("k2", "Body two."),
    ]


def test_missing_id_falls_back_to_file_id_and_line_number(tmp_path: Path) -> None:
    path = _write_lines(
        tmp_path / "f.jsonl",
        [_record(text="one"), _record(id="", text="two"), _record(id=None, text="3")],
    )

    assert [r.id for r in load([path]) if isinstance(r, Document)] == [
        "f.jsonl:1",
        "f.jsonl:2",
        "f.jsonl:3",
    ]


def test_broken_lines_are_reported_with_line_numbers_and_the_rest_loads(tmp_path: Path) -> None:
    path = _write_lines(
        tmp_path / "mixed.jsonl",
        [
            _record(id="ok1", text="Fine."),
            '{"id": "bad", "text": ',
            b'{"id": "latin", "text": "caf\xe9"}',
            "[1, 2, 3]",
            _record(id="notext", body="x"),
            _record(id="number", text=5),
            _record(id="blank", text="   \n"),
            _record(id=["a"], text="list id"),
            _record(id="ok2", text="Also fine."),
        ],
    )

    results = list(load([path]))

    assert [r.id for r in results if isinstance(r, Document)] == ["ok1", "ok2"]
    skipped = [r for r in results if isinstance(r, Skipped)]
    assert [s.path for s in skipped] == [f"{path}:{n}" for n in (2, 3, 4, 5, 6, 7, 8)]
    assert skipped[0].reason.startswith("invalid JSON: Expecting value")
    assert [s.reason for s in skipped[1:]] == [
        "line is not valid UTF-8",
        "line is not a JSON object",
        "no field 'text' (text fields found: id, body; choose one with --text-field)",
        "field 'text' is not a string",
        "empty text",
        "field 'id' is not a string or number",
    ]


def test_duplicate_ids_are_skipped_and_name_the_first(tmp_path: Path) -> None:
    first = _write_lines(
        tmp_path / "a.jsonl", [_record(id="x", text="one"), _record(id="y", text="2")]
    )
    second = _write_lines(tmp_path / "b.jsonl", [_record(id="x", text="three")])

    results = list(load([first, second]))

    assert [r.id for r in results if isinstance(r, Document)] == ["x", "y"]
    assert results[2] == Skipped(f"{second}:1", f"duplicate id 'x' (first seen at {first}:1)")


def test_a_byte_order_mark_on_the_first_line_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "bom.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + _record(id="a", text="été").encode() + b"\r\n")

    assert [(r.id, r.text) for r in load([path]) if isinstance(r, Document)] == [("a", "été")]


def test_jsonl_is_not_subject_to_the_file_size_limit(tmp_path: Path) -> None:
    path = _write_lines(tmp_path / "big.jsonl", [_record(id=i, text="x" * 50) for i in range(10)])

    results = list(load([path], LoadConfig(max_file_bytes=100)))

    assert all(isinstance(r, Document) for r in results) and len(results) == 10


def test_an_empty_jsonl_file_is_skipped(tmp_path: Path) -> None:
    path = _write_lines(tmp_path / "none.jsonl", ["", "  "])

    assert list(load([path])) == [Skipped(str(path), "empty file")]
