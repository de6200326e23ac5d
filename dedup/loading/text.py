"""Turning raw file bytes into text, and reading the metadata a plain-text article carries."""

from __future__ import annotations

import codecs
import datetime as dt
import re

import charset_normalizer

#: How far into a file NUL bytes are looked for; binary formats put them in their headers.
_SNIFF_BYTES = 8192
#: Above this share of stray control characters the "text" is really a binary format.
_MAX_CONTROL_SHARE = 0.10
#: How much more "mess" a windows-1252 reading may show than the detector's best and still win.
_CHAOS_MARGIN = 0.05

# UTF-32 LE must be tried before UTF-16 LE: its BOM starts with the UTF-16 LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_NOT_CHARSETS = frozenset(
    {"unicode-escape", "raw-unicode-escape", "idna", "punycode", "undefined", "utf-7"}
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")


class DecodeError(Exception):
    """Bytes that cannot become a document's text; ``reason`` is what ``Skipped`` reports."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def decode_bytes(data: bytes, declared: str | None = None) -> str:
    """Decode a file's bytes: BOM, else ``declared`` charset, else UTF-8, else a detected legacy
    encoding. The BOM is dropped; nothing else changes, so offsets point into the decoded file.

    Raises DecodeError when the bytes are binary or in no recognisable encoding.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = _decode_after_bom(data[len(bom) :], encoding)
            break
    else:
        if b"\x00" in data[:_SNIFF_BYTES]:
            raise DecodeError("binary file (contains NUL bytes)")
        text = _decode_without_bom(data, declared)
    _reject_control_characters(text)
    return text


def _decode_without_bom(data: bytes, declared: str | None) -> str:
    text = _decode_declared(data, declared)
    if text is None:
        text = _decode_utf8(data)
    return _decode_legacy(data) if text is None else text


def _decode_after_bom(data: bytes, encoding: str) -> str:
    # NUL is an ordinary byte of UTF-16/32 text, but in UTF-8 it still means binary.
    if encoding == "utf-8" and b"\x00" in data[:_SNIFF_BYTES]:
        raise DecodeError("binary file (contains NUL bytes)")
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise DecodeError(f"undecodable text (invalid {encoding} after byte order mark)") from None


def _decode_declared(data: bytes, declared: str | None) -> str | None:
    if not declared:
        return None
    try:
        name = codecs.lookup(declared).name
    except LookupError:
        return None
    if name.startswith(("utf-16", "utf-32")) or name in _NOT_CHARSETS:
        # A wide encoding declared inside the file itself cannot be right without a BOM, and
        # Python's own codecs (escapes, idna, …) are no web charsets: a page naming one is wrong.
        return None
    if name in ("latin-1", "iso8859-1", "ascii"):
        # Browsers read these labels as windows-1252, and so does the web content they describe.
        name = "cp1252"
    try:
        return data.decode(name)
    except (UnicodeError, LookupError):  # LookupError: a bytes-to-bytes codec such as base64
        return None


#: A text with at least this many well-formed multi-byte UTF-8 characters per stray byte is
#: UTF-8 with a few damaged bytes: Latin-1 or windows-1252 text almost never forms one.
_UTF8_EVIDENCE = 4


def _decode_utf8(data: bytes) -> str | None:
    """The bytes as UTF-8; a few stray bytes in plainly UTF-8 text become U+FFFD rather than
    turning every accent of the file into mojibake through a legacy code page."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    escaped = data.decode("utf-8", "surrogateescape")
    stray = sum(1 for char in escaped if "\udc80" <= char <= "\udcff")
    multibyte = sum(1 for char in escaped if char > "\x7f") - stray
    if multibyte >= _UTF8_EVIDENCE * stray:
        return data.decode("utf-8", "replace")
    return None


def _decode_legacy(data: bytes) -> str:
    matches = charset_normalizer.from_bytes(data)
    best = matches.best()
    if best is None:
        raise DecodeError("undecodable text (unknown encoding)")
    # Western European text scores almost the same in several Latin code pages, and the
    # detector often picks a Baltic or Central European one ("élčve" for "élève"). windows-1252
    # is by far the most common of them, so it wins whenever it scores about as well.
    for match in matches:
        encodings = {match.encoding, *match.could_be_from_charset}
        close = match.chaos <= best.chaos + _CHAOS_MARGIN and match.coherence >= best.coherence
        if close and "cp1252" in encodings:
            try:
                return data.decode("cp1252")
            except UnicodeDecodeError:
                break
    return str(best)


def _reject_control_characters(text: str) -> None:
    if text and len(_CONTROL.findall(text)) > _MAX_CONTROL_SHARE * len(text):
        raise DecodeError("binary file (too many control characters)")


# --- metadata of plain text and markdown -------------------------------------------------------

#: Metadata sits at the top of an article; looking further only finds false positives.
_HEAD_CHARS = 4000
_TITLE_LINES = 10
_DATE_LINES = 15

_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+(?P<title>.+?)(?:[ \t]+#+)?[ \t]*$")
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_DATE_LINE = re.compile(
    r"""^(?:(?:published|posted|updated|date|dated)(?:[ \t]+on)?[ \t]*:?[ \t]*)?
    (?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?[ \t]+)?
    (?:
        (?P<iso_y>\d{4})[-/.](?P<iso_m>\d{1,2})[-/.](?P<iso_d>\d{1,2})
      | (?P<mdy_m>[a-z]{3,9})\.?[ \t]+(?P<mdy_d>\d{1,2})(?:st|nd|rd|th)?,?[ \t]+(?P<mdy_y>\d{4})
      | (?P<dmy_d>\d{1,2})(?:st|nd|rd|th)?[ \t]+(?:of[ \t]+)?(?P<dmy_m>[a-z]{3,9})\.?,?[ \t]+
        (?P<dmy_y>\d{4})
    )
    (?:[ \t]*(?:,|at|-|–|\|)?[ \t]*\d{1,2}[:.]\d{2}[^\n]{0,24})?$""",
    re.IGNORECASE | re.VERBOSE,
)
_URL_LABEL = re.compile(
    r"^[ \t>*_]*(?:original[ \t]+(?:url|link|article)|source(?:[ \t]+url)?|canonical(?:[ \t]+url)?"
    r"|url|link)[ \t*_]*:[ \t*_]*(?P<rest>[^\n]*)$",
    re.IGNORECASE | re.MULTILINE,
)
_URL = re.compile(r"https?://[^\s<>\"'()\[\]]+")


def text_metadata(text: str) -> dict[str, str]:
    """Title (first markdown heading), date (a date-only line, as YYYY-MM-DD) and source url
    (a ``Source:``/``Original url:`` line) of a plain-text article; absent keys were not found."""
    lines = [line.strip() for line in text[:_HEAD_CHARS].splitlines() if line.strip()]
    found: dict[str, str] = {}
    title = next(filter(None, map(_heading, lines[:_TITLE_LINES])), None)
    date = next(filter(None, map(parse_date, lines[:_DATE_LINES])), None)
    url = _labelled_url(text)
    for key, value in (("title", title), ("date", date), ("url", url)):
        if value:
            found[key] = value
    return found


def _heading(line: str) -> str | None:
    match = _HEADING.match(line)
    return match["title"].strip("*_ \t") if match else None


def parse_date(line: str) -> str | None:
    """The ISO form (YYYY-MM-DD) of a line that is only a date, such as "Dec. 20, 2022"."""
    match = _DATE_LINE.match(line.strip().strip("*_").strip())
    if match is None:
        return None
    parts = match.groupdict()
    if parts["iso_y"]:
        year, month, day = parts["iso_y"], parts["iso_m"], parts["iso_d"]
    elif parts["mdy_y"]:
        year, month, day = parts["mdy_y"], parts["mdy_m"], parts["mdy_d"]
    else:
        year, month, day = parts["dmy_y"], parts["dmy_m"], parts["dmy_d"]
    number = int(month) if month.isdigit() else _MONTHS.get(month.lower())
    if number is None:
        return None
    try:
        return dt.date(int(year), number, int(day)).isoformat()
    except ValueError:
        return None


def _labelled_url(text: str) -> str | None:
    for label in _URL_LABEL.finditer(text):
        rest = label["rest"]
        if not rest.strip():
            # The url often sits on the next non-blank line ("Original url:\n\n<https://…>").
            following = text[label.end() : label.end() + 1000].lstrip()
            rest = following.split("\n", 1)[0]
        url = _URL.search(rest)
        if url:
            return url.group().rstrip(".,;:!?")
    return None
