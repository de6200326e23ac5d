"""The visible text of an HTML page, and its title, date and canonical url."""

from __future__ import annotations

import re
from typing import Any

from lxml import etree  # type: ignore[import-untyped]

from dedup.loading.dates import iso_date
from dedup.loading.text import DecodeError, decode_bytes, parse_date

#: Browsers look for a charset declaration only this far into a page.
_CHARSET_WINDOW = 2048
_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)

_HIDDEN = frozenset({"script", "style", "noscript", "template", "svg", "head"})
_LINE_BREAK = frozenset({"br", "li", "tr", "dt", "dd"})
_PARAGRAPH_BREAK = frozenset(
    {
        "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "blockquote",
        "pre", "header", "footer", "table", "ul", "ol", "dl", "hr", "figure", "figcaption",
        "main", "nav", "aside", "address", "body",
    }
)  # fmt: skip
_CELL = frozenset({"td", "th"})
_METADATA_TAGS = frozenset({"meta", "time", "link"})
#: Tags that change the text or metadata; any other (<a>, <b>, <span>…) only holds text.
_MEANINGFUL = _HIDDEN | _LINE_BREAK | _PARAGRAPH_BREAK | _CELL | _METADATA_TAGS | {"pre", "title"}
_DATE_META = frozenset(
    {"article:published_time", "date", "pubdate", "publish-date", "datepublished", "dc.date"}
)
_ISO_DATE = re.compile(r"\s*(\d{4}-\d{2}-\d{2})")
_SPACE_RUN = re.compile(r"[ \t\n\r\f]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def decode_html(data: bytes) -> str:
    """Decode an HTML file: BOM, else its ``<meta charset>``, else as any text file."""
    declared = _CHARSET.search(data[:_CHARSET_WINDOW])
    return decode_bytes(data, declared.group(1).decode("ascii") if declared else None)


def html_to_text(markup: str) -> tuple[str, dict[str, str]]:
    """The visible text of ``markup`` (blocks on their own lines, one blank line at most between
    them) and its metadata: ``title``, ``date`` (YYYY-MM-DD) and ``url`` when the page has them.

    Parsing takes time linear in the size of the page whatever its markup (libxml2's HTML5
    tokenizer; the stdlib ``HTMLParser`` is quadratic on unclosed comments and tags). Raises
    ``DecodeError`` for a page nested deeper than ``MAX_DEPTH`` elements, whose text would be cut.
    """
    root = _parse(markup)
    gathered = _VisibleText()
    if root is not None:
        _walk(root, gathered)
    return gathered.text(), gathered.metadata()


#: libxml2 stops building the tree below this depth (with ``huge_tree``); no real page nears it.
MAX_DEPTH = 2048


def _parse(markup: str) -> Any:
    # Bytes with a fixed encoding: the text is decoded already, and a str holding an encoding
    # declaration would be refused. huge_tree lifts the 10 MB limit on one text node.
    parser = etree.HTMLParser(
        encoding="utf-8", recover=True, no_network=True, huge_tree=True, remove_pis=True
    )
    root = etree.fromstring(markup.encode("utf-8", "surrogatepass"), parser)
    for error in parser.error_log:
        if "Excessive depth" in error.message:
            raise DecodeError(f"HTML nested deeper than {MAX_DEPTH} elements")
    return root


def _walk(root: Any, sink: _VisibleText) -> None:
    """Feed ``sink`` the elements and text under ``root`` in document order (lxml's iterwalk
    walks the tree in C, without recursion)."""
    data = sink.data
    for event, element in etree.iterwalk(root, events=("start", "end", "comment", "pi")):
        tag = element.tag
        if not isinstance(tag, str):  # a comment: only the text after it is content
            data(element.tail)
        elif event == "start":
            tag = tag.lower()
            if tag in _MEANINGFUL:
                # Only metadata tags need their attributes; reading every element's is slow.
                sink.start(tag, _attributes(element) if tag in _METADATA_TAGS else {})
            data(element.text)
        else:
            tag = tag.lower()
            if tag in _MEANINGFUL:
                sink.end(tag)
            data(element.tail)


def _attributes(element: Any) -> dict[str, str]:
    return {str(name).lower(): str(value) for name, value in element.attrib.items()}


def _iso_date(value: str) -> str | None:
    match = _ISO_DATE.match(value)
    return parse_date(match.group(1) if match else value) or iso_date(value)


class _VisibleText:
    """The visible text and metadata of a page, fed its elements in document order."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._hidden: list[str] = []
        self._pre = 0
        # Newlines at the end of the text so far; the start counts as a paragraph break.
        self._newlines = 2
        self._title: list[str] | None = None
        self._meta: dict[str, str] = {}
        self._og_url: str | None = None

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        """An element opens."""
        self._note_metadata(tag, attrs)
        if tag == "title" and self._hidden in ([], ["head"]) and "title" not in self._meta:
            self._title = []
        if tag in _HIDDEN:
            self._hidden.append(tag)
        elif not self._hidden:
            self._open_visible(tag)

    def end(self, tag: str) -> None:
        """The element last opened and not yet closed closes."""
        if tag in self._hidden:
            del self._hidden[len(self._hidden) - 1 - self._hidden[::-1].index(tag) :]
        elif tag == "title" and self._title is not None:
            self._meta["title"] = " ".join("".join(self._title).split())
            self._title = None
        elif not self._hidden:
            self._close_visible(tag)

    def data(self, data: str | None) -> None:
        """Text between tags, entities decoded."""
        if not data:
            return
        if self._title is not None:
            self._title.append(data)
        elif not self._hidden:
            self._add_text(data)

    def _open_visible(self, tag: str) -> None:
        if tag == "pre":
            self._pre += 1
        if tag in _LINE_BREAK:
            self._break(1)
        elif tag in _PARAGRAPH_BREAK:
            self._break(2)
        elif tag in _CELL:
            self._parts.append(" ")

    def _close_visible(self, tag: str) -> None:
        if tag == "pre" and self._pre:
            self._pre -= 1
        if tag in _PARAGRAPH_BREAK:
            self._break(2)
        elif tag in _LINE_BREAK and tag != "br":
            self._break(1)

    def _break(self, newlines: int) -> None:
        if self._newlines < newlines:
            self._parts.append("\n" * (newlines - self._newlines))
            self._newlines = newlines

    def _add_text(self, data: str) -> None:
        if not self._pre:
            data = _SPACE_RUN.sub(" ", data)
            if not self._parts or self._parts[-1].endswith((" ", "\n")):
                data = data.lstrip(" ")
        if data:
            self._parts.append(data)
            body = data.rstrip("\n")
            if body.strip():
                self._newlines = len(data) - len(body)
            else:
                self._newlines += data.count("\n")

    def _note_metadata(self, tag: str, attrs: dict[str, str]) -> None:
        if tag == "meta":
            key = (attrs.get("property") or attrs.get("name") or attrs.get("itemprop", "")).lower()
            content = attrs.get("content", "").strip()
            if key in _DATE_META and "date" not in self._meta:
                self._set_date(content)
            elif key == "og:url" and content and self._og_url is None:
                self._og_url = content
        elif tag == "time" and "datetime" in attrs and "date" not in self._meta:
            self._set_date(attrs["datetime"])
        elif tag == "link" and "canonical" in attrs.get("rel", "").lower().split():
            href = attrs.get("href", "").strip()
            if href and "url" not in self._meta:
                self._meta["url"] = href

    def _set_date(self, value: str) -> None:
        date = _iso_date(value)
        if date:
            self._meta["date"] = date

    def text(self) -> str:
        """The visible text gathered so far."""
        lines = (line.strip(" \t\r\xa0") for line in "".join(self._parts).split("\n"))
        return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip("\n")

    def metadata(self) -> dict[str, str]:
        """Title, date and url found so far (a canonical link wins over og:url)."""
        found = {key: value for key, value in self._meta.items() if value}
        if "url" not in found and self._og_url:
            found["url"] = self._og_url
        return found
