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


# --- a corpus that attacks the HTML report (tests/unit/test_report_html.py, tests/browser/) ----

#: Each would run code, or change the page, if a report put it into markup unescaped.
HOSTILE_SNIPPETS = (
    "<script>document.title='pwned';window.pwned=1</script>",
    "</textarea><script>alert('textarea')</script>",
    '<a href="javascript:window.pwned=2">click me</a>',
    '" onmouseover="window.pwned=3" data-x="',
    "' onfocus='window.pwned=4' autofocus '",
    '<img src=x onerror="window.pwned=5">',
    '<svg onload="window.pwned=6"></svg>',
    "{{ 7*7 }} {% if true %}template{% endif %}",
)
HOSTILE_FILE = 'x"><img src=y onerror="window.pwned=7">.txt'
HOSTILE_SKIPPED = "<img src=z onerror=window.pwned=10>.txt"
HOSTILE_ID = "<script>window.pwned=8</script>"
HOSTILE_URL = "javascript:window.pwned=9"

_STORY = (
    "The harbour authority said on Monday that the new container terminal would open in the "
    "spring after two years of delays caused by storms, strikes and a shortage of steel. "
    "Officials expect the terminal to handle twice as many ships as the old quay and to bring "
    "several hundred jobs to the town, which lost its shipyard a decade ago. "
)


def hostile_text(edited: bool = False) -> str:
    """A story with every hostile snippet inside it; ``edited`` changes a few words."""
    story = _STORY.replace("Monday", "Tuesday").replace("storms", "floods") if edited else _STORY
    return story + " ".join(HOSTILE_SNIPPETS) + " " + story


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
