"""mkdocs hooks: README.md as the home page, the CHANGELOG, and the CLI reference generated
from the ``dedup`` argument parsers (so it cannot fall behind the command).

docs/index.md is the persistent index's page (``dedup index``), so it is published at
``persistent-index/`` and the home page (``index.html``) is README.md, whose ``docs/`` links are
made relative to the site.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import Any

from mkdocs.structure.files import File, Files

ROOT = Path(__file__).resolve().parents[2]

#: Links in README.md and CHANGELOG.md that point into docs/ or at the repository's files.
_DOCS_LINK = re.compile(r"\]\(docs/")


def on_files(files: Files, config: Any) -> Files:
    """Move docs/index.md aside; add the home page, the changelog and the CLI reference."""
    index = files.get_file_from_path("index.md")
    if index is not None:
        index.dest_uri = "persistent-index/index.html"
        index.url = "persistent-index/"
    readme = _DOCS_LINK.sub("](", (ROOT / "README.md").read_text("utf-8"))
    readme = readme.replace("](CHANGELOG.md)", "](changelog.md)")
    changelog = _DOCS_LINK.sub("](", (ROOT / "CHANGELOG.md").read_text("utf-8"))
    for src_uri, content in (
        ("home.md", readme),
        ("changelog.md", changelog),
        ("reference/cli.md", cli_reference()),
    ):
        generated = File.generated(config, src_uri, content=content)
        if src_uri == "home.md":
            generated.dest_uri = "index.html"
            generated.url = "./"
        files.append(generated)
    return files


def cli_reference() -> str:
    """Markdown of every ``dedup`` command's ``--help``, from the parsers themselves."""
    from dedup.cli import build_parser

    parser = build_parser()
    parts = [
        "# Command line reference",
        "",
        "Generated from the argument parsers at build time: each section is what "
        "`dedup COMMAND --help` prints.",
        "",
    ]
    for name, sub in _subcommands(parser, "dedup"):
        level = "#" * (2 + name.count(" ") - 1) if name != "dedup" else "##"
        parts += [f"{level} `{name}`", "", "```text", sub.format_help().rstrip(), "```", ""]
    return "\n".join(parts)


def _subcommands(
    parser: argparse.ArgumentParser, name: str
) -> list[tuple[str, argparse.ArgumentParser]]:
    found = [(name, parser)]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub_name, sub in action.choices.items():
                found += _subcommands(sub, f"{name} {sub_name}")
    return found
