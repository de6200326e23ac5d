"""Inputs and outputs users already have (issue 20), run in-process as a user runs them:
Parquet, CSV, compressed JSONL and standard input; dates in RFC 2822; tables of pairs and
families; and the friction cases (outputs checked first, outputs never inputs, one line for a
missing text field, symlinked folders)."""

from __future__ import annotations

import csv
import gzip
import io
import json
import sys
from pathlib import Path

import pytest
from dedupe_stories import story

from dedup.cli import main

BASE, OTHER = story(11), story(12)
RECORDS = [
    {"id": "a1", "body": BASE, "published": "Wed, 21 Dec 2022 10:00:00 GMT"},
    {"id": "a2", "body": BASE + " Updated.", "published": "Tue, 20 Dec 2022 09:00:00 +0100"},
    {"id": "b1", "body": OTHER, "published": "20 December 2022"},
]


def _jsonl(path: Path, records: list[dict[str, str]] = RECORDS) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def _csv(path: Path, records: list[dict[str, str]] = RECORDS) -> Path:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=list(records[0]))
        writer.writeheader()
        writer.writerows(records)
    return path


def _scan(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, dict, str]:
    code = main(["scan", *args, "--format", "json", "-j", "1", "--no-lineage"])
    out, err = capsys.readouterr()
    return code, (json.loads(out) if out.strip() else {}), err


def _pair_ids(report: dict) -> set[tuple[str, str]]:
    return {(p["a"], p["b"]) for p in report["pairs"] if p["relation"] != "same-story"}


@pytest.mark.parametrize("name", ["x.csv", "x.jsonl.gz", "x.parquet", "x.tsv", "x.json"])
def test_each_format_gives_the_records_and_their_copies(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / name
    if name.endswith(".csv"):
        _csv(path)
    elif name.endswith(".tsv"):
        path.write_text("id\tbody\n" + "".join(f"{r['id']}\t{r['body']}\n" for r in RECORDS))
    elif name.endswith(".gz"):
        path.write_bytes(gzip.compress(_jsonl(tmp_path / "plain.jsonl").read_bytes()))
    elif name.endswith(".json"):
        path.write_text(json.dumps(RECORDS))
    else:
        pq = pytest.importorskip("pyarrow.parquet")
        pa = pytest.importorskip("pyarrow")
        pq.write_table(pa.Table.from_pylist(RECORDS), path)
    code, report, err = _scan([str(path), "--text-field", "body"], capsys)
    assert code == 0, err
    assert [d["id"] for d in report["documents"]] == ["a1", "a2", "b1"]
    assert report["documents"][0]["chars"] == len(BASE)
    assert _pair_ids(report) == {("a1", "a2")}


def test_standard_input_is_read_as_jsonl_or_as_one_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = _jsonl(tmp_path / "x.jsonl").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(io.BytesIO(data))))
    code, report, err = _scan(["-", "--text-field", "body"], capsys)
    assert code == 0, err
    assert [d["id"] for d in report["documents"]] == ["a1", "a2", "b1"]
    assert {d["path"] for d in report["documents"]} == {"<stdin>"}
    assert _pair_ids(report) == {("a1", "a2")}

    text = io.BufferedReader(io.BytesIO(BASE.encode()))
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(text))
    code, report, err = _scan(["-", str(tmp_path / "x.jsonl"), "--text-field", "body"], capsys)
    assert code == 0, err
    assert [d["id"] for d in report["documents"]] == ["stdin", "a1", "a2", "b1"]
    assert ("a1", "stdin") in _pair_ids(report)


def test_dedupe_keep_earliest_reads_rfc_2822_dates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # a2 is dated 08:00 UTC on the 20th, a1 10:00 UTC on the 21st: a2 is the earlier copy,
    # although a1 comes first and an ISO-only reader finds neither date.
    feed, out = _jsonl(tmp_path / "feed.jsonl"), tmp_path / "kept.jsonl"
    code = main(["dedupe", str(feed), "-o", str(out), "--text-field", "body",
                 "--date-field", "published", "--keep", "earliest", "-j", "1"])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 0, err
    kept = [json.loads(line)["id"] for line in out.read_text().splitlines()]
    assert kept == ["a2", "b1"]
    assert "warning" not in err  # every date parsed


def test_dates_that_do_not_parse_are_counted_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    records = [{**r, "published": "sometime"} for r in RECORDS]
    feed = _jsonl(tmp_path / "feed.jsonl", records)
    code, report, err = _scan([str(feed), "--text-field", "body", "--date-field", "published"],
                              capsys)  # fmt: skip
    assert code == 0
    assert err.count("warning") == 1
    assert "3 documents with a date that does not parse" in err and "--date-format" in err
    assert report["documents"][0]["metadata"] == {"unparsed_date": "sometime"}

    records = [{**r, "published": "21/12/2022"} for r in RECORDS]
    _jsonl(feed, records)
    code, report, err = _scan([str(feed), "--text-field", "body", "--date-field", "published",
                               "--date-format", "%d/%m/%Y"], capsys)  # fmt: skip
    assert "warning" not in err
    assert report["documents"][0]["metadata"] == {"date": "2022-12-21"}


@pytest.mark.parametrize("suffix", [".jsonl", ".csv", ".parquet"])
def test_pairs_and_families_tables_by_suffix(
    suffix: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    feed = _jsonl(tmp_path / "feed.jsonl")
    pairs, families = tmp_path / f"pairs{suffix}", tmp_path / f"families{suffix}"
    code, report, err = _scan([str(feed), "--text-field", "body", "--pairs-out", str(pairs),
                               "--families-out", str(families)], capsys)  # fmt: skip
    assert code == 0, err
    pair_rows, family_rows = _read_table(pairs), _read_table(families)
    assert [(r["a"], r["b"], r["relation"]) for r in pair_rows] == [
        (p["a"], p["b"], p["relation"]) for p in report["pairs"]
    ]
    members = {(r["family"], r["document"]) for r in family_rows}
    assert members == {(f["id"], m) for f in report["families"] for m in f["members"]}
    assert list(pair_rows[0])[:4] == ["a", "b", "relation", "jaccard"]


def _read_table(path: Path) -> list[dict]:
    if path.suffix == ".jsonl":
        return [json.loads(line) for line in path.read_text().splitlines()]
    if path.suffix == ".csv":
        with path.open(newline="") as handle:
            return list(csv.DictReader(handle))
    pq = pytest.importorskip("pyarrow.parquet")
    return pq.read_table(path).to_pylist()


def test_dash_output_is_standard_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    feed = _jsonl(tmp_path / "feed.jsonl")
    code, report, err = _scan([str(feed), "--text-field", "body", "-o", "-"], capsys)
    assert code == 0, err
    assert report["schema"].startswith("dedup.scan/")
    assert not (Path.cwd() / "-").exists()


# --- friction ----------------------------------------------------------------------------------


def test_a_missing_text_field_is_one_line_naming_the_fields_and_the_option(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    records = [{"id": f"r{i}", "body": f"{BASE} {i}", "title": "T"} for i in range(300)]
    feed = _jsonl(tmp_path / "feed.jsonl", records)
    code = main(["scan", str(feed), "-j", "1", "--no-lineage", "--no-stories"])
    out = capsys.readouterr().out
    assert code == 1  # nothing read
    lines = [line for line in out.splitlines() if "no field 'text'" in line]
    assert len(lines) == 1
    assert "300 records" in lines[0]
    assert "body, title" in lines[0] and "--text-field" in lines[0]


@pytest.mark.parametrize("option", ["-o", "--html", "--pairs-out", "--families-out"])
def test_outputs_are_checked_before_any_input_is_read(
    option: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    feed = _jsonl(tmp_path / "feed.jsonl")

    def no_reading(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("inputs read before the outputs were checked")

    monkeypatch.setattr("dedup.cli.common.scan", no_reading)
    for target in (tmp_path / "no" / "such" / "out.csv", tmp_path):
        code = main(["scan", str(feed), option, str(target)])
        assert code == 1  # as when the write itself fails, but before any input is read
        assert "cannot write" in capsys.readouterr().err
    if option in ("--pairs-out", "--families-out"):
        code = main(["scan", str(feed), option, str(tmp_path / "pairs.xlsx")])
        assert code == 2
        assert ".parquet" in capsys.readouterr().err


@pytest.mark.parametrize("option", ["-o", "--html", "--pairs-out"])
def test_an_output_that_is_an_input_is_refused(
    option: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "dir"
    folder.mkdir()
    first = folder / "001.txt"
    first.write_text(BASE)
    (folder / "002.txt").write_text(OTHER)
    target = first.with_suffix(".csv") if option == "--pairs-out" else first
    if option == "--pairs-out":
        first.rename(target)
    code = main(["scan", str(folder), option, str(target)])
    assert code == 2
    assert "input" in capsys.readouterr().err
    assert target.read_text() == BASE


def test_reports_dedup_wrote_are_never_read_back_as_inputs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "dir"
    folder.mkdir()
    (folder / "001.txt").write_text(BASE)
    (folder / "002.txt").write_text(BASE + " And more.")
    for args in (["--format", "json", "-o", str(tmp_path / "report.json")],
                 ["--html", str(tmp_path / "report.html")]):  # fmt: skip
        assert main(["scan", str(folder), *args]) == 0
    main(["dedupe", str(folder / "001.txt"), str(folder / "002.txt"), "-o",
          str(tmp_path / "kept"), "--removed", str(tmp_path / "removed.jsonl")])  # fmt: skip
    for name in ("report.json", "report.html", "removed.jsonl"):
        (tmp_path / name).rename(folder / name)
    capsys.readouterr()
    code, report, _ = _scan([str(folder)], capsys)
    assert code == 0
    assert [d["id"] for d in report["documents"]] == ["001.txt", "002.txt"]
    assert {Path(s["path"]).name: s["reason"].split(" (")[0] for s in report["skipped"]} == {
        name: "written by dedup" for name in ("report.json", "report.html", "removed.jsonl")
    }


def test_symlinked_folders_are_followed_once_and_loops_listed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, outside = tmp_path / "dir", tmp_path / "outside"
    folder.mkdir()
    outside.mkdir()
    (folder / "001.txt").write_text(BASE)
    (outside / "002.txt").write_text(BASE + " And more.")
    (folder / "linked").symlink_to(outside, target_is_directory=True)
    (folder / "loop").symlink_to(folder, target_is_directory=True)
    code, report, err = _scan([str(folder)], capsys)
    assert code == 0, err
    assert [d["id"] for d in report["documents"]] == ["001.txt", "linked/002.txt"]
    assert [(Path(s["path"]).name, "(a loop)" in s["reason"]) for s in report["skipped"]] == [
        ("loop", True)
    ]
    assert _pair_ids(report) == {("001.txt", "linked/002.txt")}


# --- web pages: --html-extract main ------------------------------------------------------------


def _site_page(site: str, story: str, headlines: list[str]) -> str:
    nav = "".join(f"<li><a href='/{n}'>{site} section {n}</a></li>" for n in range(25))
    boxes = "".join(f"<li><a href='/x'>{h}</a></li>" for h in headlines)
    paragraphs = "".join(f"<p>{p}</p>" for p in story.split("\n\n") if p.strip())
    return (f"<html><head><title>{site}</title></head><body><nav><ul>{nav}</ul></nav>"
            f"<main><article>{paragraphs}</article><aside><h2>Most read on {site}</h2>"
            f"<ol>{boxes}</ol></aside></main><footer><p>(c) {site}. All rights reserved. "
            f"Terms of use, privacy policy and cookie settings of {site}.</p></footer>"
            "</body></html>")  # fmt: skip


def test_html_extract_main_leaves_the_site_furniture_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("trafilatura")
    folder = tmp_path / "pages"
    folder.mkdir()
    headlines = [f"Headline number {n} of the week in the markets today" for n in range(12)]
    (folder / "a.html").write_text(_site_page("World Wire", BASE, headlines[:6]))
    (folder / "b.html").write_text(_site_page("Daily Ledger", BASE, headlines[6:]))
    code, plain, err = _scan([str(folder), "--no-stories"], capsys)
    assert code == 0, err
    # The templates hide the copy: at best a loose pair, here none at all.
    assert all(p["relation"] != "exact-duplicate" and p["jaccard"] < 0.9 for p in plain["pairs"])
    code, main_only, err = _scan([str(folder), "--no-stories", "--html-extract", "main"], capsys)
    assert code == 0, err
    assert [(p["relation"], p["jaccard"]) for p in main_only["pairs"]] == [("exact-duplicate", 1.0)]
    assert main_only["config"]["load"]["html_extract"] == "main"


def test_html_extract_main_without_its_extra_names_the_install_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "trafilatura", None)  # import fails as when not installed
    page = tmp_path / "a.html"
    page.write_text(_site_page("World Wire", BASE, []))
    code = main(["scan", str(page), "--html-extract", "main"])
    err = capsys.readouterr().err
    assert code == 2
    assert "pip install 'dedup-lineage[html]'" in err
