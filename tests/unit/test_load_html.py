"""HTML inputs: visible text only, entities decoded, blocks separated, metadata, charsets."""

from __future__ import annotations

from pathlib import Path

import pytest

from dedup.loading import load
from dedup.loading.html import html_to_text
from dedup.model import Document, Skipped

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Russian Space Chief &amp; the ISS</title>
  <meta property="article:published_time" content="2022-12-20T09:14:00+03:00">
  <meta property="og:url" content="https://example.com/og">
  <link rel="canonical" href="https://example.com/2022/12/20/leak">
  <style>body { color: red; }</style>
  <script>var tracking = "do not index";</script>
</head>
<body>
  <!-- a comment that must not show -->
  <header><nav>Home</nav></header>
  <article>
    <h1>Russian Space Chief Praises U.S.</h1>
    <p>The head of Roscosmos praised
       cooperation &amp; solidarity.</p><p>Second paragraph with <b>bold</b> <i>text</i>.</p>
    <noscript>Enable JavaScript</noscript>
    <svg><title>icon</title><text>svg text</text></svg>
    <ul><li>one</li><li>two</li></ul>
    <p>Line<br>break &eacute;t&eacute; &#8212; &lt;tag&gt;</p>
    <template><p>template text</p></template>
  </article>
  <script type="text/javascript">document.write("<p>written</p>");</script>
</body>
</html>
"""


def _page_text() -> tuple[str, dict[str, str]]:
    return html_to_text(PAGE)


def test_only_visible_text_remains() -> None:
    text, _ = _page_text()

    for hidden in ("color: red", "tracking", "comment", "Enable JavaScript", "icon", "svg text",
                   "template text", "written", "<p>", "<b>", "Russian Space Chief &"):  # fmt: skip
        assert hidden not in text, hidden


def test_entities_are_decoded_and_blocks_are_separated() -> None:
    text, _ = _page_text()

    assert text == (
        "Home\n\n"
        "Russian Space Chief Praises U.S.\n\n"
        "The head of Roscosmos praised cooperation & solidarity.\n\n"
        "Second paragraph with bold text.\n\n"
        "one\ntwo\n\n"
        "Line\nbreak été — <tag>"
    )


def test_title_date_and_canonical_url_are_found() -> None:
    _, metadata = _page_text()

    assert metadata == {
        "title": "Russian Space Chief & the ISS",
        "date": "2022-12-20",
        "url": "https://example.com/2022/12/20/leak",
    }


def test_og_url_and_time_element_are_fallbacks() -> None:
    markup = (
        '<meta property="og:url" content="https://example.com/og">'
        '<p>Posted <time datetime="2021-03-04">March 4</time></p>'
        '<time datetime="2020-01-01">later</time>'
    )

    assert html_to_text(markup) == (
        "Posted March 4\n\nlater",
        {"url": "https://example.com/og", "date": "2021-03-04"},
    )


def test_no_blank_line_runs_and_table_cells_stay_apart() -> None:
    markup = (
        "<div><div><p>a</p></div></div><p>&nbsp;</p><p></p>"
        "<table><tr><td>x</td><td>y</td></tr></table>"
    )

    assert html_to_text(markup)[0] == "a\n\nx y"


def test_a_head_without_closing_tag_ends_at_the_first_body_element() -> None:
    markup = "<html><head><title>T</title><p>Visible paragraph"

    assert html_to_text(markup) == ("Visible paragraph", {"title": "T"})


@pytest.mark.parametrize(
    "markup",
    ["<![foo[ x ]]>text", "<p>unclosed <b>tags", "<a href='x", "<!DOCTYPE", "</>&#99999999;"],
)
def test_malformed_markup_never_raises(markup: str) -> None:
    text, _ = html_to_text(markup)

    assert isinstance(text, str)


def test_an_html_file_loads_as_its_visible_text(tmp_path: Path) -> None:
    path = tmp_path / "page.HTM"
    path.write_text(PAGE, encoding="utf-8")

    [document] = load([path])

    assert isinstance(document, Document)
    assert document.id == "page.HTM"
    assert document.text.startswith("Home\n\nRussian Space Chief Praises U.S.")
    assert document.metadata["date"] == "2022-12-20"


def test_a_meta_charset_is_honoured(tmp_path: Path) -> None:
    page = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">'
    page += "</head><body><p>Noël à la café — naïve élève</p></body></html>"
    path = tmp_path / "latin.html"
    path.write_bytes(page.encode("cp1252"))

    [document] = load([path])

    assert isinstance(document, Document)
    assert document.text == "Noël à la café — naïve élève"


def test_an_html_file_without_visible_text_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "blank.html"
    path.write_text("<html><head><title>t</title><script>x()</script></head></html>", "utf-8")

    assert list(load([path])) == [Skipped(str(path), "no visible text in HTML")]


@pytest.mark.parametrize("charset", ["unicode_escape", "base64", "undefined", "utf-16", "bogus"])
def test_a_nonsense_meta_charset_falls_back_to_detection(tmp_path: Path, charset: str) -> None:
    path = tmp_path / "odd.html"
    path.write_bytes(f'<meta charset="{charset}"><p>caf\\u00e9 é</p>'.encode())

    [document] = load([path])

    assert isinstance(document, Document)
    assert document.text == "caf\\u00e9 é"
