"""A scan of files keeps no texts: ScanResult.documents reads them again, and checks them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import dedup
from dedup.documents import DocumentStore
from dedup.errors import InputError

STORY = "The council approved the new budget for the harbour after a long debate on Monday. "


def write_jsonl(path: Path, texts: list[str], bom: bool = False) -> None:
    lines = [json.dumps({"id": f"d{i}", "text": t, "date": "2024-05-0" + str(i + 1)},
                        ensure_ascii=False) for i, t in enumerate(texts)]  # fmt: skip
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + "\n\n".join(lines).encode() + b"\n")


def test_scanned_documents_give_back_the_texts_that_were_read(tmp_path: Path) -> None:
    texts = [STORY * 3, "Zürich – “quoted” text\u2028with a line separator " * 4, STORY * 2 + "x"]
    write_jsonl(tmp_path / "news.jsonl", texts, bom=True)
    (tmp_path / "page.html").write_text(f"<html><body><p>{STORY}</p></body></html>")
    (tmp_path / "note.txt").write_text(STORY + "\nsecond line\n", encoding="utf-16")
    result = dedup.scan([tmp_path])
    assert list(result.documents) == list(dedup.load([tmp_path]))
    assert [doc.text for doc in result.documents][:3] == texts


def test_a_file_changed_after_the_scan_is_an_input_error_not_another_text(
    tmp_path: Path,
) -> None:
    path = tmp_path / "news.jsonl"
    write_jsonl(path, [STORY * 3, STORY * 2])
    result = dedup.scan([path])
    write_jsonl(path, [STORY * 3, "A different story entirely, of the same length?"[:0] + STORY])
    assert result.documents[0].text == STORY * 3
    with pytest.raises(InputError, match="news.jsonl"):
        _ = result.documents[1].text
    path.unlink()
    with pytest.raises(InputError, match="news.jsonl"):
        _ = result.documents[0].text


def test_documents_given_in_memory_are_kept_as_given() -> None:
    docs = [dedup.Document(id="a", text=STORY), dedup.Document(id="b", text=STORY + "more")]
    result = dedup.scan_documents(docs)
    assert result.documents == tuple(docs)
    assert list(result.documents[::-1]) == docs[::-1]


def test_store_equality_and_indexing_behave_like_a_tuple() -> None:
    docs = (dedup.Document(id="a", text="one"), dedup.Document(id="b", text="two"))
    store = DocumentStore.of(docs)
    assert store == docs and store != docs[:1] and store[-1] == docs[-1]
    with pytest.raises(IndexError):
        store[2]
