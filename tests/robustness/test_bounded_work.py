"""Issue #23, cases 1 and 3: no file or option makes one document cost unbounded time or memory.

Times are CPU seconds of this process (``time.process_time``), so that a loaded CI machine does
not make them flaky; the stdlib parser took 108 s of CPU on the 400 KB page.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import pytest

from dedup.config import AlignConfig, LoadConfig, ShingleConfig, SketchParams, StoryConfig
from dedup.errors import ConfigError
from dedup.loading import load
from dedup.loading.html import html_to_text
from dedup.model import Document, Skipped

from .corpus import COPY, STORY, pair_ids, run, scan_json, write_pair

#: Markup the stdlib HTMLParser parses in quadratic time (400 KB: 108 s before this change).
HOSTILE_PAGES = {
    "unclosed comment then <a": "<!--" + "<a" * 200_000,
    "</ repeated": "</" * 200_000,
    "<a repeated": "<a" * 200_000,
    "unclosed attribute quotes": "<a " + 'b="' * 130_000,
    "50k nested svg": "<svg>" * 50_000,
    "80k nested div": "<div>" * 80_000 + "x",
    "80k unclosed p": "<p>" * 80_000 + "x",
}


@pytest.mark.parametrize("markup", HOSTILE_PAGES.values(), ids=HOSTILE_PAGES.keys())
def test_hostile_markup_is_read_in_well_under_a_second(markup: str) -> None:
    start = time.process_time()
    try:
        html_to_text(markup)
    except Exception as error:  # only the documented refusal may escape
        assert "nested deeper" in str(error)
    assert time.process_time() - start < 1.0


def test_the_400_kb_hostile_page_scans_in_under_a_second_beside_good_documents(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_pair(tmp_path)
    (tmp_path / "evil.html").write_text(HOSTILE_PAGES["unclosed comment then <a"], "utf-8")

    start = time.process_time()
    code, report, _ = scan_json([str(tmp_path), "--no-stories", "--no-lineage"], capsys)

    assert time.process_time() - start < 1.0 + _scan_overhead(tmp_path, capsys)
    assert code == 0
    assert pair_ids(report) == {frozenset({"story.txt", "copy.txt"})}
    assert {item["path"] for item in report["skipped"]} == {str(tmp_path / "evil.html")}


def _scan_overhead(folder: Path, capsys: pytest.CaptureFixture[str]) -> float:
    """The time of the same scan without the hostile page (start-up, not the page)."""
    clean = folder / "clean"
    write_pair(clean)
    start = time.process_time()
    scan_json([str(clean), "--no-stories", "--no-lineage"], capsys)
    return time.process_time() - start


def test_a_page_nested_too_deep_is_skipped_with_the_reason(tmp_path: Path) -> None:
    (tmp_path / "deep.html").write_text("<div>" * 5000 + "text", encoding="utf-8")
    (tmp_path / "fine.html").write_text("<p>Some visible text here.</p>", encoding="utf-8")

    found = list(load([tmp_path]))

    assert [item.id for item in found if isinstance(item, Document)] == ["fine.html"]
    skipped = [item for item in found if isinstance(item, Skipped)]
    assert len(skipped) == 1
    assert "nested deeper than" in skipped[0].reason


def test_a_jsonl_line_over_the_limit_is_skipped_and_the_good_lines_are_read(
    tmp_path: Path,
) -> None:
    feed = tmp_path / "feed.jsonl"
    huge = json.dumps({"id": "huge", "text": "word " * 50_000})
    lines = [json.dumps({"id": "a", "text": STORY}), huge, json.dumps({"id": "b", "text": COPY})]
    feed.write_text("\n".join(lines) + "\n", encoding="utf-8")

    found = list(load([feed], LoadConfig(max_file_bytes=10_000)))

    assert [item.id for item in found if isinstance(item, Document)] == ["a", "b"]
    skipped = [item for item in found if isinstance(item, Skipped)]
    assert [(item.path, item.reason.split(" (")[0]) for item in skipped] == [
        (f"{feed}:2", "line too large")
    ]


def test_an_unterminated_huge_last_line_is_skipped(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"id": "a", "text": STORY}) + "\n" + "x" * 30_000, "utf-8")

    found = list(load([feed], LoadConfig(max_file_bytes=10_000)))

    assert [type(item).__name__ for item in found] == ["Document", "Skipped"]


def test_the_scan_reports_the_good_documents_beside_an_over_limit_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    feed = tmp_path / "feed.jsonl"
    lines = [
        json.dumps({"id": "a", "text": STORY}),
        json.dumps({"id": "huge", "text": "word " * 100_000}),
        json.dumps({"id": "b", "text": COPY}),
    ]
    feed.write_text("\n".join(lines) + "\n", encoding="utf-8")

    code, report, _ = scan_json([str(feed), "--max-file-size", "20000"], capsys)

    assert code == 0
    assert pair_ids(report) == {frozenset({"a", "b"})}
    assert [item["path"] for item in report["skipped"]] == [f"{feed}:2"]


@pytest.mark.parametrize(
    "option",
    [
        ["--num-perm", str(10**8)],
        ["--num-perm", str(10**6)],
        ["--ngram", "65"],
        ["--ngram", "0"],
        ["-j", str(10**5)],
        ["--max-file-size", "0"],
        ["--max-file-size", "lots"],
    ],
    ids=lambda option: " ".join(option),
)
def test_out_of_range_numbers_are_usage_errors(
    option: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_pair(tmp_path)
    try:
        code, _, err = run(["scan", str(tmp_path), "-q", *option], capsys)
    except SystemExit as exit_:  # argparse's own usage errors
        code, err = int(exit_.code or 0), capsys.readouterr().err
    assert code == 2
    assert "error" in err


def test_diff_refuses_an_absurd_max_gap(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_pair(tmp_path)
    start = time.process_time()
    story, copy = str(tmp_path / "story.txt"), str(tmp_path / "copy.txt")
    code, _, err = run(["diff", story, copy, "--max-gap", str(10**9)], capsys)
    assert code == 2
    assert "max_gap" in err
    assert time.process_time() - start < 5


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda: SketchParams(num_perm=10**8), "num_perm"),
        (lambda: ShingleConfig(size=65), "size"),
        (lambda: AlignConfig(max_gap=10**9), "max_gap"),
        (lambda: AlignConfig(max_occurrences=10**9), "max_occurrences"),
        (lambda: StoryConfig(num_perm=10**7), "num_perm"),
        (lambda: SketchParams(num_perm="128"), "num_perm"),  # type: ignore[arg-type]
    ],
)
def test_config_fields_have_ranges(build: object, field: str) -> None:
    with pytest.raises(ConfigError, match=field):
        build()  # type: ignore[operator]


def test_a_memory_error_in_one_record_skips_that_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # (dedup.load is also the name of a function in dedup's namespace: go through sys.modules)
    loading, jsonl = sys.modules["dedup.loading.formats"], sys.modules["dedup.loading.jsonl"]

    feed = tmp_path / "feed.jsonl"
    lines = [json.dumps({"id": "a", "text": STORY}), json.dumps({"id": "b", "text": "boom " * 9})]
    feed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "page.html").write_text("<p>boom boom</p>", encoding="utf-8")
    (tmp_path / "fine.txt").write_text(COPY, encoding="utf-8")
    real_loads, real_html = json.loads, loading.html_to_text

    def loads(text: str) -> object:
        if "boom" in text:
            raise MemoryError
        return real_loads(text)

    def html_to_text(markup: str) -> tuple[str, dict[str, str]]:
        if "boom" in markup:
            raise MemoryError
        return real_html(markup)

    monkeypatch.setattr(jsonl.json, "loads", loads)
    monkeypatch.setattr(loading, "html_to_text", html_to_text)
    found = list(load([tmp_path]))

    assert sorted(item.id for item in found if isinstance(item, Document)) == ["a", "fine.txt"]
    reasons = sorted(item.reason for item in found if isinstance(item, Skipped))
    assert reasons == ["out of memory reading this file", "out of memory reading this line"]


@pytest.mark.parametrize(
    "args",
    [
        ["diff", "{story}", "{copy}", "--width", str(10**9)],
        ["diff", "{story}", "{copy}", "--max-gap", str(10**9)],
        ["query", "{story}", "--db", "{db}", "--timeout", "-5"],
        ["query", "{story}", "--db", "{db}", "--timeout", "nan"],
        ["index", "add", "{story}", "--db", "{db}", "-j", "0"],
        ["index", "add", "{story}", "--db", "{db}", "--num-perm", str(10**8)],
        ["dedupe", "{story}", "-o", "{out}", "-j", str(10**6)],
        ["lineage", "{story}", "--ngram", "65"],
    ],
    ids=lambda args: " ".join(args[:1] + args[-2:]),
)
def test_every_command_refuses_numbers_out_of_range(
    args: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_pair(tmp_path)
    names = {"story": tmp_path / "story.txt", "copy": tmp_path / "copy.txt",
             "db": tmp_path / "index.db", "out": tmp_path / "out"}  # fmt: skip
    start = time.process_time()
    try:
        code, _, err = run([part.format(**names) for part in args], capsys)
    except SystemExit as exit_:  # argparse's own usage errors
        code, err = int(exit_.code or 0), capsys.readouterr().err
    assert code == 2, err
    assert time.process_time() - start < 5
    assert not (tmp_path / "out").exists()
