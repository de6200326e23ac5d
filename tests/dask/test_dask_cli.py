"""``dedup scan --backend dask``: the same report as the local backend, clear errors otherwise."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from dedup.cli import main

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO / "seeds"
REUTERS = [REPO / "benchmarks" / "out" / "reuters.jsonl",
           REPO.parent / "main" / "benchmarks" / "out" / "reuters.jsonl"]  # fmt: skip


def report(args: list[str], capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    code = main(["scan", *args, "--format", "json"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    data: dict[str, Any] = json.loads(captured.out)
    return data


def same_findings(local: dict[str, Any], dist: dict[str, Any]) -> None:
    for key in ("documents", "skipped", "pairs", "families"):
        assert dist[key] == local[key], key
    assert dist.get("stories") == local.get("stories")
    assert dist.get("lineage") == local.get("lineage")


def test_seeds_report_is_the_local_one(capsys: pytest.CaptureFixture[str]) -> None:
    local = report([str(SEEDS)], capsys)
    dist = report([str(SEEDS), "--backend", "dask", "--workers", "2"], capsys)
    same_findings(local, dist)
    assert any(p["relation"] == "near-duplicate" for p in dist["pairs"])


def test_reuters_report_is_the_local_one(capsys: pytest.CaptureFixture[str]) -> None:
    path = next((p for p in REUTERS if p.exists()), None)
    if path is None:
        pytest.skip("no Reuters JSONL: python benchmarks/reuters_to_jsonl.py makes it")
    # The copy report: the local story tier alone takes minutes on Reuters.
    args = [str(path), "--no-stories"]
    local = report(args, capsys)
    dist = report([*args, "--backend", "dask", "--workers", "2"], capsys)
    same_findings(local, dist)
    assert len(dist["pairs"]) > 900
    assert sum(len(f["members"]) > 1 for f in dist["families"]) > 800


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--workers", "2"], "need --backend dask"),
        (["--backend", "dask", "--workers", "0"], "argument --workers: must be a positive"),
    ],
)
def test_backend_option_misuse_is_a_usage_error(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["scan", str(SEEDS), *args]) == 2
    assert message in capsys.readouterr().err


def test_unreachable_scheduler_is_one_clear_line(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["scan", str(SEEDS), "--backend", "dask", "--scheduler", "tcp://127.0.0.1:9"])
    err = capsys.readouterr().err
    assert code == 1
    assert "cannot reach the Dask scheduler tcp://127.0.0.1:9" in err
    assert "Traceback" not in err


def test_missing_extra_names_the_install_command(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in [m for m in sys.modules if m == "dedup.dask" or m.startswith("dedup.dask.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "distributed", None)
    code = main(["scan", str(SEEDS), "--backend", "dask"])
    err = capsys.readouterr().err
    assert code == 1
    assert "pip install 'dedup-lineage[dask]'" in err
