"""What one document carries that bears on lineage: its date, its page furniture, the names it
credits and the places where it looks back in time.

Paragraphs are runs of text between blank lines, so a hard-wrapped body stays one paragraph.
A paragraph is *furniture* when it is page matter rather than story: a headline, byline,
caption, "Related article" or "Read more" line, credit, cookie or newsletter box, share line,
footer, a bare link. Furniture is what an outlet adds around the story and what a copier
strips; it is found by cue words at the start of the paragraph and by shape (short, no closing
punctuation, mostly links).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping

import attrs
import numpy as np
import numpy.typing as npt

from dedup.model import Document, NormalizedText

_PARAGRAPH_BREAK = re.compile(r"\n[ \t\xa0]*\n\s*")
_MARKUP = re.compile(r"[#*_>`|\[\]]+|\]\([^)]*\)|<[^>]{0,200}>|^\s*[-\u2022\u2013]\s+")
# The characters without which ``_MARKUP`` cannot match (but for a leading bullet).
_MARKUP_CHARS = "#*_>`|[]<"
_BULLETS = "-\u2022\u2013"
_URL = re.compile(r"(?:https?://|www\.)\S+|<https?://[^>]+>|\]\([^)]*\)")
_FURNITURE_CUES = re.compile(
    r"""^\W*(?:
        related(?:\s+(?:article|articles|stories|story|content|news|coverage))?\b
      | read\s+(?:more|also|next)\b | see\s+also\b | more\s+(?:on|from)\b | also\s+read\b
      | trending\b | most\s+(?:read|popular)\b | recommended\b | advertisement\b
      | sponsored\b | share\s+(?:this|on)\b | follow\s+us\b | sign\s+up\b | subscribe\b
      | get\s+(?:\S+\s+){0,3}(?:alerts|newsletter)\b | newsletter\b | cookies?\b
      | (?:we|this\s+(?:website|site))\s+uses?\s+cookies\b | copyright\b | \u00a9
      | all\s+rights\s+reserved\b | originally\s+published\b | first\s+published\b
      | this\s+(?:story|article)\s+(?:first\s+)?appeared\b | source\s*: | original\s+url\b
      | photo\b | image\b | picture\b | caption\b | credit\s*: | file\s+photo\b
      | by\s+(?-i:[A-Z\[]) | reporting\s+by\b | \(reporting\s+by\b | editing\s+by\b | writing\s+by\b
      | posted\b | updated\b | published\b | click\s+here\b | watch\s*: | listen\s*:
      | tags?\s*: | filed\s+under\b | powered\s+by\b | about\s+us\b | contact\s+us\b
      | privacy\b | terms\s+of\b | access\s+to\s+this\s+content\b
    )""",
    re.IGNORECASE | re.VERBOSE,
)
_SENTENCE_END = re.compile(r"[.!?\"'\u201d\u2019)\u00bb:;]\s*$")
#: Words of a paragraph below which a paragraph without closing punctuation is a heading,
#: caption or label rather than story prose.
_SHORT_WORDS = 14
_NAV_BARS = 2
#: Words beyond which a paragraph is prose whatever word it opens with.
_CUED_MAX_WORDS = 45

# Phrases by which a text places a shared event in its past: written later than the event.
_RETROSPECTIVE = re.compile(
    r"""\b(?:
        last\s+(?:week|month|year|spring|summer|autumn|fall|winter|weekend)
      | (?:earlier|late|later)\s+(?:this|last)\s+(?:week|month|year)
      | (?:a|one|two|three|four|five|six|several|few|\d+)\s+(?:days?|weeks?|months?|years?)\s+ago
      | the\s+previous\s+(?:week|month|year) | in\s+mid-[A-Z][a-z]+
    )\b""",
    re.IGNORECASE | re.VERBOSE,
)
# The same phrases in a text's lower case (the same offsets: see ``retrospective_phrases``),
# matched case-sensitively, which Python's re does at about twice the speed.
_RETROSPECTIVE_LOWER = re.compile(
    _RETROSPECTIVE.pattern.replace("[A-Z][a-z]+", "[a-z]+"), re.VERBOSE
)
# Marks of a later version of the same text: an update, a correction, a re-send, a revision.
# A wire's or an editor's marks of a later version: capitalised slugs ("UPDATE 2", "CORRECTED",
# "REPEAT"), bracketed notes ("(Corrects name in paragraph 3)", "(Adds quotes)"), editor's
# notes. Lower-case "updated" or "revision" in running text is a topic word, not a mark.
_UPDATE_MARKERS = re.compile(
    r"""\b(?:UPDATE(?:D|S)?|CORRECTED|CORRECTION|REPEAT(?:ED)?|RECAST|REFILED?|WRITETHRU
           |WRITE-THRU|CLARIFIED|RETRANSMITTED)\b
      | \(\s*(?i:corrects?|updates?|adds?|recasts?|changes?|fixes|refiles?|repeats?|
                  clarifies|rewrites?|new\s+throughout)\b
      | \b(?i:editor'?s'?\s+note)\b""",
    re.VERBOSE,
)
_MONTHS = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)  # fmt: skip
_MONTH = r"(?P<{g}>jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
# Full dates in the text: "February 20, 2023", "20 February 2023", "2023-02-20".
_TEXT_DATE = re.compile(
    rf"""\b(?:{_MONTH.format(g="m1")}\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y1>(?:19|20)\d\d)
      | (?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH.format(g="m2")}\s+(?P<y2>(?:19|20)\d\d)
      | (?P<y3>(?:19|20)\d\d)-(?P<m3>\d\d)-(?P<d3>\d\d)
    )\b""",
    re.IGNORECASE | re.VERBOSE,
)
# A year, which every full date holds, and how far around it the rest of a date can be.
_YEAR = re.compile(r"(?:19|20)\d\d")
_DATE_BEFORE_YEAR = 64
_DATE_AFTER_YEAR = 11
# The words every look-back phrase holds, the slugs that open a wire's marks of a later
# version, and how far such a phrase or mark reaches around them.
_LOOK_BACK_WORDS = ("last", "late", "earlier", "ago", "previous", "mid-")
_MARKER_SLUGS = (
    "UPDATE", "CORRECT", "REPEAT", "RECAST", "REFILE", "WRITETHRU", "WRITE-THRU", "CLARIFIED",
    "RETRANSMITTED",
)  # fmt: skip
_PHRASE_REACH = 80
# Words and marks that open a credit, and how far the credited name can reach past them.
_CREDIT_OPENERS = (
    "(", "by", "via", "source", "originally", "first", "courtesy", "credit",
)  # fmt: skip
_CREDIT_REACH = 240
_CREDIT = re.compile(
    r"""(?:\(\s*(?P<paren>[A-Z][\w&.\- ]{1,30}?)\s*\)\s*[-\u2013\u2014]
      | \b(?:by|via|source\s*:|originally\s+published\s+(?:by|in|at)|first\s+appeared\s+(?:in|at|on)
           |courtesy\s+of|credit\s*:)\s+\[?(?P<named>[A-Z][\w&.\-]*(?:\s+[A-Z][\w&.\-]*){0,4})
    )""",
    re.VERBOSE,
)
_DATE_KEYS = ("date", "published", "published_at", "pubdate", "datetime", "timestamp", "time")
_NAME_KEYS = ("outlet", "publisher", "source", "site", "site_name", "author")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_WORDS = re.compile(r"\w+")
_DOT_LETTER = re.compile(r"\.[a-z.]", re.IGNORECASE)
_DOMAIN = re.compile(r"(?:https?://)?(?:www\.)?([a-z0-9\-]+)\.[a-z.]{2,}", re.IGNORECASE)

U8 = npt.NDArray[np.bool_]


@attrs.frozen
class Paragraph:
    """A paragraph's character range, whether it is page furniture, and whether a cue word says
    so (``cued``: "Related article", "Read more", a credit line...) rather than its shape alone
    (short, no closing punctuation: a headline or caption, but also a row of a table)."""

    start: int
    end: int
    furniture: bool
    cued: bool = False


@attrs.frozen
class Signals:
    """A document's lineage signals (see the module doc)."""

    date: dt.datetime | None
    date_source: str
    paragraphs: tuple[Paragraph, ...]
    #: Per token of the normalised text: inside a furniture paragraph.
    furniture_words: U8 = attrs.field(eq=False, repr=False)
    #: Character offsets of retrospective time phrases.
    retrospective: tuple[int, ...]
    #: Names the text credits ("(AFP)", "By Jane Doe", "Originally published by X"), lowercased.
    credits: frozenset[str]
    #: Names the document goes by (its outlet or publisher, its site's domain), lowercased.
    names: frozenset[str]
    #: Character offset of each token of the normalised text.
    word_starts: npt.NDArray[np.int64] = attrs.field(eq=False, repr=False)
    #: Character offsets of update, correction and revision marks (in the text or its title).
    markers: tuple[int, ...] = ()
    #: Full dates the text mentions, with their character offsets.
    mentioned_dates: tuple[tuple[int, dt.date], ...] = ()
    #: Per paragraph: its range of tokens of the normalised text, ``(first, past the last)``.
    paragraph_words: tuple[tuple[int, int], ...] = ()
    #: Indices of the furniture paragraphs.
    furniture_paragraphs: tuple[int, ...] = ()
    #: Tokens outside furniture paragraphs.
    story_words: int = 0
    #: Per token: outside furniture paragraphs (``~furniture_words``).
    story_mask: U8 = attrs.field(eq=False, repr=False, factory=lambda: np.zeros(0, dtype=bool))
    #: Tokens outside furniture paragraphs before each token (and, last, in all).
    story_running: npt.NDArray[np.int64] = attrs.field(
        eq=False, repr=False, factory=lambda: np.zeros(1, dtype=np.int64)
    )
    #: The token at each offset of ``retrospective``, ``markers`` and ``mentioned_dates``
    #: (-1: before the text, in its title), found once rather than for every pair.
    retrospective_words: tuple[int, ...] = ()
    marker_words: tuple[int, ...] = ()
    date_words: tuple[int, ...] = ()
    #: Per mentioned date: inside a furniture paragraph (a page's dateline is no news).
    date_in_furniture: tuple[bool, ...] = ()
    #: ``credits`` and ``names`` with only their letters and digits, as they are compared.
    plain_credits: frozenset[str] = frozenset()
    plain_names: tuple[tuple[str, str], ...] = ()
    #: Per paragraph: its ``paragraph_key`` when it opens with a furniture cue, else "".
    cued_keys: tuple[str, ...] = ()


def signals(
    doc: Document,
    normal: NormalizedText,
    starts: npt.NDArray[np.int64] | None = None,
    paragraphs: tuple[Paragraph, ...] | None = None,
) -> Signals:
    """The lineage signals of ``doc`` (``normal`` is its normalised text; ``starts`` and
    ``paragraphs``, when known: the start offset of each of its tokens, and
    ``split_paragraphs`` of its text)."""
    date, source = document_date(doc)
    if paragraphs is None:
        paragraphs = split_paragraphs(doc.text)
    if starts is None:
        starts = np.fromiter(
            (s.start for s in normal.spans), dtype=np.int64, count=len(normal.spans)
        )
    words = _paragraph_words(paragraphs, starts)
    furniture = _furniture_mask(paragraphs, words, starts.size)
    story = ~furniture
    retrospective = retrospective_phrases(doc.text)
    markers = update_markers(doc)
    dates = mentioned_dates(doc.text)
    credits = credited_names(doc.text, paragraphs)
    names = own_names(doc.metadata)
    return Signals(
        date=date,
        date_source=source,
        paragraphs=paragraphs,
        furniture_words=furniture,
        retrospective=retrospective,
        credits=credits,
        names=names,
        word_starts=starts,
        markers=markers,
        mentioned_dates=dates,
        paragraph_words=words,
        furniture_paragraphs=tuple(i for i, para in enumerate(paragraphs) if para.furniture),
        story_words=int(np.count_nonzero(story)),
        story_mask=story,
        story_running=np.concatenate(([0], np.cumsum(story, dtype=np.int64))),
        retrospective_words=_token_at(starts, retrospective),
        marker_words=_token_at(starts, markers),
        date_words=_token_at(starts, tuple(at for at, _ in dates)),
        date_in_furniture=tuple(
            any(p.furniture and p.start <= at < p.end for p in paragraphs) for at, _ in dates
        ),
        plain_credits=frozenset(plain_name(c) for c in credits),
        plain_names=tuple(sorted((name, plain_name(name)) for name in names)),
        cued_keys=tuple(paragraph_key(doc.text, p) if p.cued else "" for p in paragraphs),
    )


def paragraph_key(text: str, para: Paragraph) -> str:
    """A paragraph's words, lowercased: equal for the same furniture on two pages."""
    return " ".join(_WORDS.findall(text[para.start : para.end].lower()))


def _token_at(starts: npt.NDArray[np.int64], offsets: tuple[int, ...]) -> tuple[int, ...]:
    """The token at each character offset (the next one, the last for offsets past it; -1 for
    an offset before the text)."""
    if not offsets:
        return ()
    found = np.clip(np.searchsorted(starts, offsets), 0, max(0, starts.size - 1))
    return tuple(-1 if at < 0 else int(word) for at, word in zip(offsets, found, strict=True))


def plain_name(name: str) -> str:
    """A name with only its letters and digits, lowercased, without a leading "the "."""
    return _NON_ALNUM.sub("", name.lower().removeprefix("the "))


def update_markers(doc: Document) -> tuple[int, ...]:
    """Offsets of the marks of a later version ("UPDATE 1", "CORRECTED", "adds quotes"); a mark
    in the title (metadata) counts at offset -1, before the text."""
    title = doc.metadata.get("title", "") or doc.metadata.get("headline", "")
    in_title = (-1,) if _UPDATE_MARKERS.search(title) else ()
    text = doc.text
    lower = text.lower()
    if len(lower) != len(text):  # a letter whose lower case is longer: offsets would move
        return in_title + tuple(m.start() for m in _UPDATE_MARKERS.finditer(text))
    # Every mark starts with a slug, a parenthesis or "editor".
    anchors = _occurrences(text, _MARKER_SLUGS) + _occurrences(lower, ("(", "editor"))
    found = _windowed(_UPDATE_MARKERS, text, sorted(anchors), 0, _PHRASE_REACH)
    return in_title + tuple(m.start() for m in found)


def retrospective_phrases(text: str) -> tuple[int, ...]:
    """Offsets of the phrases by which ``text`` looks back in time ("last month")."""
    lower = text.lower()
    if len(lower) != len(text):  # a letter whose lower case is longer: offsets would move
        return tuple(m.start() for m in _RETROSPECTIVE.finditer(text))
    anchors = sorted(_occurrences(lower, _LOOK_BACK_WORDS))
    found = _windowed(_RETROSPECTIVE_LOWER, lower, anchors, _PHRASE_REACH, _PHRASE_REACH)
    return tuple(m.start() for m in found)


def mentioned_dates(text: str) -> tuple[tuple[int, dt.date], ...]:
    """The full dates ``text`` mentions (day, month and year), with their offsets."""
    found = []
    for match in _date_matches(text):
        day, month, year = _date_parts(match)
        try:
            found.append((match.start(), dt.date(year, month, day)))
        except ValueError:
            continue  # "February 30": not a date
    return tuple(found)


def _date_matches(text: str) -> Iterator[re.Match[str]]:
    """``_TEXT_DATE``'s matches, sought only around the years in ``text``: every full date has
    one."""
    # The window ends 7 characters past the year (its "-MM-DD" and the boundary after it).
    years = [m.start() for m in _YEAR.finditer(text)]
    return _windowed(_TEXT_DATE, text, years, _DATE_BEFORE_YEAR, _DATE_AFTER_YEAR)


def _windowed(
    pattern: re.Pattern[str], text: str, anchors: list[int], before: int, after: int
) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)``, tried only in windows from ``before`` characters ahead of
    each of the (sorted) ``anchors`` to ``after`` past it: the same matches when each match
    holds an anchor and lies in its window. Python's re tries a pattern of many alternatives at
    every offset, which costs more than finding a few anchors with ``str.find``."""
    windows: list[list[int]] = []
    for at in anchors:
        lo, hi = max(0, at - before), at + after
        if windows and lo <= windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], hi)
        else:
            windows.append([lo, hi])
    for lo, hi in windows:
        yield from pattern.finditer(text, lo, min(hi, len(text)))


def _occurrences(text: str, literals: tuple[str, ...]) -> list[int]:
    """The offset of every occurrence of each of ``literals`` in ``text``."""
    found = []
    for literal in literals:
        at = text.find(literal)
        while at >= 0:
            found.append(at)
            at = text.find(literal, at + 1)
    return found


def _date_parts(match: re.Match[str]) -> tuple[int, int, int]:
    if match["y3"]:
        return int(match["d3"]), int(match["m3"]), int(match["y3"])
    name = (match["m1"] or match["m2"]).lower()
    month = next(i for i, full in enumerate(_MONTHS, 1) if full.startswith(name[:3]))
    return int(match["d1"] or match["d2"]), month, int(match["y1"] or match["y2"])


def split_paragraphs(text: str) -> tuple[Paragraph, ...]:
    """The paragraphs of ``text`` with their furniture flag."""
    found: list[Paragraph] = []
    for start, end, body in _paragraph_bodies(text):
        # The markup-free text once per paragraph: both judgements read it.
        plain = _plain(body)
        words = _words_upto(plain)
        cued = _cued(body, plain, words)
        found.append(Paragraph(start, end, cued or _furniture_shape(body, plain, words), cued))
    return tuple(found)


def _paragraph_bodies(text: str) -> Iterator[tuple[int, int, str]]:
    """``(start, end, body)`` of each paragraph that is not blank."""
    start = 0
    for brk in [*_PARAGRAPH_BREAK.finditer(text), None]:
        end = brk.start() if brk else len(text)
        body = text[start:end]
        if body.strip():
            yield start, end, body
        start = brk.end() if brk else end


def _plain(paragraph: str) -> str:
    # Most paragraphs have no markup: a scan for its characters is cheaper than the pattern.
    if not any(c in paragraph for c in _MARKUP_CHARS) and (
        paragraph.lstrip()[:1] not in _BULLETS
    ):
        return paragraph.strip()
    return _MARKUP.sub(" ", paragraph).strip()


def _words_upto(plain: str) -> int:
    """The number of words of ``plain``, counted up to ``_CUED_MAX_WORDS`` + 1: the judgements
    only ask whether it is above that or below ``_SHORT_WORDS``."""
    return len(plain.split(maxsplit=_CUED_MAX_WORDS))


def _cued(paragraph: str, plain: str, words: int) -> bool:
    if words > _CUED_MAX_WORDS:
        return False  # story prose that happens to open with "Published" or "By"
    return bool(_FURNITURE_CUES.match(plain)) or paragraph.count("|") >= _NAV_BARS


def _furniture_shape(paragraph: str, plain: str, words: int) -> bool:
    """Empty once markup is gone, mostly links, or short without closing punctuation."""
    if not plain:
        return True
    if _may_link(paragraph) and 2 * sum(
        len(m.group()) for m in _URL.finditer(paragraph)
    ) >= len(paragraph.strip()):
        return True
    return words < _SHORT_WORDS and not _SENTENCE_END.search(plain.rstrip("*_ "))


def _may_link(paragraph: str) -> bool:
    """Whether ``_URL`` can match at all (the pattern is slower than these scans)."""
    return "http" in paragraph or "www." in paragraph or "](" in paragraph


def _paragraph_words(
    paragraphs: tuple[Paragraph, ...], starts: npt.NDArray[np.int64]
) -> tuple[tuple[int, int], ...]:
    """Each paragraph's range of tokens (the tokens starting inside it), in one search."""
    bounds = [offset for para in paragraphs for offset in (para.start, para.end)]
    found = np.searchsorted(starts, bounds).tolist()
    return tuple(zip(found[::2], found[1::2], strict=True))


def _furniture_mask(
    paragraphs: tuple[Paragraph, ...], words: tuple[tuple[int, int], ...], size: int
) -> U8:
    mask = np.zeros(size, dtype=bool)
    for para, (lo, hi) in zip(paragraphs, words, strict=True):
        if para.furniture:
            mask[lo:hi] = True
    return mask


def document_date(doc: Document) -> tuple[dt.datetime | None, str]:
    """The document's publication time from its metadata (the loaders put a page's or a text's
    dateline there as ``date``), and which key it came from."""
    for key in _DATE_KEYS:
        value = doc.metadata.get(key)
        if value:
            parsed = parse_timestamp(value)
            if parsed is not None:
                return parsed, key
    return None, ""


def parse_timestamp(value: str) -> dt.datetime | None:
    """An ISO 8601 date or time (naive, in UTC when it had an offset), or None."""
    text = value.strip().replace("Z", "+00:00")
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(dt.UTC).replace(tzinfo=None)
    return parsed


def credited_names(text: str, paragraphs: tuple[Paragraph, ...]) -> frozenset[str]:
    """Names credited in bylines, credit lines and attributions, lowercased."""
    names: set[str] = set()
    openers = sorted(_occurrences(text, _CREDIT_OPENERS))
    for match in _windowed(_CREDIT, text, openers, 0, _CREDIT_REACH):
        name = match["paren"] or match["named"]
        if name:
            names.add(name.strip(" .").lower())
    for para in paragraphs:
        chunk = text[para.start : para.end]
        # A domain has a dot followed by a letter (or a dot); most furniture has none.
        if para.furniture and _DOT_LETTER.search(chunk):
            names.update(m.group(1).lower() for m in _DOMAIN.finditer(chunk))
    return frozenset(names)


def own_names(metadata: Mapping[str, str]) -> frozenset[str]:
    """The names a document goes by: its outlet or publisher, and its url's site name."""
    names = {metadata[k].strip().lower() for k in _NAME_KEYS if metadata.get(k, "").strip()}
    url = metadata.get("url", "")
    site = _DOMAIN.search(url)
    if site:
        names.add(site.group(1).lower())
    return frozenset(names)
