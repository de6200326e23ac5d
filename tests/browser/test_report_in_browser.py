"""The seed report as a person sees it in Chromium: families, lineage, marked changes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("selenium", reason="selenium is not installed (pip install -e '.[test]')")

# ruff: noqa: E402
from selenium.webdriver.common.by import By

from dedup.cli import main

from .conftest import severe_console_messages

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
S000, S001, S002, S004 = (
    "000_f895152034fee3bb.txt", "001_47e1ff0772070bb4.txt", "002_9ee1089bac769580.txt",
    "004_080ed094c235e3d8.txt",
)
_TRANSPARENT = ("rgba(0, 0, 0, 0)", "transparent")


@pytest.fixture(scope="module")
def seeds_page(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> Any:
    page = tmp_path_factory.mktemp("report") / "report.html"
    assert main(["scan", str(SEEDS), "--html", str(page), "-q", "-j", "1"]) == 0
    browser.get(page.as_uri())
    return browser


def _visible_box(driver: Any, element: Any) -> dict[str, float]:
    box: dict[str, float] = driver.execute_script(
        "const r = arguments[0].getBoundingClientRect();"
        "return {width: r.width, height: r.height};", element)
    return box


def _background(driver: Any, element: Any) -> str:
    colour: str = driver.execute_script(
        "return getComputedStyle(arguments[0]).backgroundColor;", element)
    return colour


def test_the_families_are_shown_with_their_members(seeds_page: Any) -> None:
    copies = seeds_page.find_element(By.ID, "family-F1")
    assert copies.is_displayed()
    assert S001 in copies.text and S002 in copies.text and S000 not in copies.text
    story = seeds_page.find_element(By.ID, "family-S1")
    assert all(doc in story.text for doc in (S000, S001, S002))
    overview = seeds_page.find_element(By.ID, "overview").text
    assert "Documents 5" in overview and "Families of copies 1" in overview


def test_the_lineage_graph_draws_002_to_001_and_000_to_004(seeds_page: Any) -> None:
    for source, target in ((S002, S001), (S000, S004)):
        edge = seeds_page.find_element(
            By.CSS_SELECTOR, f'g.edge[data-source="{source}"][data-target="{target}"]'
        )
        arrow = edge.find_element(By.TAG_NAME, "path")
        box = _visible_box(seeds_page, arrow)
        assert box["height"] > 20, (source, target, box)  # drawn downwards, source above
        assert edge.find_element(By.CSS_SELECTOR, "text.confidence").text.startswith("0.")
    names = [n.get_attribute("data-id") for n in seeds_page.find_elements(By.CSS_SELECTOR, "g.node")]
    assert sorted(names) == [S000, S001, S002, S004]
    tops = {n.get_attribute("data-id"): n.rect["y"]
            for n in seeds_page.find_elements(By.CSS_SELECTOR, "g.node")}
    assert tops[S002] < tops[S001] and tops[S000] < tops[S004]


def test_clicking_an_edge_shows_its_evidence_and_leads_to_the_passages(seeds_page: Any) -> None:
    summary = next(
        s for s in seeds_page.find_elements(By.CSS_SELECTOR, "details.edge-evidence summary")
        if s.text.startswith(f"{S002} → {S001}")
    )
    details = summary.find_element(By.XPATH, "..")
    evidence = details.find_element(By.TAG_NAME, "li")
    assert not evidence.is_displayed()
    summary.click()
    assert evidence.is_displayed() and "shared-innovation" in evidence.text
    details.find_element(By.LINK_TEXT, "the shared passages").click()
    target = seeds_page.execute_script("return location.hash")
    pair = seeds_page.find_element(By.ID, target[1:])
    assert S001 in pair.text.split("\n")[0] and S002 in pair.text.split("\n")[0]
    assert seeds_page.execute_script(
        "const r = arguments[0].getBoundingClientRect(); return r.top >= -1 && r.top < innerHeight;",
        pair)


def test_the_001_002_differences_are_highlighted(seeds_page: Any) -> None:
    pair = next(p for p in seeds_page.find_elements(By.CSS_SELECTOR, "article.pair")
                if "near-duplicate" in p.text)
    assert S001 in pair.text and S002 in pair.text
    # 001 is 002's body: what differs is 002's page furniture (headline, byline, footer),
    # shown apart from the shared passage and marked.
    outside = pair.find_element(By.CSS_SELECTOR, "aside.outside")
    assert outside.is_displayed()
    marks = outside.find_elements(By.CSS_SELECTOR, ".side.b mark")
    headline = next(m for m in marks if "Russian Space Chief Praises" in m.text)
    assert headline.is_displayed()
    assert _background(seeds_page, headline) not in _TRANSPARENT
    assert _background(seeds_page, outside) != _background(seeds_page, pair)
    assert any("Original url" in m.text for m in marks)


def test_insertions_deletions_and_replacements_are_coloured(seeds_page: Any) -> None:
    pair = next(p for p in seeds_page.find_elements(By.CSS_SELECTOR, "article.pair")
                if S000 in p.text and S004 in p.text and "partial-reuse" in p.text)
    inserted = pair.find_element(By.XPATH, ".//ins[@class='ins' and normalize-space()='remaining']")
    deleted = pair.find_element(By.XPATH, ".//del[@class='del' and contains(., 'still in progress')]")
    replaced = pair.find_element(By.XPATH, ".//del[@class='rep' and normalize-space()='beginning']")
    colours = {_background(seeds_page, e) for e in (inserted, deleted, replaced)}
    assert len(colours) == 3 and not colours & set(_TRANSPARENT)
    assert all(e.is_displayed() for e in (inserted, deleted, replaced))


def test_no_console_errors_and_a_screenshot(seeds_page: Any, artifacts: Path) -> None:
    assert severe_console_messages(seeds_page) == []
    seeds_page.execute_script("window.scrollTo(0, 0)")
    assert seeds_page.save_screenshot(str(artifacts / "seeds-report-top.png"))
    lineage = seeds_page.find_element(By.ID, "lineage")
    assert lineage.screenshot(str(artifacts / "seeds-lineage.png"))
    pair = next(p for p in seeds_page.find_elements(By.CSS_SELECTOR, "article.pair")
                if S000 in p.text and S004 in p.text and "partial-reuse" in p.text)
    assert pair.screenshot(str(artifacts / "seeds-pair-000-004.png"))
    assert (artifacts / "seeds-report-top.png").stat().st_size > 10_000
