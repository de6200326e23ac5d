"""``scan_to`` and ``dedup scan --out``: the tables hold the local scan's result; the work grows
linearly with the partitions; bad output folders are refused."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from dask_corpus import simulated_rows, write_jsonl
from dask_tasks import counting, detach
from distributed import Client, LocalCluster

import dedup
import dedup.dask
from dedup.cli import main
from dedup.errors import ConfigError
from dedup.report import folder

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
COPIES = dedup.ScanConfig(story=False, lineage=False)


@pytest.fixture(scope="module")
def shards(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Two shards with re-sent texts, an id repeated across them and broken lines."""
    folder = tmp_path_factory.mktemp("shards")
    rows = simulated_rows(20, 50)
    resent = [{"id": f"resent-{i}", "text": rows[i]["text"]} for i in range(0, 20, 4)]
    repeated = {"id": rows[0]["id"], "text": "an id seen in the other shard"}
    return [
        write_jsonl(folder / "a.jsonl", [*rows[::2], *resent], ('{"id": "cut", "text": ',)),
        write_jsonl(folder / "b.jsonl", [*rows[1::2], repeated], ('{"id": "blank", "text": " "}',)),
    ]


def test_workers_write_the_local_copy_result(
    client: Client, shards: list[Path], tmp_path: Path
) -> None:
    local = dedup.scan(shards, COPIES)
    manifest = dedup.dask.scan_to(shards, tmp_path / "out", COPIES, client=client,
                                  block_bytes=30_000)  # fmt: skip
    assert manifest["written_by"] == "workers"
    assert manifest["stats"]["partitions"] >= 4
    assert manifest["tables"]["pairs"]["schema"] == "dedup.pairs/1"
    assert len(manifest["tables"]["pairs"]["partitions"]) >= 4  # one file per partition
    back = folder.read_result(str(tmp_path / "out"))
    assert back.documents == local.documents
    assert back.skipped == local.skipped
    assert back.pairs == local.pairs
    assert back.families == local.families
    assert sum(len(f.members) > 2 for f in back.families) >= 3
    # A report's sample: the highest scored pairs, in the scan's order.
    assert folder.read_result(str(tmp_path / "out"), max_pairs=5).pairs == local.pairs[:5]
    assert {p.relation for p in back.pairs} >= {dedup.Relation.EXACT_DUPLICATE}


def test_a_full_scan_writes_its_stories_and_lineage(client: Client, tmp_path: Path) -> None:
    local = dedup.scan([SEEDS])
    manifest = dedup.dask.scan_to([SEEDS], tmp_path / "out", client=client)
    back = folder.read_result(str(tmp_path / "out"))
    assert manifest["written_by"] == "client"
    assert back == local
    assert (back.pairs, back.stories, back.lineage) == (local.pairs, local.stories, local.lineage)
    assert len(back.lineage) > 0


def test_report_renders_what_scan_reports(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    args = [str(SEEDS), "--no-stories", "--no-lineage"]
    assert main(["scan", *args, "--format", "json"]) == 0
    direct = json.loads(capsys.readouterr().out)
    out = str(tmp_path / "out")
    assert main(["scan", *args, "--backend", "dask", "--workers", "2", "--out", out]) == 0
    assert "written by the workers" in capsys.readouterr().out
    assert main(["report", out, "--format", "json"]) == 0
    rendered: dict[str, Any] = json.loads(capsys.readouterr().out)
    for key in ("schema", "config", "documents", "skipped", "pairs", "families"):
        assert rendered[key] == direct[key], key
    assert main(["report", out, "--format", "html", "-o", str(tmp_path / "r.html")]) == 0
    assert "<html" in (tmp_path / "r.html").read_text(encoding="utf-8")


def test_bad_output_folders_are_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "notes.txt").write_text("mine")
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    (inputs / "a.txt").write_text("some words to scan here")
    assert main(["scan", str(inputs), "--out", str(taken)]) == 2
    assert main(["scan", str(inputs), "--out", str(inputs / "out")]) == 2
    assert main(["scan", str(inputs), "--out", str(tmp_path / "o"), "--passages"]) == 2
    assert main(["report", str(taken)]) == 1
    err = capsys.readouterr().err
    assert "is not a previous dedup output" in err and "inside the input" in err
    assert "not a dedup output folder" in err and "Traceback" not in err
    assert (taken / "notes.txt").read_text() == "mine"
    with pytest.raises(ConfigError):
        dedup.dask.scan_to([inputs], taken)


def test_tasks_grow_linearly_with_partitions(tmp_path: Path) -> None:
    """At 4, 8 and 16 partitions, the tasks of each stage (its own functions) and of the whole
    scan (with the shuffles') grow by a constant per partition: going from 8 to 16 adds about
    twice what going from 4 to 8 added (one task per pair of partitions would add four times)."""
    path = write_jsonl(tmp_path / "a.jsonl", simulated_rows(16, 40))
    size = path.stat().st_size
    counts: dict[int, dict[str, int]] = {}
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=":0") as cluster,
        Client(cluster) as client,
    ):  # fmt: skip
        for parts in (4, 8, 16):
            counter = counting(cluster)
            manifest = dedup.dask.scan_to([path], tmp_path / f"out-{parts}", COPIES,
                                          client=client, block_bytes=size // parts + 1)  # fmt: skip
            detach(cluster, counter)
            assert manifest["stats"]["partitions"] == parts
            counts[parts] = {**counter.own, "all": sum(counter.tasks.values())}
    for stage in ("read", "ids", "features", "exact", "lsh", "verify", "families", "all"):
        low, mid, high = (counts[p].get(stage, 0) for p in (4, 8, 16))
        assert 0 < low < mid < high <= 2.5 * mid, (stage, counts)
        assert high - mid <= 2.5 * (mid - low), (stage, counts)
