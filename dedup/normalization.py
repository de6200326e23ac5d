"""Text → word tokens, each with its span in the original text.

Normalisation decides which differences between two copies of a text do not count. The rules,
in the order they run:

1. **Markup is masked** (``strip_markup``): the characters of each item below are treated as
   blank, so they separate words and yield no tokens, and every offset stays valid.

   - the target of a Markdown link or image, ``[text](url "title")`` and ``![alt](url)``:
     only ``(url "title")`` goes, the link text stays;
   - the label of a reference-style link, ``[text][ref]``: ``[ref]`` goes;
   - a reference definition line, ``[ref]: http://…``, when its target looks like a URL
     (``http(s)://``, ``ftp://``, ``mailto:``, ``www.``, ``/``, ``#`` or ``<…>``), so a prose line
     such as ``[Update]: the minister said…`` is kept;
   - HTML comments, ``<script>``/``<style>`` elements with their content, tags with their
     attributes (CommonMark's raw-HTML syntax; tag names may contain ``:`` as in ``<o:p>``),
     declarations, processing instructions, CDATA, autolinks ``<http://…>``/``<a@b.org>``;
   - HTML entities (``&amp;``, ``&#8217;``, ``&#x2019;``): one that stands for a letter, digit,
     mark or apostrophe is *decoded* in place, so ``caf&eacute;`` is ``café`` and
     ``Borisov&#8217;s`` is ``Borisov’s``; any other entity is a separator.

   Markdown emphasis, headings, quotes, bullets and code ticks are punctuation, hence separators;
   nothing special is done for them.
2. **Bare URLs are masked** (``strip_urls``): ``http://…``, ``https://…``, ``www.…`` (any case)
   up to the next space, double quote, angle bracket or CJK character, without trailing
   punctuation such as ``.`` ``,`` ``)``.
3. **Tokens**: a token is a run of letters, marks and digits (``\\p{L}``, ``\\p{M}``, ``\\p{N}``).
   Everything else — spaces, line breaks, punctuation including ``_``, symbols — separates
   tokens, so straight and typographic quotes, hyphens and dashes, ``...`` and ``…``, and any
   re-wrapping of lines yield the same tokens.

   - Each Han ideograph, hiragana and katakana character (with any marks after it) is a token
     of its own, because Chinese and Japanese do not put spaces between words. (Thai, Lao,
     Khmer and Burmese do not either, but are not split: a run between spaces is one token.)
   - An apostrophe between two letters or digits joins them and is dropped: ``Borisov's``,
     ``Borisov’s`` and ``Borisovʼs`` all give ``borisovs`` (apostrophes: ``'`` ``’`` ``‘`` ``ʼ``
     ``＇``).
   - Default-ignorable characters (soft hyphen, zero-width joiners, word joiner, BOM, variation
     selectors, bidi marks…) inside a word are dropped and do not split it, as in Unicode's
     NFKC_Casefold; ``Bundes\\u00adregierung`` is one token.
   - ``join_hyphenation``: a hyphen that ends a line (spaces or tabs may surround the line
     break) and is followed by a lowercase letter joins the two halves: ``coop-\\neration``
     gives ``cooperation``, whose span covers both halves. Every other hyphen, and every dash,
     is a separator: ``U.S.-Russia`` gives ``u``, ``s``, ``russia``.
4. **Folding**, token by token: ``unicode_nfkc`` applies NFKC (``ﬁ`` → ``fi``, full-width →
   ASCII); ``casefold`` applies ``str.casefold`` (``Straße`` → ``strasse``); with both, NFKC,
   casefold, NFKC (an approximation of NFKC_Casefold), repeated until stable. A folded token
   is split again by the rule of step 3 (NFKC turns ``½`` into ``1⁄2``, i.e. ``1`` and ``2``);
   the pieces share the original token's span, and empty pieces vanish. Symbols stay
   separators even where NFKC would turn them into letters (``™``, ``㎏``): folding comes after
   tokenising.

The result is idempotent: normalising ``normalize(t).text`` gives the same tokens again.

Tokens depend on the Unicode data of the ``regex`` module and of Python's ``unicodedata``.
"""

from __future__ import annotations

import functools
import html
import itertools
import re
import unicodedata
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import regex

from dedup.config import NormalizeConfig
from dedup.model import NormalizedText, Span

__all__ = ["normalize", "normalized_bytes", "normalized_bytes_batch", "normalized_tokens"]

_DEFAULT_CONFIG = NormalizeConfig()

# ---------------------------------------------------------------------------------------------
# Tokens. A coarse pattern with plain character classes finds candidate runs fast; a run that
# is not plain ASCII letters and digits is then split by the exact token rule, whose character
# classes use set operations (regex VERSION1) and are about twice as slow per character.
# Most texts take a faster path still, in which only non-ASCII runs are split one by one (see
# "Byte image" below).

# Kana and ideographs by Script_Extensions, so that the prolonged sound mark ー and the
# half-width voicing marks ﾞ ﾟ, shared by hiragana and katakana, count as kana too.
_CJK = r"[[\p{L}\p{N}]&&[\p{scx=Hani}\p{scx=Hira}\p{scx=Kana}]--\p{DI}]"
_CJK_TAIL = r"[\p{M}\p{DI}\uFF9E\uFF9F]"
# Word characters exclude default-ignorables (some are letters or marks) so that _WORD_CHAR
# and _IGNORABLE never overlap, which keeps backtracking linear.
_WORD_CHAR = r"[\p{L}\p{M}\p{N}--\p{DI}--\u02BC--" + _CJK + "]"
_IGNORABLE = r"[\p{DI}--\xAD]"
_APOSTROPHES = "'\u2019\u2018\u02bc\uff07"
_APOSTROPHE = f"[{_APOSTROPHES}]"
# The soft hyphen is the one default-ignorable kept out of _IGNORABLE: it must stay free to be
# matched as a line-end hyphen, so inside a line it joins like an apostrophe instead.
_LINE_END_HYPHEN = r"[\-\u2010\xAD][ \t]*\r?\n[ \t]*(?=\p{Ll})"
# Every exact token lies inside one coarse run, so splitting runs separately is exact.
_COARSE_CHAR = r"[\p{L}\p{M}\p{N}\p{DI}]"
_LOWERCASE = r"\p{Ll}"


def _token_source(join_hyphenation: bool) -> str:
    joiner = _APOSTROPHE + r"|\xAD"
    if join_hyphenation:
        joiner += "|" + _LINE_END_HYPHEN
    # Trailing ignorables belong to the token, so a decoded entity's padding stays in its span.
    run = f"{_WORD_CHAR}+(?:{_IGNORABLE}+{_WORD_CHAR}+)*{_IGNORABLE}*"
    return f"{_CJK}{_CJK_TAIL}*|{run}(?:(?:{joiner}){_IGNORABLE}*{run})*"


def _coarse_source(join_hyphenation: bool) -> str:
    # One capturing group, so that splitting on it keeps the runs.
    joiner = _APOSTROPHE
    if join_hyphenation:
        joiner += rf"|(?:[\-\u2010]|(?<=\xAD))[ \t]*\r?\n[ \t]*(?={_LOWERCASE})"
    return f"({_COARSE_CHAR}+(?:(?:{joiner}){_COARSE_CHAR}+)*)"


@functools.cache
def _token_pattern(join_hyphenation: bool) -> regex.Pattern[str]:
    return regex.compile(_token_source(join_hyphenation), regex.V1)


@functools.cache
def _coarse_pattern(join_hyphenation: bool) -> regex.Pattern[str]:
    return regex.compile(_coarse_source(join_hyphenation), regex.V1)


# What a matched token may contain that is not part of its text.
_JOINER_JUNK = regex.compile(_APOSTROPHE + r"|[\-\u2010\xAD][ \t]*\r?\n[ \t]*|\p{DI}")


# ---------------------------------------------------------------------------------------------
# Masking: one regex pass over the text, with only the alternatives whose first character
# occurs in it (an alternation of all of them is several times slower than any one alone).

# Possessive quantifiers (*+) where giving characters back can never lead to a match: an
# unterminated construct then fails in linear time instead of backtracking through it.
_LINK_DESTINATION = r"(?:<[^<>\n]*+>|[^\s()<>]*+(?:\([^\s()<>]*+\)[^\s()<>]*+)*+)"
_LINK_TITLE = r"(?:\"[^\"]*\"|'[^']*'|\([^()]*\))"
_ATTRIBUTE = (
    r"\s+[A-Za-z_:][A-Za-z0-9_.:\-]*"
    r"(?:\s*=\s*(?:[^\s\"'=<>`]+|'[^']*'|\"[^\"]*\"))?"
)
# Each alternative starts with a literal character and checks what precedes it by lookbehind:
# the regex module then skips quickly over positions where no alternative can start.
_BRACKET_ALTERNATIVES = {
    "refdef": (
        r"(?m:\[(?<=^[ \t]{0,3}\[)[^\[\]\n]+\]:[ \t]*"
        r"(?:<[^<>\n]*>|(?i:https?://|ftp://|mailto:|www\.)|[/#]).*$)"
    ),
    "target": rf"\((?<=\]\()\s*{_LINK_DESTINATION}(?:\s+{_LINK_TITLE})?\s*\)",
    "reflabel": r"\[(?<=\]\[)[^\[\]\n]*\]",
}
_ANGLE_ALTERNATIVES = {
    # The content of a comment or element may not contain another opener: each opener then
    # scans only up to the next one, which keeps many unterminated openers linear.
    "comment": r"(?s:<!--(?:(?!<!--|-->).)*+-->)",
    "element": (
        r"(?is:<script\b[^<>]*+>(?:(?!</?script\b).)*+</script\s*>"
        r"|<style\b[^<>]*+>(?:(?!</?style\b).)*+</style\s*>)"
    ),
    "autolink": r"<(?:[A-Za-z][A-Za-z0-9+.\-]{1,31}:[^\s<>]*|[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+)>",
    "tag": rf"</?[A-Za-z][A-Za-z0-9:\-]*+(?:{_ATTRIBUTE})*+\s*/?>",
    "declaration": (
        r"(?s:<![A-Za-z][^<>]*+>|<!\[CDATA\[(?:(?!<!\[CDATA\[|\]\]>).)*+\]\]>"
        r"|<\?(?:(?!<\?|\?>).)*+\?>)"
    ),
}
_ENTITY = r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});"
# A URL stops at white space, quotes, angle brackets and CJK text (which has no spaces to stop
# it), and leaves out the punctuation that usually follows a URL in prose.
_URL_STOP = r"\s<>\"`\p{scx=Hani}\p{scx=Hira}\p{scx=Kana}\u3000-\u303F\uFF00-\uFFEF"
_URL = (
    rf"(?i:https?://|(?<![\p{{L}}\p{{N}}.])www\.)"
    rf"[^{_URL_STOP}]*[^{_URL_STOP}.,;:!?'’”»)\]}}*_]"
)

_MASK_FIRST_CHAR = r"[\[(<&hHwW]"


# "www" in every case (the regex module matches it without case).
_WWW = frozenset({"www", "wwW", "wWw", "wWW", "Www", "WwW", "WWw", "WWW"})


def _alternatives_needed(text: str, config: NormalizeConfig) -> tuple[str, ...]:
    needed = []
    if config.strip_markup:
        needed += ["bracket"] if "]" in text else []
        needed += ["angle"] if "<" in text else []
        needed += ["entity"] if "&" in text else []
    if config.strip_urls and ("://" in text or "w." in text or "W." in text):
        needed.append("url")
    return tuple(needed)


def _positions(text: str, needle: str, shift: int = 0) -> list[int]:
    """Every index of ``needle`` in ``text``, plus ``shift``."""
    found = []
    at = text.find(needle)
    while at >= 0:
        found.append(at + shift)
        at = text.find(needle, at + 1)
    return found


def _starts(text: str, groups: tuple[str, ...]) -> list[int]:
    """Every index where a masked construct of ``groups`` may begin, sorted: a superset of
    where the mask pattern can match, found with ``str.find`` (the regex engine tries the
    pattern at every index of the text, which cost most of the normaliser's time)."""
    found: list[int] = []
    if "bracket" in groups:
        found += _positions(text, "[") + _positions(text, "](", 1)
    if "angle" in groups:
        found += _positions(text, "<")
    if "entity" in groups:
        found += _positions(text, "&")
    if "url" in groups:
        # A URL's scheme ends 4 (http) or 5 (https) characters before its "://".
        schemes = _positions(text, "://", -5)
        found += schemes + [at + 1 for at in schemes]
        # "www." in any case: its last "w." is two characters in (prose has many "w.": now.).
        ends = _positions(text, "w.", -2) + _positions(text, "W.", -2)
        found += [at for at in ends if text[at : at + 3] in _WWW]
    return sorted({at for at in found if at >= 0})


@functools.cache
def _mask_pattern(groups: tuple[str, ...]) -> regex.Pattern[str]:
    alternatives: dict[str, str] = {}
    for group in groups:
        if group == "bracket":
            alternatives.update(_BRACKET_ALTERNATIVES)
        elif group == "angle":
            alternatives.update(_ANGLE_ALTERNATIVES)
        else:
            alternatives[group] = _ENTITY if group == "entity" else _URL
    either = "|".join(f"(?P<{name}>{body})" for name, body in alternatives.items())
    return regex.compile(f"(?={_MASK_FIRST_CHAR})(?:{either})")


_DECODABLE = regex.compile(r"[\p{L}\p{M}\p{N}\p{DI}'\u2019\u2018\u02bc\uff07]+")
# Pads a decoded entity to the entity's length; default-ignorable, so it neither splits a word
# nor becomes part of a token's text.
_PAD = "\u2060"


def _entity_replacement(entity: str) -> str:
    decoded = html.unescape(entity)
    if len(decoded) <= len(entity) and _DECODABLE.fullmatch(decoded):
        return decoded + _PAD * (len(entity) - len(decoded))
    return " " * len(entity)


def _mask_replacement(match: regex.Match[str]) -> str:
    if match.lastgroup == "entity":
        return _entity_replacement(match.group())
    return " " * (match.end() - match.start())


def _mask(text: str, config: NormalizeConfig) -> str:
    """``text`` with markup and URLs blanked out (entities decoded), at the same offsets."""
    groups = _alternatives_needed(text, config)
    if not groups:
        return text
    # What pattern.sub would do, trying the pattern only where a construct may start.
    pattern = _mask_pattern(groups)
    pieces: list[str] = []
    done = 0
    for start in _starts(text, groups):
        match = pattern.match(text, start) if start >= done else None
        if match is not None:
            pieces += [text[done:start], _mask_replacement(match)]
            done = match.end()
    return "".join([*pieces, text[done:]]) if pieces else text


# ---------------------------------------------------------------------------------------------
# Folding.

_MAX_FOLD_ROUNDS = 8
_CACHE_SIZE = 1 << 16


def _fold(token: str, nfkc: bool, casefold: bool) -> str:
    if nfkc and casefold:
        nfkc_form = unicodedata.normalize("NFKC", token)
        return unicodedata.normalize("NFKC", nfkc_form.casefold())
    if nfkc:
        return unicodedata.normalize("NFKC", token)
    return token.casefold() if casefold else token


def _split(text: str) -> list[str]:
    """The clean tokens of ``text``: the token rule applied to an already folded string."""
    pieces = (_JOINER_JUNK.sub("", m) for m in _token_pattern(False).findall(text))
    return [piece for piece in pieces if piece]


def _settle(piece: str, nfkc: bool, casefold: bool, rounds: int) -> list[str]:
    """Fold and re-split ``piece`` until every piece folds to itself (or ``rounds`` run out)."""
    refolded = _split(_fold(piece, nfkc, casefold))
    if refolded == [piece] or rounds == 0:
        return refolded
    return [final for part in refolded for final in _settle(part, nfkc, casefold, rounds - 1)]


_Pieces = tuple[tuple[int, int, tuple[str, ...]], ...]


@functools.lru_cache(maxsize=_CACHE_SIZE)
def _split_run(run: str, join_hyphenation: bool, nfkc: bool, casefold: bool) -> _Pieces:
    """Each exact token of a coarse run: its offsets in the run and its folded pieces.

    Cached because news vocabulary is highly repetitive.
    """
    found = []
    for match in _token_pattern(join_hyphenation).finditer(run):
        cleaned = _JOINER_JUNK.sub("", match.group())
        pieces = tuple(_settle(cleaned, nfkc, casefold, _MAX_FOLD_ROUNDS)) if cleaned else ()
        if pieces:
            found.append((match.start(), match.end(), pieces))
    return tuple(found)


# ---------------------------------------------------------------------------------------------
# Spans. Span is a frozen attrs class whose __init__ costs more than everything else done for
# an ASCII word. Spans are values, and the offsets of news stories repeat from one story to
# the next (Reuters-21578: 2.7 million tokens, 67,000 distinct spans), so the spans of short
# tokens near the start of a text are built once and kept in a table, indexed by start and
# length, that numpy gathers from without a Python step per token.

_IntArray = npt.NDArray[np.intp]
_TABLE_STARTS, _TABLE_LENGTHS = 1 << 13, 1 << 6


@functools.cache
def _span_table() -> tuple[npt.NDArray[np.object_], npt.NDArray[np.bool_]]:
    """The table (4 MB, filled as spans are met) and which of its entries are filled."""
    size = _TABLE_STARTS * _TABLE_LENGTHS
    return np.full(size, None, dtype=object), np.zeros(size, dtype=bool)


def _spans(starts: _IntArray, ends: _IntArray) -> tuple[Span, ...]:
    """``Span(start, end)`` for each pair (``starts`` ascending)."""
    lengths = ends - starts
    keys = starts * _TABLE_LENGTHS + lengths
    if starts.size and (starts[-1] >= _TABLE_STARTS or lengths.max() >= _TABLE_LENGTHS):
        return _spans_beyond_table(starts, ends)
    table, filled = _span_table()
    if not filled[keys].all():
        _fill_table(starts, ends, keys)
    return tuple(table[keys].tolist())


def _fill_table(starts: _IntArray, ends: _IntArray, keys: _IntArray) -> None:
    table, filled = _span_table()
    new = ~filled[keys]
    table[keys[new]] = list(map(Span, starts[new].tolist(), ends[new].tolist()))
    filled[keys[new]] = True


def _spans_beyond_table(starts: _IntArray, ends: _IntArray) -> tuple[Span, ...]:
    """``_spans`` of a long text or one with a long token: what the table cannot hold is built."""
    fits = (starts < _TABLE_STARTS) & (ends - starts < _TABLE_LENGTHS)
    spans = np.empty(len(starts), dtype=object)
    spans[~fits] = list(map(Span, starts[~fits].tolist(), ends[~fits].tolist()))
    if fits.any():
        spans[fits] = list(_spans(starts[fits], ends[fits]))
    return tuple(spans.tolist())


# ---------------------------------------------------------------------------------------------
# Byte image. Most words in news are plain ASCII, even where the punctuation is typographic.
# A text without astral characters is mapped, one byte per character so that offsets stay, to
# a byte image in which the coarse runs are the same but every non-ASCII character that can be
# in a run is a placeholder byte. A run of ASCII letters and digits (and joiners) is then one
# token, its letters and digits lowered: byte-wise translation and numpy find all of those
# and their spans without a step per token. Only the runs with a placeholder are split one by
# one, by the exact token rule on the original text.
#
# Image of each character: ASCII, itself; an apostrophe or the hyphen U+2010, their ASCII
# twin (they join exactly alike); in the coarse class, a placeholder that keeps what the joiner
# rules look at: lowercase, soft hyphen, or other; a surrogate (astral text), _ASTRAL, which
# sends the text to the general path; anything else, NUL: a separator, and neither a space, a
# line break nor a lowercase letter.
_LOWERCASE_BYTE, _WORD_BYTE, _SOFT_HYPHEN_BYTE, _ASTRAL = 0x80, 0x81, 0x82, 0xFF
_PLACEHOLDERS = rb"\x80-\x82"
# Joiners inside a token are overwritten with this byte, which an image never holds.
_JOINED = bytes([_ASTRAL])
_SOFT_HYPHEN = bytes([_SOFT_HYPHEN_BYTE])
_BMP = 0x10000
# Between the images of a batch: no image holds it, and no joiner pattern can match across it.
_SEPARATOR = b"\xfe"


@functools.cache
def _bmp_ranges(char_class: str) -> tuple[tuple[int, int], ...]:
    """The BMP code points in ``char_class`` (``regex`` syntax), as half-open ranges."""
    runs = regex.finditer(f"{char_class}+", "".join(map(chr, range(_BMP))), regex.V1)
    return tuple(match.span() for match in runs)


@functools.cache
def _image_table() -> npt.NDArray[np.uint8]:
    """The image byte of each UTF-16 code unit."""
    table = np.zeros(_BMP, dtype=np.uint8)
    table[:0x80] = np.arange(0x80)
    for apostrophe in _APOSTROPHES:
        table[ord(apostrophe)] = ord("'")
    table[0x2010] = ord("-")
    for byte, char_class in ((_WORD_BYTE, _COARSE_CHAR), (_LOWERCASE_BYTE, _LOWERCASE)):
        for start, end in _bmp_ranges(char_class):
            table[max(start, 0x80) : end] = byte
    table[0xAD] = _SOFT_HYPHEN_BYTE
    table[0xD800:0xE000] = _ASTRAL
    return table


def _image(text: str) -> bytes | None:
    """The byte image of ``text``, or None if it has astral characters."""
    if text.isascii():
        return text.encode("ascii")
    units = np.frombuffer(text.encode("utf-16-le", "surrogatepass"), dtype="<u2")
    image = _image_table()[units].tobytes()
    return None if _JOINED in image else image


_WORD_CLASS = b"[A-Za-z0-9" + _PLACEHOLDERS + b"]"


@functools.cache
def _apostrophe_pattern() -> re.Pattern[bytes]:
    """An apostrophe between two word characters, in the image: it joins them."""
    return re.compile(b"'(?<=" + _WORD_CLASS + b"')(?=" + _WORD_CLASS + b")")


@functools.cache
def _line_end_pattern(soft_hyphen: bool) -> re.Pattern[bytes]:
    """A hyphen (or, with ``soft_hyphen``, a soft hyphen's placeholder) ending a line before a
    lowercase letter, with the line break and the blanks around it, in the image."""
    line_end = rb"[ \t]*\r?\n[ \t]*(?=[a-z\x80])"
    # Starting with a literal "-" lets ``re`` skip to the next hyphen; the line end after a
    # soft hyphen has no such character, hence its own build of the pattern.
    joiner = b"-(?<=" + _WORD_CLASS + b"-)" + line_end
    return re.compile(joiner + rb"|(?<=\x82)" + line_end if soft_hyphen else joiner)


@functools.cache
def _word_table(casefold: bool) -> bytes:
    """Image byte → token byte: ASCII letters and digits (lowered if ``casefold``),
    placeholders and joined joiners stay; everything else becomes a space."""
    table = bytearray(b" " * 256)
    for char in "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ":
        table[ord(char)] = ord(char.lower() if casefold else char)
    for byte in (_LOWERCASE_BYTE, _WORD_BYTE, _SOFT_HYPHEN_BYTE, _ASTRAL, _SEPARATOR[0]):
        table[byte] = byte
    return bytes(table)


_Tokens = tuple[list[str], _IntArray, _IntArray]


_NO_OFFSETS: _IntArray = np.empty(0, dtype=np.intp)


def _word_bytes(image: bytes, config: NormalizeConfig) -> tuple[bytearray, bool]:
    """The image with every byte outside a token a space, and whether joiners were marked."""
    # Apostrophes are the common joiners, one byte each: a plain substitution in C marks them.
    marked, apostrophes = _apostrophe_pattern().subn(_JOINED, image)
    words = bytearray(marked)
    line_ends = 0
    if config.join_hyphenation and b"\n" in image:
        for joiner in _line_end_pattern(_SOFT_HYPHEN in image).finditer(image):
            words[joiner.start() : joiner.end()] = _JOINED * (joiner.end() - joiner.start())
            line_ends += 1
    return words.translate(_word_table(config.casefold)), bool(apostrophes or line_ends)


def _images_text(images: Sequence[bytes], config: NormalizeConfig) -> list[bytes]:
    """The tokens of each image without placeholders, joined by single spaces, as bytes: what
    ``" ".join(tokens)`` gives, for a batch at once, with no Python step per token or image."""
    words, joined = _word_bytes(_SEPARATOR.join(images), config)
    array = np.frombuffer(words.replace(_JOINED, b"") if joined else words, dtype=np.uint8)
    separator = array == _SEPARATOR[0]
    in_word = (array != ord(" ")) & ~separator
    # Keep the separators, the word bytes and the first space after each word; then drop a
    # trailing space from each text.
    keep = in_word | separator
    keep[1:] |= in_word[:-1]
    texts = array[keep].tobytes().split(_SEPARATOR)
    return [text[:-1] if text.endswith(b" ") else text for text in texts]


def _image_tokens(image: bytes, config: NormalizeConfig, offsets: bool = True) -> _Tokens:
    """One token per coarse run of the image (placeholders and all), and the runs' offsets
    (empty unless ``offsets``)."""
    words, joined = _word_bytes(image, config)
    # Latin-1 keeps placeholders as characters, none of which str.split takes for a space.
    tokens = (words.replace(_JOINED, b"") if joined else words).decode("latin-1").split()
    if not offsets:
        return tokens, _NO_OFFSETS, _NO_OFFSETS
    # Padding with a space on each side makes every run of word bytes rise and fall once.
    in_word = np.frombuffer(b" " + words + b" ", dtype=np.uint8) != ord(" ")
    edges = (in_word[1:] != in_word[:-1]).nonzero()[0]
    return tokens, edges[0::2], edges[1::2]


def _resplit(text: str, found: _Tokens, config: NormalizeConfig) -> _Tokens:
    """``found`` with each token that holds a placeholder replaced by the exact tokens of its
    run in ``text``."""
    join, nfkc, casefold = config.join_hyphenation, config.unicode_nfkc, config.casefold
    tokens: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for token, offset, end in zip(found[0], found[1].tolist(), found[2].tolist(), strict=True):
        if token.isascii():
            tokens.append(token)
            starts.append(offset)
            ends.append(end)
            continue
        for start, stop, pieces in _split_run(text[offset:end], join, nfkc, casefold):
            tokens += pieces
            starts += [offset + start] * len(pieces)
            ends += [offset + stop] * len(pieces)
    return tokens, np.array(starts, dtype=np.intp), np.array(ends, dtype=np.intp)


# ---------------------------------------------------------------------------------------------
# General path: the coarse runs, each split by the exact token rule (cached per run). Splitting
# on the coarse pattern (one capturing group) gives gaps and runs in turn, so running sums of
# their lengths are the runs' offsets.


def _general_tokens(text: str, config: NormalizeConfig) -> _Tokens:
    join, nfkc, casefold = config.join_hyphenation, config.unicode_nfkc, config.casefold
    parts = _coarse_pattern(join).split(text)
    offsets = list(itertools.accumulate(map(len, parts)))
    tokens: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for run, offset, end in zip(parts[1::2], offsets[0::2], offsets[1::2], strict=False):
        if run.isascii() and run.isalnum():
            tokens.append(run.lower() if casefold else run)
            starts.append(offset)
            ends.append(end)
            continue
        for start, stop, pieces in _split_run(run, join, nfkc, casefold):
            tokens += pieces
            starts += [offset + start] * len(pieces)
            ends += [offset + stop] * len(pieces)
    return tokens, np.array(starts, dtype=np.intp), np.array(ends, dtype=np.intp)


# ---------------------------------------------------------------------------------------------


def normalize(text: str, config: NormalizeConfig = _DEFAULT_CONFIG) -> NormalizedText:
    """The word tokens of ``text`` and their spans in ``text``, by the rules in the module doc."""
    return _normalize(text, config, fast=True)


def normalize_with_starts(
    text: str, config: NormalizeConfig = _DEFAULT_CONFIG
) -> tuple[NormalizedText, npt.NDArray[np.int64]]:
    """``normalize``, and the start offset of each token as an array (for a caller that maps
    character offsets to tokens: reading them back from the spans costs a Python step each)."""
    tokens, starts, ends = _tokens(text, config, fast=True)
    normal = NormalizedText(tuple(tokens), _spans(np.asarray(starts), np.asarray(ends)))
    return normal, np.asarray(starts, dtype=np.int64)


def normalized_tokens(text: str, config: NormalizeConfig = _DEFAULT_CONFIG) -> list[str]:
    """``normalize(text, config).tokens`` without the spans, which a scan only needs for the
    few pairs it aligns: building them is a third of the normaliser's time."""
    return _tokens(text, config, fast=True, offsets=False)[0]


def normalized_bytes(text: str, config: NormalizeConfig = _DEFAULT_CONFIG) -> bytes:
    """``normalize(text, config).text.encode("utf-8")``: the tokens joined by single spaces.

    A scan needs no more than this (token boundaries are the spaces), and most texts get it
    from the byte image without a Python string per token.
    """
    return normalized_bytes_batch([text], config)[0]


def normalized_bytes_batch(
    texts: Sequence[str], config: NormalizeConfig = _DEFAULT_CONFIG
) -> list[bytes]:
    """``normalized_bytes`` of each text; the byte images of a batch are turned into text in
    one pass, not one per text (a dozen array operations each cost more than a story's
    tokens)."""
    found: list[bytes] = [b""] * len(texts)
    plain: list[int] = []
    images: list[bytes] = []
    for index, text in enumerate(texts):
        masked = _mask(text, config)
        image = _image(masked)
        if image is not None and image.isascii():
            plain.append(index)
            images.append(image)
        else:
            tokens = _masked_tokens(masked, config, fast=True, offsets=False)[0]
            found[index] = " ".join(tokens).encode("utf-8")
    if images:
        for index, normalised in zip(plain, _images_text(images, config), strict=True):
            found[index] = normalised
    return found


def _normalize(text: str, config: NormalizeConfig, *, fast: bool) -> NormalizedText:
    """``normalize``; ``fast=False`` takes the general path whatever the text, which the tests
    use as the reference for the byte image."""
    tokens, starts, ends = _tokens(text, config, fast=fast)
    return NormalizedText(tuple(tokens), _spans(starts, ends))


def _tokens(text: str, config: NormalizeConfig, *, fast: bool, offsets: bool = True) -> _Tokens:
    """Tokens and their offsets; without ``offsets`` the offsets may be left out (empty)."""
    return _masked_tokens(_mask(text, config), config, fast=fast, offsets=offsets)


def _masked_tokens(masked: str, config: NormalizeConfig, *, fast: bool, offsets: bool) -> _Tokens:
    # Decoded entities may not be ASCII: the path is chosen on the masked text.
    image = _image(masked) if fast else None
    if image is None:
        return _general_tokens(masked, config)
    # An image is ASCII but for placeholders (astral text has none), so this finds them.
    if image.isascii():
        return _image_tokens(image, config, offsets)
    # Splitting the runs with placeholders again needs their offsets.
    return _resplit(masked, _image_tokens(image, config), config)
