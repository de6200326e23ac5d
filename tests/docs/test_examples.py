"""Every example in README.md and docs/*.md runs, and shows what it gives (see examples.py)."""

from __future__ import annotations

import contextlib
import csv
import gzip
import io
import json
import shlex
import shutil
import sys
import tomllib
from pathlib import Path
from unittest import mock

import pytest

from docs.examples import (
    ROOT,
    Example,
    examples,
    in_folder,
    inputs_exist,
    json_matches,
    json_mismatch,
    json_pattern,
    lines_match,
    normalised,
    parse_output,
    python_namespace,
    run_dedup,
    shell_words,
)

EXAMPLES = examples()
#: Exemptions are few: each must say why it cannot run here.
MAX_ILLUSTRATIVE = 8
#: Commands a shell block may show besides ``dedup``: setting up and checking the project
#: (CI runs them) and the benchmarks (minutes on the real corpora; their scripts must exist).
SETUP_COMMANDS = {
    "python3", "pip", "pytest", "mypy", "ruff", "mkdocs", "HYPOTHESIS_PROFILE=thorough",
}


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """The seeds, under the names the docs use for a user's own files."""
    seeds = ROOT / "seeds"
    shutil.copytree(seeds, tmp_path / "seeds")
    for folder in ("corpus", "archive"):
        shutil.copytree(seeds, tmp_path / folder)
    # An input that is not text, to show what a skipped input looks like.
    (tmp_path / "corpus" / "image.txt").write_bytes(bytes(range(256)) * 4)
    paths = sorted(seeds.iterdir())
    shutil.copy(paths[1], tmp_path / "article.txt")
    shutil.copy(paths[1], tmp_path / "A")
    shutil.copy(paths[2], tmp_path / "B")
    shutil.copy(paths[0], tmp_path / "translation.txt")
    shutil.copy(paths[1], tmp_path / "original.txt")
    with (tmp_path / "news.jsonl").open("w", encoding="utf-8") as out:
        for day, path in enumerate(paths, start=1):
            text = path.read_text("utf-8")
            date = f"2022-12-{day:02d}"
            record = {"id": path.name, "text": text, "date": date,
                      "url": f"https://news.example/{path.stem}", "body": text, "published": date}
            out.write(json.dumps(record) + "\n")
    shutil.copy(tmp_path / "news.jsonl", tmp_path / "today.jsonl")
    _write_other_formats(tmp_path / "news.jsonl")
    _write_parquet(tmp_path / "big.parquet", paths)
    return tmp_path


def _write_other_formats(news: Path) -> None:
    """``news.jsonl`` as the other formats the docs show: CSV, gzip-compressed JSON Lines."""
    records = [json.loads(line) for line in news.read_text("utf-8").splitlines()]
    with (news.parent / "news.csv").open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=list(records[0]))
        writer.writeheader()
        writer.writerows(records)
    (news.parent / "news.jsonl.gz").write_bytes(gzip.compress(news.read_bytes()))


def _write_parquet(path: Path, texts: list[Path]) -> None:
    """The seeds as a Parquet file with a ``body`` column (when pyarrow is installed)."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        return  # the example's line is then parsed, not run
    table = pa.table({"id": [p.name for p in texts], "body": [p.read_text("utf-8") for p in texts]})
    pq.write_table(table, path)


def _ids(example: Example) -> str:
    return example.name


def _marks(example: Example) -> list[pytest.MarkDecorator]:
    text = "\n".join(example.body)
    if "dedup.dask" in text:
        return [pytest.mark.dask, pytest.mark.slow]
    return []


def test_every_block_is_an_example_of_a_known_kind() -> None:
    unclassified = [e.name for e in EXAMPLES if e.kind == "unclassified"]
    assert not unclassified, "mark each as output of a command, or illustrative (and why)"
    illustrative = [e for e in EXAMPLES if e.kind == "illustrative"]
    assert len(illustrative) <= MAX_ILLUSTRATIVE
    for example in illustrative:
        assert len(example.directive.split(":", 1)[1].strip()) > 10, example.name


def test_every_page_of_the_guide_is_checked() -> None:
    pages = {e.page.name for e in EXAMPLES}
    assert {"README.md", "formats.md", "diff.md", "dedupe.md", "index.md"} <= pages
    assert len(EXAMPLES) >= 40


@pytest.mark.parametrize(
    "example",
    [pytest.param(e, marks=_marks(e), id=_ids(e)) for e in EXAMPLES if e.kind == "session"],
)
def test_session_shows_its_output(example: Example, workspace: Path) -> None:
    command = example.body[0].removeprefix("$ ")
    code, out, err = run_dedup(command, workspace)
    assert code == 0, err
    # What a person at the terminal sees: the report on stdout, then the lines on stderr.
    shown, actual = normalised(example.body[1:]), normalised(out + err)
    assert lines_match(shown, actual), "\n".join(["actual output:", *actual])


@pytest.mark.parametrize(
    "example",
    [pytest.param(e, marks=_marks(e), id=_ids(e)) for e in EXAMPLES if e.kind == "excerpt"],
)
def test_excerpt_is_in_its_commands_output(example: Example, workspace: Path) -> None:
    commands, _, written = example.directive.removeprefix("output of ").partition(" | file ")
    for command in commands.split(" && "):  # the last command's output is the one shown
        code, out, err = run_dedup(command.strip(), workspace)
        assert code == 0, f"{command}\n{err}"
    if written:
        out = (workspace / written.strip()).read_text("utf-8")
    if example.lang == "json":
        pattern = json_pattern("\n".join(example.body))
        actual = parse_output(out)
        if isinstance(pattern, list) and isinstance(actual, list):  # JSON Lines: each line
            for line in pattern:
                assert any(json_matches(line, a) for a in actual), json_mismatch(line, actual)
        else:
            assert json_matches(pattern, actual), json_mismatch(pattern, actual)
    else:
        actual = normalised(out)
        assert lines_match(normalised(example.body), actual, excerpt=True), "\n".join(actual)


@pytest.mark.parametrize(
    "example",
    [pytest.param(e, marks=_marks(e), id=_ids(e)) for e in EXAMPLES if e.kind == "shell"],
)
def test_shell_lines_parse_and_run(example: Example, workspace: Path) -> None:
    from dedup.cli import build_parser

    extras = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"][
        "optional-dependencies"
    ]
    for line in example.body:
        words = shell_words(line)
        if not words:
            continue
        if words[0] == "cat" and "|" in words:
            _run_piped(words, workspace, line)
            continue
        if words[0] != "dedup":
            _check_setup_command(words, set(extras), line)
            continue
        if "--help" in words:
            with pytest.raises(SystemExit) as stop:
                build_parser().parse_args(words[1:])
            assert stop.value.code == 0
            continue
        build_parser().parse_args(words[1:])  # exits 2, naming the option, if it is wrong
        if inputs_exist(words, workspace):
            code, _, err = run_dedup(line, workspace)
            assert code == 0, f"{line}\n{err}"


def _run_piped(words: list[str], workspace: Path, line: str) -> None:
    """``cat FILE | dedup …``: the command runs with the file as its standard input."""
    from dedup.cli import build_parser

    bar = words.index("|")
    assert words[bar + 1] == "dedup" and bar == 2, f"only `cat FILE | dedup ...`: {line}"
    build_parser().parse_args(words[bar + 2 :])
    data = (workspace / words[1]).read_bytes()
    stdin = io.TextIOWrapper(io.BufferedReader(io.BytesIO(data)))
    with contextlib.chdir(workspace), mock.patch.object(sys, "stdin", stdin):
        code, _, err = run_dedup(shlex.join(words[bar + 1 :]), workspace)
    assert code == 0, f"{line}\n{err}"


def _check_setup_command(words: list[str], extras: set[str], line: str) -> None:
    if words[0] == "python" and words[1].startswith("benchmarks/"):
        assert (ROOT / words[1]).is_file(), line
        return
    assert words[0] in SETUP_COMMANDS, f"not a dedup command: {line}"
    for word in words:
        if "[" in word and word.endswith("]"):
            named = set(word.split("[", 1)[1].rstrip("]").split(","))
            assert named <= extras, f"no such extra: {line}"


@pytest.mark.parametrize(
    "example",
    [pytest.param(e, marks=_marks(e), id=_ids(e)) for e in EXAMPLES if e.kind == "python"],
)
def test_python_example_runs(example: Example, workspace: Path) -> None:
    code = compile("\n".join(example.body), example.name, "exec")
    with in_folder(workspace):
        exec(code, python_namespace())
