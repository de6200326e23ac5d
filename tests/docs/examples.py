"""The examples of README.md and docs/*.md: found, classified, run, and their output compared.

Every fenced block is an example, checked according to what it is:

- a **session** (a block whose first line is ``$ COMMAND``): the command runs and its output
  must be the block's remaining lines;
- a **shell** block (``sh``): each ``dedup`` line must parse (its options exist, its values are
  in range) and runs when its inputs exist in the example workspace (the seeds, and copies of
  them under the names the docs use: ``corpus/``, ``archive/``, ``news.jsonl``, …), exiting 0;
  ``pip install`` lines must name extras that exist, ``python benchmarks/X.py`` scripts that
  exist;
- a **python** block runs, in the workspace, with ``dedup`` imported and ``doc_a``/``doc_b``
  (seeds 000 and 004), ``document`` (seed 001), ``documents`` (all five) and ``config`` defined;
- a block preceded by ``<!-- example: output of COMMAND -->`` (optionally ``| file PATH``) is an
  excerpt of that command's output (or of the file it writes): JSON is matched as a pattern
  (shown keys must exist with equal values; ``...`` stands for anything; numbers agree to the
  decimals shown; ``…`` inside a string matches any text), text lines must appear in order;
- a block preceded by ``<!-- example: illustrative: REASON -->`` is not run. Such exemptions
  are few; each says why.

Output is compared after normalising whitespace (runs of blanks are one space; blank lines and
trailing blanks do not count); a shown line ``...`` stands for any number of lines.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import json
import math
import re
import shlex
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]

_FENCE = re.compile(r"^(\s*)```(\S*)\s*$")
_DIRECTIVE = re.compile(r"^\s*<!--\s*example:\s*(.*?)\s*-->\s*$")


@dataclass(frozen=True)
class Example:
    """One fenced block of a page."""

    page: Path
    line: int
    lang: str
    body: tuple[str, ...]
    directive: str

    @property
    def name(self) -> str:
        return f"{self.page.relative_to(ROOT)}:{self.line}"

    @property
    def kind(self) -> str:
        if self.directive.startswith("illustrative:"):
            return "illustrative"
        if self.directive.startswith("output of "):
            return "excerpt"
        if self.body and self.body[0].startswith("$ "):
            return "session"
        if self.lang in ("sh", "bash", "shell"):
            return "shell"
        if self.lang == "python":
            return "python"
        return "unclassified"


def examples(pages: list[Path] = PAGES) -> list[Example]:
    """Every fenced block of ``pages``, with the directive on the line before it, if any."""
    found = []
    for page in pages:
        lines = page.read_text("utf-8").splitlines()
        index = 0
        while index < len(lines):
            fence = _FENCE.match(lines[index])
            if fence is None:
                index += 1
                continue
            end = index + 1
            while not re.match(r"^\s*```\s*$", lines[end]):
                end += 1
            indent = len(fence.group(1))
            body = tuple(line[indent:] for line in lines[index + 1 : end])
            before = next((lines[i] for i in range(index - 1, -1, -1) if lines[i].strip()), "")
            directive = _DIRECTIVE.match(before)
            found.append(Example(page, index + 1, fence.group(2), body,
                                 directive.group(1) if directive else ""))
            index = end + 1
    return found


# --- running commands --------------------------------------------------------------------------


def run_dedup(line: str, cwd: Path) -> tuple[int, str, str]:
    """Run ``dedup ARGS`` in-process in ``cwd``: its exit code, stdout and stderr."""
    from dedup.cli import main

    args = shell_words(line)
    assert args[0] == "dedup", line
    out = io.StringIO()
    err = io.StringIO()
    with contextlib.chdir(cwd), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(expand_globs(args[1:], cwd))
    return code, out.getvalue(), err.getvalue()


#: Words before a command that only measure it (``/usr/bin/time -v dedup scan …``).
_MEASURING = ("/usr/bin/time -v ", "time ")


def shell_words(line: str) -> list[str]:
    """The words of a shell line, without its ``# comment`` or a timing prefix."""
    for prefix in _MEASURING:
        line = line.removeprefix(prefix)
    return shlex.split(line, comments=True)


def expand_globs(args: list[str], cwd: Path) -> list[str]:
    expanded: list[str] = []
    for arg in args:
        matches = _glob(arg, cwd) if any(c in arg for c in "*?[") else []
        expanded.extend(matches or [arg])
    return expanded


#: Options whose value is a file the command writes (it need not exist before).
OUTPUT_OPTIONS = {"-o", "--output", "--html", "--removed", "--pairs-out", "--families-out",
                  "--documents-out"}


def inputs_exist(args: list[str], cwd: Path) -> bool:
    """Whether every input a ``dedup`` command line names exists in ``cwd`` (then it runs).

    Inputs are the words that look like paths (a ``/`` or an extension) and are not the value of
    an option that names an output; a line for a Dask cluster is only parsed."""
    writes_db = args[1:3] == ["index", "add"]
    for previous, arg in itertools.pairwise(args):
        if previous in OUTPUT_OPTIONS or (previous == "--db" and writes_db):
            continue
        if arg == "--backend" or arg.startswith("--scheduler"):
            return False
        looks_like_path = "/" in arg or re.search(r"\.[A-Za-z]\w*$", arg) is not None
        if looks_like_path and not arg.startswith("-") and not _exists(arg, cwd):
            return False
    return True


def _exists(arg: str, cwd: Path) -> bool:
    if any(c in arg for c in "*?["):
        return bool(_glob(arg, cwd))
    return (cwd / arg).exists()


def _glob(pattern: str, cwd: Path) -> list[str]:
    return sorted(str(path.relative_to(cwd)) for path in cwd.glob(pattern))


# --- comparing output --------------------------------------------------------------------------


def normalised(text: str | list[str] | tuple[str, ...]) -> list[str]:
    """Lines with runs of blanks made one space, blank lines dropped."""
    lines = text.splitlines() if isinstance(text, str) else list(text)
    return [re.sub(r"\s+", " ", line).strip() for line in lines if line.strip()]


def lines_match(shown: list[str], actual: list[str], *, excerpt: bool = False) -> bool:
    """``shown`` equals ``actual`` line by line, a shown ``...`` line matching any lines;
    with ``excerpt``, ``shown`` may also start and end anywhere in ``actual``."""
    if excerpt:
        shown = ["...", *shown, "..."]
    return _match_from(tuple(shown), tuple(actual))


def _match_from(shown: tuple[str, ...], actual: tuple[str, ...]) -> bool:
    if not shown:
        return not actual
    if shown[0] in ("...", "…"):
        return any(_match_from(shown[1:], actual[skip:]) for skip in range(len(actual) + 1))
    return bool(actual) and shown[0] == actual[0] and _match_from(shown[1:], actual[1:])


ANY = "\u2026ANY\u2026"


def json_pattern(text: str) -> Any:
    """The shown JSON as a pattern: ``{...}``/``[...]``/``"..."`` match anything, a ``...``
    element is dropped (objects and lists are matched as subsets anyway)."""
    text = re.sub(r"\{\s*\.\.\.\s*\}|\[\s*\.\.\.\s*\]|\"\.\.\.\"", lambda _: json.dumps(ANY), text)
    text = re.sub(r",\s*\.\.\.(?=\s*[,}\]])", "", text)
    text = re.sub(r"(?<=[\[{])\s*\.\.\.\s*,", "", text)
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return [json.loads(line) for line in text.splitlines() if line.strip()]


def json_matches(shown: Any, actual: Any) -> bool:
    """Whether ``actual`` has everything ``shown`` shows (see json_pattern)."""
    if shown == ANY:
        return True
    if isinstance(shown, dict):
        return isinstance(actual, dict) and all(
            key in actual and json_matches(value, actual[key]) for key, value in shown.items()
        )
    if isinstance(shown, list):
        return isinstance(actual, list) and _ordered_subset(shown, actual)
    if isinstance(shown, str) and ("…" in shown or "..." in shown):
        parts = re.split(r"…|\.\.\.", shown)
        pattern = ".*".join(re.escape(part) for part in parts)
        return isinstance(actual, str) and re.fullmatch(pattern, actual, re.DOTALL) is not None
    if isinstance(shown, float) and isinstance(actual, (int, float)):
        decimals = len(repr(shown).split(".")[1]) if "." in repr(shown) else 0
        return math.isclose(round(actual, decimals), shown, abs_tol=10**-decimals / 2)
    return bool(shown == actual)


def _ordered_subset(shown: list[Any], actual: list[Any]) -> bool:
    start = 0
    for item in shown:
        found = next((i for i in range(start, len(actual)) if json_matches(item, actual[i])), None)
        if found is None:
            return False
        start = found + 1
    return True


def json_mismatch(shown: Any, actual: Any, where: str = "$") -> str | None:
    """Where ``actual`` first departs from ``shown``, for the failure message (None: it matches)."""
    if json_matches(shown, actual):
        return None
    if isinstance(shown, dict) and isinstance(actual, dict):
        for key, value in shown.items():
            if key not in actual:
                return f"{where}.{key}: missing (has {sorted(actual)})"
            found = json_mismatch(value, actual[key], f"{where}.{key}")
            if found:
                return found
    if isinstance(shown, list) and isinstance(actual, list):
        for index, item in enumerate(shown):
            if not any(json_matches(item, other) for other in actual):
                nearest = actual[min(index, len(actual) - 1)] if actual else None
                closest = json_mismatch(item, nearest, f"{where}[{index}]") if actual else None
                return closest or f"{where}[{index}]: no item matches {item!r}"
        return f"{where}: items not in this order"
    return f"{where}: shown {shown!r}, actual {actual!r}"


def parse_output(text: str) -> Any:
    """A command's JSON output: one document, or JSON Lines as a list."""
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return [json.loads(line) for line in text.splitlines() if line.strip()]


# --- the workspace ------------------------------------------------------------------------------


def documents_of_seeds() -> list[Any]:
    import dedup

    return [
        dedup.Document(id=path.name, text=path.read_text("utf-8"))
        for path in sorted((ROOT / "seeds").iterdir())
    ]


def python_namespace() -> dict[str, Any]:
    """What a Python example may use without defining it (said in the module docstring)."""
    import dedup

    documents = documents_of_seeds()
    return {
        "dedup": dedup,
        "documents": documents,
        "doc_a": documents[0],
        "doc_b": documents[4],
        "document": documents[1],
        "config": dedup.ScanConfig(),
    }


@contextlib.contextmanager
def in_folder(path: Path) -> Iterator[None]:
    with contextlib.chdir(path):
        yield
