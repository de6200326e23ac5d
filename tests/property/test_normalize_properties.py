"""Invariants of normalize(); each test is named after the invariant it checks."""

from __future__ import annotations

import itertools
import string
import unicodedata
from collections.abc import Callable
from random import Random

import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.config import NormalizeConfig
from dedup.normalization import (
    _alternatives_needed,
    _mask,
    _mask_pattern,
    _mask_replacement,
    _normalize,
    normalize,
    normalize_with_starts,
    normalized_bytes,
    normalized_bytes_batch,
    normalized_tokens,
)

# --- strategies --------------------------------------------------------------------------------

SAMPLE_WORDS = [
    "the", "Space", "ISS", "2022", "MS-22", "Borisov's", "don't", "U.S.", "café", "naïve",
    "Müller", "São", "Łódź", "Dvořák", "Straße", "Москва", "Борисов", "пресс", "Αθήνα",
    "ελληνικά", "東京", "新聞", "ひらがな", "カタカナ", "서울", "ﬁne", "½", "ＡＢＣ", "İstanbul",
]  # fmt: skip

word_letters = st.characters(categories=("Lu", "Ll", "Lt", "Lm", "Lo", "Nd", "No", "Mn"))
words = st.one_of(
    st.sampled_from(SAMPLE_WORDS), st.text(alphabet=word_letters, min_size=1, max_size=8)
)
WHITESPACE = [" ", "  ", "\t", "\n", "\r\n", " \n ", "\n\n", "\u00a0", "\u2003", "\u3000"]
# No "[", "<" or "&": brackets at a line start, tags and entities are markup, tested apart.
PROSE_PUNCTUATION = [*".,;:!?\"'“”‘’()-–—…/*_#>«»", "...", "--"]
punctuation = st.lists(st.sampled_from(PROSE_PUNCTUATION), max_size=2).map("".join)

MARKUP_FRAGMENTS = [
    "<b>", "</b>", '<a href="http://x.com/?a=1&amp;b=2">', "</a>", "<!-- c -->", "<br/>",
    "<o:p>", "<script>x</script>", "&amp;", "&#8217;", "&eacute;", "&#x2019;", "&shy;",
    "&#173;", "&nbsp;", "&#28450;", "&#769;", "&fjlig;", "&#0;", "[", "]", "](", ")",
    "](http://e.com/x)", "[ref]", "\n[ref]: http://e.com\n", "http://e.com/a.", "www.e.org/x,",
    "-\n", "- \n ", "\u2010\n", "\u00ad", "\u00ad\n", "\u200b", "\u200d", "\ufe0f", "'", "’",
    "ʼ", "_", "*", "ß", "ŉ", "ｶﾞ", "ﾞ", "ー", "İ", "ı", "ǅ", "ΐ", "\u0301", "\u3099", "漢",
]  # fmt: skip
markup_soup = st.lists(
    st.one_of(st.sampled_from(MARKUP_FRAGMENTS), words, st.sampled_from(WHITESPACE)),
    max_size=30,
).map("".join)


@st.composite
def prose(draw: st.DrawFn, newlines: bool = True) -> str:
    """Words separated by punctuation and white space, like running text."""
    spaces = WHITESPACE if newlines else [w for w in WHITESPACE if "\n" not in w]
    parts = []
    for word in draw(st.lists(words, min_size=1, max_size=25)):
        parts += [word, draw(punctuation), draw(st.sampled_from(spaces)), draw(punctuation)]
    return "".join(parts)


any_text = st.one_of(prose(), markup_soup, st.text(), st.text(alphabet=word_letters))
configs = st.builds(
    NormalizeConfig,
    unicode_nfkc=st.booleans(),
    casefold=st.booleans(),
    strip_markup=st.booleans(),
    strip_urls=st.booleans(),
    join_hyphenation=st.booleans(),
)

TOKEN = regex.compile(r"[\p{L}\p{M}\p{N}]+")

# --- invariants --------------------------------------------------------------------------------


@given(st.text(), configs)
def test_normalize_never_raises_on_any_unicode(text: str, config: NormalizeConfig) -> None:
    normalize(text, config)


@given(any_text, configs)
def test_normalize_is_idempotent(text: str, config: NormalizeConfig) -> None:
    once = normalize(text, config)
    assert normalize(once.text, config).tokens == once.tokens


@given(any_text, configs)
def test_tokens_are_nonempty_runs_of_letters_marks_and_digits(
    text: str, config: NormalizeConfig
) -> None:
    for token in normalize(text, config).tokens:
        assert TOKEN.fullmatch(token), repr(token)


@given(any_text, configs)
def test_every_span_points_at_its_token(text: str, config: NormalizeConfig) -> None:
    result = normalize(text, config)
    for (start, end), group in itertools.groupby(
        zip(result.spans, result.tokens, strict=True), key=lambda pair: (pair[0].start, pair[0].end)
    ):
        assert 0 <= start < end <= len(text)
        # Tokens that share a span came from one original token split by folding (e.g. ½).
        assert normalize(text[start:end], config).tokens == tuple(token for _, token in group)


@given(any_text, configs)
def test_spans_are_sorted_and_overlap_only_when_shared(text: str, config: NormalizeConfig) -> None:
    spans = normalize(text, config).spans
    for before, after in itertools.pairwise(spans):
        assert before == after or before.end <= after.start


@st.composite
def wrapped_twice(draw: st.DrawFn, join_hyphenation: bool) -> tuple[str, str]:
    """One text laid out with two independent choices of white space between its words."""
    texts: tuple[list[str], list[str]] = ([], [])
    for word in draw(st.lists(words, min_size=1, max_size=25)):
        before, after = draw(punctuation), draw(punctuation)
        if join_hyphenation and before.endswith("-"):
            # "word-" + line break + lowercase word is a hyphenated word by design: the one place
            # where a line break is not just a separator (tested in the unit tests).
            before = before[:-1] + "—"
        for text in texts:
            text += [word, before, draw(st.sampled_from(WHITESPACE)), after]
    return "".join(texts[0]), "".join(texts[1])


@given(st.booleans().flatmap(lambda j: st.tuples(st.just(j), wrapped_twice(j))))
def test_tokens_invariant_under_rewrapping_lines(case: tuple[bool, tuple[str, str]]) -> None:
    join_hyphenation, (one, other) = case
    config = NormalizeConfig(join_hyphenation=join_hyphenation)
    assert normalize(one, config).tokens == normalize(other, config).tokens


# Latin, Greek and Cyrillic letters, less the few whose case mapping casefolding cannot undo
# (computed, not listed by hand): dotless ı upper-cases to I, which folds to i. Turkish text
# written in capitals therefore does not match its lower-case form; casefolding is not
# locale-aware. (ß/SS, ς/Σ, ǅ, ΐ and the like are fine: NFKC+casefold makes them equal.)
def _case_stable(char: str) -> bool:
    def fold(text: str) -> str:
        return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())

    return all(fold(change(char)) == fold(char) for change in (str.upper, str.lower, str.title))


CASED_LETTERS = [
    chr(code)
    for start, end in ((0x41, 0x250), (0x370, 0x400), (0x400, 0x530), (0x1E00, 0x1F00))
    for code in range(start, end)
    if unicodedata.category(chr(code)) in ("Lu", "Ll", "Lt")
]
CASE_UNSTABLE = [char for char in CASED_LETTERS if not _case_stable(char)]
cased_words = st.text(
    alphabet=st.sampled_from([c for c in CASED_LETTERS if c not in CASE_UNSTABLE]),
    min_size=1,
    max_size=10,
)


def test_case_unstable_letters_are_few_and_known() -> None:
    # Guards the exclusion above from silently growing with a new Unicode version.
    assert CASE_UNSTABLE == ["ı"]


@given(
    st.lists(st.one_of(cased_words, st.sampled_from(["don't", "Borisov’s", "U.S."])), min_size=1),
    st.sampled_from([str.upper, str.lower, str.title, str.swapcase, str.capitalize]),
)
def test_tokens_invariant_under_case_change(parts: list[str], change: Callable[[str], str]) -> None:
    text = " ".join(parts)
    assert normalize(change(text)).tokens == normalize(text).tokens


TYPOGRAPHIC = {"'": "’‘", '"': "“”", "-": "–—", "...": "…"}


@given(prose(newlines=False), st.randoms(use_true_random=False))
def test_tokens_invariant_under_typographic_quotes_dashes_ellipses(
    text: str, random: Random
) -> None:
    # No line breaks here: a hyphen before a line break is a hyphenation, a dash is not.
    pattern = regex.compile(r"\.\.\.|['\"-]")
    fancy = pattern.sub(lambda m: random.choice(TYPOGRAPHIC[m.group()]), text)
    assert normalize(fancy).tokens == normalize(text).tokens


EMPHASIS = ["**", "*", "_", "__", "~~", "`"]


@given(
    st.lists(words.filter(lambda w: "[" not in w and "]" not in w), min_size=1, max_size=12),
    st.data(),
)
def test_tokens_invariant_under_markdown_emphasis_and_links(
    plain: list[str], data: st.DataObject
) -> None:
    marked = [
        f"{mark}{word}{mark}" if (mark := data.draw(st.sampled_from([*EMPHASIS, "", ""]))) else word
        for word in plain
    ]
    start = data.draw(st.integers(0, len(marked) - 1))
    end = data.draw(st.integers(start + 1, len(marked)))
    image = data.draw(st.sampled_from(["", "!"]))
    phrase = " ".join(marked[start:end])
    linked = [*marked[:start], f"{image}[{phrase}](http://example.com/x)", *marked[end:]]
    assert normalize(" ".join(linked)).tokens == normalize(" ".join(plain)).tokens


# --- fast paths --------------------------------------------------------------------------------

# Fragments around ASCII words that the fast path for ASCII words must handle: apostrophes and
# hyphens that may join two words, line breaks, markup and entities, typographic punctuation,
# the bytes the ASCII image uses as markers...
JOINERS = [
    "'", "’", "‘", "＇", "''", "-", "-\n", "- \n\t", "-\r\n", "-\n\n", "-\r", "\u2010\n",
    "\u2013\n", "—\n",
]  # fmt: skip
SEPARATORS = [
    " ", "\n", "\r\n", "\t", ".", ", ", "_", "*", "…", "“", "”", "«", "\u00a0", "\x00", "\x01",
    "\x7f", "\x80", "\x81", " [a link](http://e.com/x) ", "![img](/a.png)", "[ref]",
    "\n[ref]: http://e.com\n", " http://e.com/a. ", " www.e.org/x, ", "&amp;", "&nbsp;", "<b>",
    "</b>", '<a href="x">', "<!-- c -->",
]  # fmt: skip
# ... and ones that send a text to the general path: non-ASCII words, default-ignorables
# (including the padding of decoded entities), the soft hyphen, astral characters.
ESCAPES = [
    "ʼ", "\u00ad", "\u00ad\n", "&#8217;", "&rsquo;", "&shy;", "&eacute;", "\u200b", "\u2060",
    "é", "É", "ß", "Ł", "ﬁ", "½", "²", "漢", "ｶﾞ", "\u0301", "😀", "𝐀", "\ud800", "\xff",
]  # fmt: skip
ascii_words = st.one_of(
    st.sampled_from(["coop", "eration", "Russian", "don", "t", "U", "S", "MS", "22", "Borisov"]),
    st.text(alphabet=st.sampled_from(string.ascii_letters + string.digits), min_size=1),
)


@st.composite
def ascii_heavy(draw: st.DrawFn, escapes: bool) -> str:
    """ASCII words, each followed by a possible joiner (most of the time) or another fragment;
    with ``escapes``, one fragment is an escape."""
    fragments = st.sampled_from(JOINERS * 3 + SEPARATORS)
    pairs = draw(st.lists(st.tuples(ascii_words, fragments), min_size=2))
    if escapes:
        position = draw(st.integers(0, len(pairs) - 1))
        pairs[position] = (pairs[position][0], draw(st.sampled_from(ESCAPES)))
    return "".join(word + fragment for word, fragment in pairs)


# Weighted towards texts that take the fast path.
fast_path_texts = st.one_of(
    ascii_heavy(escapes=False),
    ascii_heavy(escapes=False),
    ascii_heavy(escapes=True),
    st.text(alphabet=st.characters(max_codepoint=0x7F)),
)


@given(fast_path_texts, configs)
def test_fast_path_equals_general_path(text: str, config: NormalizeConfig) -> None:
    fast, general = normalize(text, config), _normalize(text, config, fast=False)
    assert fast.tokens == general.tokens
    assert fast.spans == general.spans


@given(st.one_of(any_text, fast_path_texts), configs)
def test_normalized_tokens_are_the_tokens_of_normalize(text: str, config: NormalizeConfig) -> None:
    assert tuple(normalized_tokens(text, config)) == normalize(text, config).tokens


@given(st.one_of(any_text, fast_path_texts), configs)
def test_normalize_with_starts_gives_the_spans_starts(text: str, config: NormalizeConfig) -> None:
    normal, starts = normalize_with_starts(text, config)
    assert normal == normalize(text, config)
    assert starts.tolist() == [span.start for span in normal.spans]


@given(st.one_of(any_text, fast_path_texts), configs)
def test_normalized_bytes_are_the_normalised_text(text: str, config: NormalizeConfig) -> None:
    assert normalized_bytes(text, config) == normalize(text, config).text.encode("utf-8")


# Where a masked construct can begin, in cases and spellings that a scan for it must not miss.
MASK_START_FRAGMENTS = [
    "WWW.e.org", "wWw.e.org/a", "xwww.e.org", ".www.e.org", "HTTPS://e.com/x", "httpſ://e.com",
    "Http://e.com)", "ftp://e.com", "://", "w.", "W.", "  [r]: /p\n", "   [r]: <u>\n",
    "\t[r]: www.e\n", "[a][b]", "](", "][", "![i](u.png)", "<", "&", "&&amp;", "<<b>", "[[x]](y)",
]  # fmt: skip
mask_soup = st.lists(
    st.one_of(
        st.sampled_from(MASK_START_FRAGMENTS),
        st.sampled_from(MARKUP_FRAGMENTS),
        st.sampled_from([*SAMPLE_WORDS, *PROSE_PUNCTUATION, *WHITESPACE]),
    ),
    max_size=12,
).map("".join)


@settings(max_examples=500)
@given(st.one_of(mask_soup, mask_soup, markup_soup, any_text))
def test_masking_tries_every_index_where_markup_can_start(text: str) -> None:
    config = NormalizeConfig(strip_markup=True, strip_urls=True)
    groups = _alternatives_needed(text, config)
    everywhere = _mask_pattern(groups).sub(_mask_replacement, text) if groups else text
    assert _mask(text, config) == everywhere


@given(st.lists(st.one_of(any_text, fast_path_texts, mask_soup), max_size=6), configs)
def test_a_batch_normalises_each_text_as_alone(texts: list[str], config: NormalizeConfig) -> None:
    expected = [normalize(text, config).text.encode("utf-8") for text in texts]
    assert normalized_bytes_batch(texts, config) == expected
