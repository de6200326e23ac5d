"""The reference pages cover the public API and every command."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

import dedup

ROOT = Path(__file__).resolve().parents[2]


def test_the_api_reference_documents_every_public_name() -> None:
    page = (ROOT / "docs" / "reference" / "api.md").read_text("utf-8")
    documented = set(re.findall(r"^::: dedup\.(\w+)$", page, flags=re.MULTILINE))
    public = set(dedup.__all__) - {"__version__"}
    assert public - documented == set(), "add them to docs/reference/api.md"
    assert documented - public == set(), "documented but not exported"


def test_the_cli_reference_has_every_command_and_option() -> None:
    pytest.importorskip("mkdocs", reason="the docs extra is not installed")
    spec = importlib.util.spec_from_file_location(
        "mkdocs_site", ROOT / "docs" / "hooks" / "mkdocs_site.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    cli_reference = module.cli_reference
    page = cli_reference()
    for command in ("scan", "lineage", "diff", "dedupe", "index add", "index stats", "query"):
        assert f"## `dedup {command}`" in page
    for option in ("--ngram", "--threshold", "--keep", "--unified", "--top", "--quiet"):
        assert option in page
