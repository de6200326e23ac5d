"""``dedup index``, ``dedup query`` and ``dedup scan --db`` run in-process, as a user runs them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from dedup.cli import main
from dedup.index.store import FORMAT_VERSION

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
SEED = {p.name[:3]: p for p in sorted(SEEDS.iterdir())}


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "news.dedup"
    code, out, _ = run(["index", "add", str(SEEDS), "--db", str(path)], capsys)
    assert code == 0
    assert out.startswith("dedup index add: 5 added, 0 updated, 0 unchanged, 0 skipped")
    return path


def test_query_reports_the_near_duplicate_with_scores(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(["query", str(SEED["001"]), "--db", str(db), "--format", "json"], capsys)
    assert code == 0
    report = json.loads(out)
    assert report["schema"] == "dedup.query/1"
    first = report["matches"][0]
    assert (first["id"][:3], first["relation"]) == ("002", "near-duplicate")
    assert first["jaccard"] == pytest.approx(0.937, abs=0.001)
    assert first["containment"] == {"query_in_match": 1.0, "match_in_query": pytest.approx(
        0.937, abs=0.001)}


def test_query_of_the_other_telling_lists_same_story_matches(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(["query", str(SEED["000"]), "--db", str(db)], capsys)
    assert code == 0
    lines = [line.split() for line in out.splitlines() if line.startswith("  ")]
    assert {(rel, doc[:3]) for rel, doc, *_ in lines} >= {("same-story", "001"),
                                                          ("same-story", "002")}


def test_top_passages_and_min_containment(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["query", str(SEED["001"]), "--db", str(db), "--format", "json"]
    _, out, _ = run([*args, "--top", "1", "--passages"], capsys)
    (match,) = json.loads(out)["matches"]
    assert match["passages"] and match["coverage"]
    _, out, _ = run([*args, "--min-containment", "0.5"], capsys)
    assert [m["id"][:3] for m in json.loads(out)["matches"]] == ["002"]


def test_re_adding_a_folder_processes_only_what_changed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "archive"
    shutil.copytree(SEEDS, folder)
    path = str(tmp_path / "i.dedup")
    assert run(["index", "add", str(folder), "--db", path], capsys)[0] == 0
    (folder / SEED["003"].name).write_text("An entirely new text about the harbour strike.")
    code, out, _ = run(["index", "add", str(folder), "--db", path, "--format", "json"], capsys)
    report = json.loads(out)
    assert code == 0
    assert (report["added"], report["updated"], len(report["unchanged"])) == (
        [], [SEED["003"].name], 4)


def test_stats_remove_and_scan_of_the_index(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["index", "stats", "--db", str(db), "--format", "json"], capsys)
    stats = json.loads(out)
    assert (code, stats["documents"], stats["format_version"]) == (0, 5, FORMAT_VERSION)
    code, out, _ = run(["scan", "--db", str(db), "--format", "json"], capsys)
    families = [f["members"] for f in json.loads(out)["families"] if f["size"] > 1]
    assert (code, [[m[:3] for m in f] for f in families]) == (0, [["001", "002"]])
    code, out, err = run(["index", "remove", SEED["002"].name, "nope", "--db", str(db)], capsys)
    assert (code, out) == (1, f"dedup index remove: 1 removed ({db}: 4 documents)\n")
    assert "not in the index: nope" in err
    _, out, _ = run(["scan", "--db", str(db), "--format", "json"], capsys)
    assert all(f["size"] == 1 for f in json.loads(out)["families"])


def test_scan_with_db_and_paths_adds_them_first(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(tmp_path / "new.dedup")
    code, out, _ = run(["scan", str(SEED["001"]), str(SEED["002"]), "--db", path], capsys)
    assert code == 0 and "1 family of copies" in out
    code, out, _ = run(["scan", "--db", path], capsys)
    assert code == 0 and "dedup scan: 2 documents" in out


def test_scan_without_paths_or_db_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["scan"], capsys)
    assert code == 2 and "--db" in err


@pytest.mark.parametrize("command", [["index", "stats"], ["query", str(SEED["001"])],
                                     ["scan"], ["index", "add", str(SEEDS)]])
def test_a_foreign_file_as_db_is_refused_without_traceback_and_kept(
    tmp_path: Path, command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    foreign = tmp_path / "notes.txt"
    foreign.write_text("not an index\n")
    code, _, err = run([*command, "--db", str(foreign)], capsys)
    assert code == 1
    assert err.startswith(f"dedup: error: {foreign}: not a dedup index")
    assert "Traceback" not in err
    assert foreign.read_text() == "not an index\n"


def test_a_missing_index_is_an_error_when_reading(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(["query", str(SEED["001"]), "--db", str(tmp_path / "x.dedup")], capsys)
    assert code == 1 and "no index here" in err
    assert not (tmp_path / "x.dedup").exists()


def test_other_parameters_on_an_existing_index_are_a_usage_error(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(["index", "add", str(SEEDS), "--db", str(db), "--num-perm", "64"], capsys)
    assert code == 2 and "other parameters" in err and "num_perm" in err


def test_an_unreadable_query_file_is_reported(db: Path, capsys: pytest.CaptureFixture[str],
                                               tmp_path: Path) -> None:
    code, _, err = run(["query", str(tmp_path / "gone.txt"), "--db", str(db)], capsys)
    assert code == 1 and "gone.txt" in err


def test_migrate_says_when_the_file_is_current(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(["index", "migrate", "--db", str(db)], capsys)
    assert code == 0 and "already of the current format" in out


def test_adding_nothing_readable_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    code, out, err = run(["index", "add", str(empty), "--db", str(tmp_path / "i.dedup")], capsys)
    assert code == 1 and "empty file" in out and "no input" in err


def test_query_with_lineage_says_who_copied_whom(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["query", str(SEED["001"]), "--db", str(db), "--lineage", "--format", "json"]
    code, out, _ = run(args, capsys)
    edges = {(e["source"][:3], e["target"][:3]) for e in json.loads(out)["lineage"]["edges"]}
    assert code == 0 and ("002", "001") in edges


def test_a_looser_match_shows_the_evidence_the_scan_shows(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(["query", str(SEED["000"]), "--db", str(db), "--format", "json"], capsys)
    assert code == 0
    looser = {m["id"][:3]: m["evidence"] for m in json.loads(out)["matches"]
              if m["relation"] == "same-story"}
    code, out, _ = run(["scan", str(SEEDS), "--format", "json", "--no-lineage"], capsys)
    assert code == 0
    scanned = {(p["a"][:3], p["b"][:3]): p.get("evidence") for p in json.loads(out)["pairs"]}
    assert looser.keys() >= {"001", "002"}
    for other, evidence in looser.items():
        # The index weighs words by documents, the scan by copy families (001 and 002 are
        # one): the verbatim figure is the same, the rare-word figures close.
        theirs = scanned[("000", other)]
        assert evidence.keys() == theirs.keys()
        assert evidence["shared_shingles"] == theirs["shared_shingles"] > 0
        assert abs(evidence["rare_words"] - theirs["rare_words"]) <= 2
    code, out, _ = run(["query", str(SEED["000"]), "--db", str(db)], capsys)
    assert "rare words in common" in out
