"""A report of documents that try to run code: in a real browser nothing runs, all shows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("selenium", reason="selenium is not installed (pip install -e '.[test]')")

# ruff: noqa: E402
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By

from dedup.cli import main

from hostile import HOSTILE_ID, HOSTILE_SKIPPED, HOSTILE_SNIPPETS, HOSTILE_URL
from .conftest import severe_console_messages


def test_hostile_documents_show_as_text_and_run_nothing(
    browser: Any, hostile_corpus: Path, tmp_path: Path, artifacts: Path
) -> None:
    page = tmp_path / "hostile.html"
    assert main(["scan", str(hostile_corpus), "--html", str(page), "-q", "-j", "1"]) == 0
    browser.get(page.as_uri())
    # Hover and focus what an injected handler would sit on: passages, edges, ids.
    for element in browser.find_elements(By.CSS_SELECTOR, ".side p, g.edge, .doc")[:40]:
        ActionChains(browser).move_to_element(element).perform()
    try:
        alert = browser.switch_to.alert
        raise AssertionError(f"an alert opened: {alert.text!r}")
    except NoAlertPresentException:
        pass
    assert browser.title == "dedup report"
    assert browser.execute_script("return typeof window.pwned") == "undefined"
    assert browser.execute_script("return document.scripts.length") == 0
    handlers = browser.execute_script(
        "return [...document.querySelectorAll('*')].flatMap(e => [...e.attributes]"
        ".filter(a => a.name.startsWith('on') || a.name === 'autofocus'"
        " || a.value.trim().toLowerCase().startsWith('javascript:')).map(a => a.name));"
    )
    assert handlers == []
    assert browser.find_elements(By.CSS_SELECTOR, "img, iframe, textarea, main svg svg") == []
    text = browser.find_element(By.TAG_NAME, "body").text
    for snippet in [*HOSTILE_SNIPPETS, HOSTILE_ID, HOSTILE_URL, HOSTILE_SKIPPED]:
        assert snippet in text, snippet
    assert severe_console_messages(browser) == []
    browser.find_element(By.ID, "pairs").screenshot(str(artifacts / "hostile-pairs.png"))
