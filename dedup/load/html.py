"""The visible text of an HTML page, and its title, date and canonical url."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from dedup.load.text import decode_bytes, parse_date

#: Browsers look for a charset declaration only this far into a page.
_CHARSET_WINDOW = 2048
_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)

_HIDDEN = frozenset({"script", "style", "noscript", "template", "svg", "head"})
#: What may appear in <head>; any other start tag means the body began without a <body> tag.
_HEAD_CONTENT = frozenset(
    {"title", "meta", "link", "script", "style", "base", "noscript", "template", "head"}
)
_LINE_BREAK = frozenset({"br", "li", "tr", "dt", "dd"})
_PARAGRAPH_BREAK = frozenset(
    {
        "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "blockquote",
        "pre", "header", "footer", "table", "ul", "ol", "dl", "hr", "figure", "figcaption",
        "main", "nav", "aside", "address", "body",
    }
)  # fmt: skip
_CELL = frozenset({"td", "th"})
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
    them) and its metadata: ``title``, ``date`` (YYYY-MM-DD) and ``url`` when the page has them."""
    parser = _VisibleText()
    parser.feed(markup)
    parser.close()
    return parser.text(), parser.metadata()


def _iso_date(value: str) -> str | None:
    match = _ISO_DATE.match(value)
    return parse_date(match.group(1) if match else value)


class _VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._parts: list[str] = []
        self._hidden: list[str] = []
        self._pre = 0
        # Newlines at the end of the text so far; the start counts as a paragraph break.
        self._newlines = 2
        self._title: list[str] | None = None
        self._meta: dict[str, str] = {}
        self._og_url: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        self._note_metadata(tag, found)
        if self._hidden == ["head"] and tag not in _HEAD_CONTENT:
            self._hidden.clear()
        if tag == "title" and self._hidden in ([], ["head"]) and "title" not in self._meta:
            self._title = []
        if tag in _HIDDEN:
            self._hidden.append(tag)
        elif not self._hidden:
            self._open_visible(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # A self-closed <svg/> or <div/> opens nothing, so only the start matters.
        if tag in _HIDDEN:
            self._note_metadata(tag, {name: value or "" for name, value in attrs})
        else:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._hidden:
            del self._hidden[len(self._hidden) - 1 - self._hidden[::-1].index(tag) :]
        elif tag == "title" and self._title is not None:
            self._meta["title"] = " ".join("".join(self._title).split())
            self._title = None
        elif not self._hidden:
            self._close_visible(tag)

    def handle_data(self, data: str) -> None:
        if self._title is not None:
            self._title.append(data)
        elif not self._hidden:
            self._add_text(data)

    def parse_marked_section(self, i: int, report: bool = True) -> int:
        # The stdlib raises AssertionError on sections like "<![foo[": read them as browsers do,
        # as bogus comments, so that no page can make loading fail.
        try:
            return super().parse_marked_section(i, report)
        except AssertionError:
            return self.parse_bogus_comment(i, report)

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
