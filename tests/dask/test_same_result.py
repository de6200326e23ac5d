"""The Dask backend reports what the local backend reports: the same documents, skips, pairs with
their scores, families (ids, members, cohesion), stories and lineage."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from dask_corpus import simulated_rows, write_jsonl
from distributed import Client

import dedup
import dedup.dask
from dedup.model import COPY_RELATIONS, Relation

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def assert_same(local: dedup.ScanResult, dist: dedup.ScanResult) -> None:
    """Field by field, so that a failure names what differs."""
    assert dist.documents == local.documents
    assert dist.skipped == local.skipped
    assert dist.pairs == local.pairs
    assert dist.families == local.families
    assert dist.stories == local.stories
    assert dist.lineage == local.lineage
    assert dist == local


def test_seeds_give_the_local_result(client: Client) -> None:
    local = dedup.scan([SEEDS])
    dist = dedup.dask.scan([SEEDS], client=client)
    assert_same(local, dist)
    assert {p.relation for p in dist.pairs} >= {Relation.NEAR_DUPLICATE, Relation.SAME_STORY}


@pytest.fixture(scope="module")
def syndicated(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """A simulated syndicated corpus in three JSONL shards, with what real feeds contain too:
    re-sent texts under new ids, an id repeated across shards, broken and empty records."""
    folder = tmp_path_factory.mktemp("shards")
    rows = simulated_rows()
    resent = [{"id": f"resent-{i}", "text": rows[i]["text"]} for i in range(0, 30, 3)]
    third = len(rows) // 3
    bad = ['{"id": "broken", "text": ', '{"id": "blank", "text": "   "}',
           '{"id": "marks", "text": "!!! ... ???"}', "[1, 2]"]  # fmt: skip
    repeated = {"id": rows[0]["id"], "text": "an id seen in another shard"}
    return [
        write_jsonl(folder / "a.jsonl", [*rows[:third], *resent[:5]], tuple(bad[:2])),
        write_jsonl(folder / "b.jsonl", [*rows[third : 2 * third], repeated], tuple(bad[2:])),
        write_jsonl(folder / "c.jsonl", [*rows[2 * third :], *resent[5:]]),
    ]


def test_simulated_shards_give_the_local_result(client: Client, syndicated: list[Path]) -> None:
    local = dedup.scan(syndicated)
    # Small blocks: each shard is cut into several partitions, lines and pairs across them.
    dist = dedup.dask.scan(syndicated, client=client, block_bytes=40_000)
    assert dist.stats["partitions"] >= 6
    assert_same(local, dist)
    relations = {p.relation for p in dist.pairs}
    assert {Relation.EXACT_DUPLICATE, Relation.NEAR_DUPLICATE} <= relations
    assert sum(len(f.members) > 2 for f in dist.families) >= 5
    reasons = {s.reason.split(" (")[0] for s in dist.skipped}
    assert {"no words to compare", "empty text", "line is not a JSON object"} <= reasons


def test_copy_scan_with_a_tight_bucket_cap_gives_the_local_result(
    client: Client, syndicated: list[Path]
) -> None:
    # A cap of one neighbour per bucket member: which pairs the LSH proposes depends on the
    # members' order, so this checks that the shuffled buckets keep the local order.
    config = dedup.ScanConfig(
        lsh=dedup.LshParams(max_bucket_pairs=1), story=False, lineage=False
    )
    local = dedup.scan(syndicated, config)
    dist = dedup.dask.scan(syndicated, config, client=client, block_bytes=40_000)
    assert_same(local, dist)
    full = dedup.scan(syndicated, dedup.ScanConfig(story=False, lineage=False))
    assert len(local.pairs) < len(full.pairs)


def test_passages_are_aligned_as_locally(client: Client) -> None:
    config = dedup.ScanConfig(passages=True, story=False)
    local = dedup.scan([SEEDS], config)
    dist = dedup.dask.scan([SEEDS], config, client=client)
    assert [p.alignment for p in dist.pairs] == [p.alignment for p in local.pairs]
    assert all(p.alignment is not None for p in dist.pairs)


def test_a_bad_shard_is_reported_like_a_bad_file(client: Client, tmp_path: Path) -> None:
    good = write_jsonl(tmp_path / "good.jsonl", simulated_rows(4, 6))
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256)))
    (tmp_path / "empty.jsonl").write_bytes(b"\n\n")
    (tmp_path / "bad.jsonl").write_bytes(b'{"id": 1, "text": "ok words here"}\n\xff\xfe{\n')
    (tmp_path / "gone.jsonl").symlink_to(tmp_path / "nowhere.jsonl")
    paths = [good, tmp_path / "binary.txt", tmp_path / "empty.jsonl", tmp_path / "bad.jsonl",
             tmp_path / "gone.jsonl", tmp_path / "missing.jsonl"]  # fmt: skip
    local = dedup.scan(paths)
    dist = dedup.dask.scan(paths, client=client, block_bytes=16_000)
    assert_same(local, dist)
    reasons = {Path(s.path.split(":")[0]).name: s.reason for s in dist.skipped}
    assert set(reasons) == {"binary.txt", "empty.jsonl", "bad.jsonl", "gone.jsonl", "missing.jsonl"}
    assert reasons["bad.jsonl"] == "line is not valid UTF-8"


def test_parquet_shards_read_like_jsonl(client: Client, tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    import pyarrow as pa

    rows = simulated_rows(6, 10)
    table = pa.Table.from_pylist([{"id": r["id"], "text": r["text"]} for r in rows])
    pq.write_table(table, tmp_path / "news.parquet", row_group_size=40)
    (tmp_path / "broken.parquet").write_bytes(b"PAR1 not really")
    local = dedup.scan(write_jsonl(tmp_path / "news.jsonl", rows))
    dist = dedup.dask.scan([tmp_path / "news.parquet", tmp_path / "broken.parquet"],
                           client=client)  # fmt: skip
    assert [d.id for d in dist.documents] == [d.id for d in local.documents]
    assert dist.pairs == local.pairs
    assert dist.families == local.families
    [broken] = dist.skipped
    assert broken.path.endswith("broken.parquet")
    assert broken.reason.startswith("cannot read as Parquet")


def test_copy_families_are_found_across_partitions(client: Client, tmp_path: Path) -> None:
    # One copy chain spread over three files: its family can only be built by merging the
    # partitions' components.
    rows = simulated_rows(6, 0)
    found = dedup.scan_documents([dedup.Document(r["id"], r["text"]) for r in rows])
    copied = {d for p in found.pairs if p.relation in COPY_RELATIONS for d in (p.a, p.b)}
    copies = [r for r in rows if r["id"] in copied]
    paths = [write_jsonl(tmp_path / f"{i}.jsonl", copies[i::3]) for i in range(3)]
    local = dedup.scan(paths, dedup.ScanConfig(story=False))
    dist = dedup.dask.scan(paths, dedup.ScanConfig(story=False), client=client)
    assert dist.families == local.families
    assert max(len(f.members) for f in dist.families) >= 3
    assert json.dumps([f.members for f in dist.families])


def test_the_client_reads_jsonl_texts_again_from_their_lines(
    client: Client, tmp_path: Path
) -> None:
    # A byte-order mark, multi-byte text and blocks that cut the file: offsets must hold.
    rows = simulated_rows()[:60]
    rows[0] = {"id": rows[0]["id"], "text": "Été — " + rows[0]["text"]}
    path = tmp_path / "feed.jsonl"
    lines = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    path.write_bytes(b"\xef\xbb\xbf" + lines.encode("utf-8"))
    dist = dedup.dask.scan([path], client=client, block_bytes=20_000)
    assert dist.stats["partitions"] >= 3
    assert [(d.id, d.text) for d in dist.documents] == [(r["id"], r["text"]) for r in rows]
    # The texts were read again from the file, not held: a changed file is noticed.
    path.write_bytes(path.read_bytes().replace(b"the", b"THE"))
    with pytest.raises(dedup.InputError, match="changed since it was scanned"):
        [d.text for d in dist.documents]
