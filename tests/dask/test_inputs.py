"""JSONL files cut into byte blocks read back as ``dedup.load`` reads them whole: the same
records, ids and line numbers, wherever the cuts fall."""

from __future__ import annotations

from pathlib import Path

import pytest

from dedup.config import LoadConfig
from dedup.dask.inputs import Shard, count_newlines, number_lines, plan, read_shard
from dedup.loading import load

LINES = [
    b'\xef\xbb\xbf{"id": "first", "text": "after a byte order mark"}\r\n',
    b"\n",
    b'{"text": "no id: the fallback is file and line"}\n',
    b"   \n",
    b'{"id": "x", "text": \n',
    b'{"id": 7, "text": "a number as id", "title": "T"}\r\n',
    b'{"text": "the last line has no newline"}',
]


@pytest.mark.parametrize("block", [1, 2, 3, 5, 8, 13, 40, 1000])
def test_blocks_read_like_the_whole_file(tmp_path: Path, block: int) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_bytes(b"".join(LINES))
    whole = list(load([str(path)]))
    units = plan([str(path)], block)
    blocks = [u for u in units if isinstance(u, Shard)]
    assert len(blocks) == -(-path.stat().st_size // block)
    numbered = number_lines(units, [count_newlines(b) for b in blocks])
    read = [item for unit in numbered if isinstance(unit, Shard)
            for item in read_shard(unit, LoadConfig()).items]  # fmt: skip
    located = [item[0] if isinstance(item, tuple) else item for item in read]
    assert located == whole
    assert [d.id for d in whole if not hasattr(d, "reason")] == [
        "first", "feed.jsonl:3", "7", "feed.jsonl:7"
    ]
