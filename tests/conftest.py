"""Hypothesis profiles; choose one with HYPOTHESIS_PROFILE=ci|dev|thorough (default: dev)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import settings

# ci is derandomised so that a CI failure reproduces on every run and every machine.
settings.register_profile("ci", max_examples=200, deadline=None, derandomize=True)
settings.register_profile("dev", max_examples=100, deadline=None)
settings.register_profile("thorough", max_examples=2000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


from hostile import (  # noqa: E402
    HOSTILE_FILE,
    HOSTILE_ID,
    HOSTILE_SKIPPED,
    HOSTILE_SNIPPETS,
    HOSTILE_URL,
    hostile_text,
)
from markers import markers_for  # noqa: E402


@pytest.fixture
def hostile_corpus(tmp_path: Path) -> Path:
    """Two near-copies full of markup (one with a hostile file name), a JSONL record with a
    hostile id, title and url, and an empty file with a hostile name (skipped)."""
    folder = tmp_path / "hostile"
    folder.mkdir()
    (folder / HOSTILE_FILE).write_text(hostile_text(), encoding="utf-8")
    (folder / "copy.txt").write_text("Headline <b>bold</b>\n\n" + hostile_text(True), "utf-8")
    record = {"id": HOSTILE_ID, "text": hostile_text(True), "title": HOSTILE_SNIPPETS[0],
              "url": HOSTILE_URL}
    (folder / "feed.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    (folder / HOSTILE_SKIPPED).write_bytes(b"")
    return folder



def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark each test by where it lives (tests/markers.py); the default run still runs all."""
    for item in items:
        for marker in sorted(markers_for(Path(str(item.fspath)))):
            item.add_marker(marker)
