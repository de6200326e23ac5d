"""The HTML report read as a browser would parse it (the browser itself: tests/browser/)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hostile import HOSTILE_ID, HOSTILE_SKIPPED, HOSTILE_SNIPPETS, HOSTILE_URL

import dedup
from dedup.model import LineageEdge, Relation
from dedup.report.html import _pair_view, _Words, scan_to_html
from dedup.report.svg import histogram, layered_layout

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
S000, S001, S002, S004 = (
    "000_f895152034fee3bb.txt", "001_47e1ff0772070bb4.txt", "002_9ee1089bac769580.txt",
    "004_080ed094c235e3d8.txt",
)


class _Page(HTMLParser):
    """Every start tag with its attributes, and the text of elements by tag."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self._open: list[tuple[str, dict[str, str | None], list[str]]] = []
        self.elements: list[tuple[str, dict[str, str | None], str]] = []
        self.feed(source)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in {"meta", "br", "rect", "line", "path"}:
            self._open.append((tag, dict(attrs), []))

    def handle_endtag(self, tag: str) -> None:
        while self._open:
            name, attributes, parts = self._open.pop()
            text = "".join(parts)
            self.elements.append((name, attributes, text))
            if self._open:
                self._open[-1][2].append(text)
            if name == tag:
                break

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._open:
            self._open[-1][2].append(data)

    def find(self, tag: str, **wanted: str) -> list[tuple[dict[str, str | None], str]]:
        return [
            (attributes, text)
            for name, attributes, text in self.elements
            if name == tag and all(attributes.get(k) == v for k, v in wanted.items())
        ]


@pytest.fixture(scope="module")
def seeds_page() -> _Page:
    return _Page(scan_to_html(dedup.scan([SEEDS])))


def test_the_seed_report_shows_the_copy_family_and_the_story_family(seeds_page: _Page) -> None:
    families = {attributes["id"]: text for attributes, text in seeds_page.find("div")
                if (attributes.get("class") or "").startswith("family")}
    assert set(families) == {"family-F1", "family-S1"}
    assert S001 in families["family-F1"] and S002 in families["family-F1"]
    assert S000 not in families["family-F1"]
    assert all(doc in families["family-S1"] for doc in (S000, S001, S002))


def test_the_lineage_graph_draws_the_seed_edges_with_their_confidence(seeds_page: _Page) -> None:
    edges = {
        (attributes["data-source"], attributes["data-target"]): (attributes["class"], text)
        for attributes, text in seeds_page.find("g")
        if (attributes.get("class") or "").startswith("edge")
    }
    # 004's weak reuse of the wire copy is a secondary source: from 001 or 002, the same text
    # (lineage breaks such ties by content, not by name).
    (copy,) = {S001, S002} & {source for source, target in edges if target == S004}
    assert edges.keys() == {(S002, S001), (S000, S004), (copy, S004)}
    assert edges[copy, S004][0] == "edge secondary"
    # The tooltip names the evidence the text report gives for 002 -> 001.
    assert "shared-innovation" in edges[S002, S001][1]
    assert re.search(r"confidence 0\.\d\d", edges[S000, S004][1])


def test_the_000_004_passage_marks_each_kind_of_change(seeds_page: _Page) -> None:
    pair = next(a["id"] for a, text in seeds_page.find("article")
                if S000 in text and S004 in text and "partial-reuse" in text)
    source = scan_to_html(dedup.scan([SEEDS]))
    section = source[source.index(f'id="{pair}"'):]
    section = section[: section.index("</article>")]
    marked = _Page(section)
    inserted = [text.strip() for _, text in marked.find("ins", **{"class": "ins"})]
    deleted = [text.strip() for _, text in marked.find("del", **{"class": "del"})]
    replaced = [text.strip() for _, text in marked.find("del", **{"class": "rep"})]
    replacing = [text.strip() for _, text in marked.find("ins", **{"class": "rep"})]
    # dedup diff seeds/000… seeds/004…: {+remaining+}, [-still in progress-],
    # [-beginning-]{+start+}
    assert "remaining" in inserted
    assert "still in progress" in deleted
    assert "beginning" in replaced and "start" in replacing


def test_text_outside_the_passages_is_set_apart(seeds_page: _Page) -> None:
    (pair,) = [text for _, text in seeds_page.find("article") if "near-duplicate" in text]
    shared, outside = pair.split("Outside the shared passages")
    # 002's headline and byline are page furniture that 001 lacks: shown apart, not as shared.
    assert "Russian Space Chief Praises U.S. After ISS Coolant Leak" in outside
    assert "Russian Space Chief Praises" not in shared
    assert "Roscosmos on Tuesday praised" in shared


def test_the_histogram_counts_every_pair_and_marks_the_threshold() -> None:
    result = dedup.scan([SEEDS])
    drawn = histogram(result.pairs, {"threshold": 0.5})
    assert sum(bar.count for bar in drawn.bars) == len(result.pairs)
    near = [bar for bar in drawn.bars if bar.relation is Relation.NEAR_DUPLICATE]
    assert [bar.low for bar in near] == [0.9]  # J = 0.937
    (marker,) = drawn.markers
    assert drawn.plot_left < marker.x < drawn.plot_right
    assert near[0].x > marker.x  # the near-duplicate lies right of the threshold


def _edge(source: str, target: str, primary: bool = True) -> LineageEdge:
    return LineageEdge(source, target, 0.8, (), Relation.NEAR_DUPLICATE, primary)


def test_layout_puts_each_source_above_its_copies_and_survives_a_cycle() -> None:
    edges = [_edge("root", "a"), _edge("a", "b"), _edge("root", "c"), _edge("c", "b", False)]
    layout = layered_layout(["a", "b", "c", "root"], edges, {})
    y = {box.id: box.y for box in layout.nodes}
    assert y["root"] < y["a"] < y["b"] and y["root"] < y["c"]
    assert len({(box.x, box.y) for box in layout.nodes}) == 4  # no two boxes on one spot
    assert all(0 <= box.x and box.x + box.width <= layout.width for box in layout.nodes)
    looped = layered_layout(["p", "q"], [_edge("p", "q"), _edge("q", "p")], {})
    assert {box.id for box in looped.nodes} == {"p", "q"}


def test_pairs_scanned_with_passages_use_them(tmp_path: Path) -> None:
    config = dedup.ScanConfig(passages=True)
    result = dedup.scan([SEEDS], config)
    page = scan_to_html(result)
    first = result.pairs[0]
    assert first.alignment is not None
    assert f"{len(first.alignment.passages)}: {first.alignment.passages[0].kind}" in page


def test_a_scan_without_stories_or_lineage_or_pairs_still_renders() -> None:
    docs = [dedup.Document("a", "one text about apples and pears " * 5),
            dedup.Document("b", "another about the weather in the north " * 5)]
    result = dedup.scan_documents(docs, dedup.ScanConfig(story=False, lineage=False))
    page = _Page(scan_to_html(result))
    text = "".join(page.text)
    assert "No document has a copy." in text and "No pairs." in text
    assert "did not trace lineage" in text


def test_hostile_text_ids_paths_and_metadata_are_escaped(hostile_corpus: Path) -> None:
    result = dedup.scan([hostile_corpus])
    assert any(pair.relation is not Relation.SAME_STORY for pair in result.pairs)
    source = scan_to_html(result)
    page = _Page(source)
    tags = {tag for tag, _ in page.tags}
    assert not tags & {"script", "img", "iframe", "textarea", "object", "embed"}
    # Only the svg elements the report draws: none from the text.
    assert all("onload" not in attributes for tag, attributes in page.tags if tag == "svg")
    for tag, attributes in page.tags:
        assert not [name for name in attributes if name.startswith("on") or name == "autofocus"]
        assert not (attributes.get("href") or "").lower().startswith("javascript:"), tag
    text = "".join(page.text)
    for snippet in [*HOSTILE_SNIPPETS, HOSTILE_ID, HOSTILE_URL, HOSTILE_SKIPPED]:
        assert snippet in text, snippet
    assert "pwned" not in source.split("<body>")[0]  # nothing reaches the head, not even escaped


def test_the_report_loads_nothing_from_anywhere() -> None:
    source = scan_to_html(dedup.scan([SEEDS]))
    page = _Page(source)
    assert not [a for tag, a in page.tags if tag == "link" or "src" in a]
    hrefs = {a.get("href") for tag, a in page.tags if "href" in a}
    assert all(href and href.startswith("#") for href in hrefs)
    csp = [a["content"] for tag, a in page.tags if a.get("http-equiv") == "Content-Security-Policy"]
    assert csp and "default-src 'none'" in (csp[0] or "")


def test_each_side_of_a_passage_shows_its_text_whole_and_in_order() -> None:
    result = dedup.scan([SEEDS])
    words = _Words(result)
    for pair in result.pairs:
        view = _pair_view("p", pair, words)
        for passage in view.passages:
            for side, span, doc in ((passage.a, passage.passage.a_span, pair.a),
                                    (passage.b, passage.passage.b_span, pair.b)):
                text = words.document(doc).text[span.start : span.end]
                assert "".join(s.text for s in side) == re.sub(r"\s+", " ", text)
