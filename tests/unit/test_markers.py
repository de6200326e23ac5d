"""The pytest markers: registered, and given to the tests they name."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import ClassVar

import pytest
from markers import markers_for

ROOT = Path(__file__).resolve().parents[2]


def test_markers_are_registered_and_strict() -> None:
    options = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["pytest"][
        "ini_options"
    ]
    registered = {line.split(":")[0] for line in options["markers"]}
    assert registered == {"slow", "browser", "dask"}
    assert "--strict-markers" in options["addopts"]
    assert "-m" not in options["addopts"].split()  # the default run runs every test


def test_each_group_gets_its_markers() -> None:
    tests = ROOT / "tests"
    assert markers_for(tests / "browser" / "test_report_in_browser.py") == {"browser", "slow"}
    assert markers_for(tests / "dask" / "test_same_result.py") == {"dask", "slow"}
    assert markers_for(tests / "index" / "test_index_faults.py") == {"slow"}
    assert markers_for(tests / "unit" / "test_lsh.py") == set()
    for name in ("browser", "dask"):
        assert any((tests / name).glob("test_*.py"))


def test_the_collection_hook_marks_items(request: pytest.FixtureRequest) -> None:
    class Item:
        fspath = ROOT / "tests" / "dask" / "test_inputs.py"
        added: ClassVar[list[str]] = []

        def add_marker(self, marker: str) -> None:
            self.added.append(marker)

    item = Item()
    [conftest] = [
        plugin for plugin in request.config.pluginmanager.get_plugins()
        if str(getattr(plugin, "__file__", "")) == str(ROOT / "tests" / "conftest.py")
    ]
    conftest.pytest_collection_modifyitems([item])
    assert sorted(item.added) == ["dask", "slow"]
