"""The examples checker can fail: wrong output, wrong values and unmarked blocks are caught."""

from __future__ import annotations

from pathlib import Path

from docs.examples import examples, json_matches, json_pattern, lines_match, normalised


def test_output_must_match_line_for_line_but_whitespace_does_not_count() -> None:
    actual = normalised("dedup scan: 5 documents\n\n  F1   (2 documents)\n")
    assert lines_match(normalised("dedup scan: 5 documents\nF1 (2 documents)"), actual)
    assert not lines_match(normalised("dedup scan: 6 documents\nF1 (2 documents)"), actual)
    assert not lines_match(normalised("dedup scan: 5 documents"), actual)  # a line left out
    assert lines_match(["dedup scan: 5 documents", "..."], actual)
    assert lines_match(["F1 (2 documents)"], actual, excerpt=True)
    assert not lines_match(["F2 (2 documents)"], actual, excerpt=True)


def test_json_is_matched_as_a_pattern() -> None:
    actual = {"schema": "dedup.scan/1", "pairs": [{"a": "001_x.txt", "jaccard": 0.937355}],
              "config": {"threshold": 0.5, "lsh": {"threshold": 0.3}}}
    assert json_matches(json_pattern(
        '{"schema": "dedup.scan/1", ..., "pairs": [{"a": "001_….txt", "jaccard": 0.94}],'
        ' "config": {...}}'), actual)
    assert not json_matches(json_pattern('{"config": {"threshold": 0.8, ...}}'), actual)
    assert not json_matches(json_pattern('{"pairs": [{"jaccard": 0.95}]}'), actual)
    assert not json_matches(json_pattern('{"stats": {...}}'), actual)  # a missing key


def test_a_block_without_a_kind_or_a_reason_is_unclassified(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "```\nsome output\n```\n\n"
        "<!-- example: illustrative: needs a corpus the reader does not have -->\n"
        "```text\nother\n```\n\n```sh\ndedup scan seeds/\n```\n",
        "utf-8",
    )
    kinds = [example.kind for example in examples([page])]
    assert kinds == ["unclassified", "illustrative", "shell"]
