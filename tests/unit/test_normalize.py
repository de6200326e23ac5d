"""Concrete examples of each normalisation rule (the rules are listed in dedup/normalization.py)."""

from __future__ import annotations

import pytest

from dedup.config import NormalizeConfig
from dedup.model import Span
from dedup.normalization import _normalize, normalize


def tokens(text: str, **flags: bool) -> list[str]:
    return list(normalize(text, NormalizeConfig(**flags)).tokens)


def spanned(text: str, **flags: bool) -> list[str]:
    """The original text under each token's span."""
    return [text[s.start : s.end] for s in normalize(text, NormalizeConfig(**flags)).spans]


# --- spans -------------------------------------------------------------------------------------


def test_spans_of_a_known_sentence() -> None:
    text = "The head of Roscosmos, Yuri Borissov, said: “Well done.”"
    result = normalize(text)
    assert result.tokens == (
        "the",
        "head",
        "of",
        "roscosmos",
        "yuri",
        "borissov",
        "said",
        "well",
        "done",
    )
    assert result.spans == (
        Span(0, 3),
        Span(4, 8),
        Span(9, 11),
        Span(12, 21),
        Span(23, 27),
        Span(28, 36),
        Span(38, 42),
        Span(45, 49),
        Span(50, 54),
    )
    assert result.text == "the head of roscosmos yuri borissov said well done"


def test_empty_and_separator_only_texts_have_no_tokens() -> None:
    for text in ("", "   \n\t", "— … «» !?", "<p></p>", "http://example.com"):
        result = normalize(text)
        assert result.tokens == ()
        assert result.spans == ()


# --- hyphenation -------------------------------------------------------------------------------


def test_line_end_hyphen_before_lowercase_joins_the_word() -> None:
    text = "close coop-\neration today"
    assert tokens(text) == ["close", "cooperation", "today"]
    assert spanned(text) == ["close", "coop-\neration", "today"]


@pytest.mark.parametrize(
    "text",
    ["coop-\r\neration", "coop- \t\n  eration", "coop\u2010\neration", "coop\u00ad\neration"],
)
def test_line_end_hyphen_variants_join(text: str) -> None:
    assert tokens(text) == ["cooperation"]


def test_line_end_hyphen_before_uppercase_or_digit_does_not_join() -> None:
    assert tokens("anti-\nRussian") == ["anti", "russian"]
    assert tokens("MS-\n22") == ["ms", "22"]


def test_hyphen_inside_a_line_and_dashes_separate() -> None:
    assert tokens("U.S.-Russia") == ["u", "s", "russia"]
    assert tokens("coop- eration") == ["coop", "eration"]
    assert tokens("coop–\neration") == ["coop", "eration"]
    assert tokens("coop—\neration") == ["coop", "eration"]


def test_join_hyphenation_off_keeps_line_end_hyphen_a_separator() -> None:
    assert tokens("coop-\neration", join_hyphenation=False) == ["coop", "eration"]


# --- apostrophes, ignorables, separators -------------------------------------------------------


def test_typographic_and_plain_apostrophes_are_equal_and_dropped() -> None:
    expected = ["borisovs", "dont"]
    for apostrophe in ("'", "\u2019", "\u2018", "\u02bc", "\uff07"):
        assert tokens(f"Borisov{apostrophe}s don{apostrophe}t") == expected


def test_quotes_around_a_word_are_separators() -> None:
    assert tokens("'word' ‘word’ \"word\" “word” «word»") == ["word"] * 5
    assert tokens("Borisov' said") == ["borisov", "said"]


def test_underscore_and_markdown_emphasis_are_separators() -> None:
    assert tokens("_word_ **bold** *it* __x__ ~~y~~ `z`") == ["word", "bold", "it", "x", "y", "z"]
    assert tokens("snake_case") == ["snake", "case"]
    assert tokens("# Heading\n> quote\n- item\n1. first") == [
        "heading",
        "quote",
        "item",
        "1",
        "first",
    ]


def test_default_ignorables_inside_a_word_neither_split_nor_remain() -> None:
    assert tokens("Bundes\u00adregierung") == ["bundesregierung"]
    assert tokens("zero\u200bwidth jo\u200dined") == ["zerowidth", "joined"]
    assert spanned("Bundes\u00adregierung") == ["Bundes\u00adregierung"]


def test_rewrapped_text_has_the_same_tokens() -> None:
    wrapped = "The cause of the\nleak is being\r\n\n  identified."
    assert tokens(wrapped) == tokens("The cause of the leak is being identified.")


# --- markup and URLs ---------------------------------------------------------------------------


def test_markdown_link_keeps_text_and_drops_target() -> None:
    text = 'See [the report](http://example.com/a_(b) "Title") now'
    assert tokens(text) == ["see", "the", "report", "now"]
    assert spanned(text) == ["See", "the", "report", "now"]


def test_markdown_image_keeps_alt_text() -> None:
    assert tokens("![A rocket](/img/rocket.png) launched") == ["a", "rocket", "launched"]


def test_reference_links_drop_labels_and_definitions() -> None:
    text = 'Read [the story][ref] here.\n\n[ref]: https://example.com/story "T"\nEnd'
    assert tokens(text) == ["read", "the", "story", "here", "end"]


def test_bracketed_prose_is_not_a_reference_definition() -> None:
    assert tokens("[Update]: the minister said") == ["update", "the", "minister", "said"]
    assert tokens("[sic] and [1]") == ["sic", "and", "1"]


def test_bare_urls_are_dropped_without_trailing_punctuation() -> None:
    text = "See http://example.com/a/b.html. Or (www.example.org/x), HTTPS://X.ORG/y!"
    assert tokens(text) == ["see", "or"]
    assert tokens("URL: https://example.com/x.\nNext") == ["url", "next"]


def test_strip_urls_off_keeps_url_words() -> None:
    assert tokens("see http://example.com/a", strip_urls=False) == [
        "see",
        "http",
        "example",
        "com",
        "a",
    ]


def test_html_tags_comments_and_scripts_are_dropped() -> None:
    text = '<p class="lead">Hello <b>world</b><br/></p><!-- hidden\ncomment --><o:p></o:p>'
    assert tokens(text) == ["hello", "world"]
    assert tokens("<script>var x = 1;</script>shown<style>p {}</style>") == ["shown"]
    assert tokens('<a href="http://x.com" title="a > b">link</a>') == ["link"]


def test_angle_brackets_that_are_not_tags_are_separators() -> None:
    assert tokens("x < 3 and y > 2, <3") == ["x", "3", "and", "y", "2", "3"]


def test_html_entities_for_punctuation_are_separators() -> None:
    assert tokens("Tom&amp;Jerry&nbsp;show &lt;b&gt;") == ["tom", "jerry", "show", "b"]


def test_html_entities_for_letters_and_apostrophes_are_decoded() -> None:
    assert tokens("caf&eacute;") == ["café"]
    assert spanned("caf&eacute; ok") == ["caf&eacute;", "ok"]
    for entity in ("&#8217;", "&#x2019;", "&rsquo;", "&apos;", "&#39;"):
        assert tokens(f"Borisov{entity}s") == ["borisovs"]
    assert tokens("Bundes&shy;regierung") == ["bundesregierung"]


def test_strip_markup_off_keeps_markup_words() -> None:
    assert tokens("<b>bold</b> &amp; [a](b)", strip_markup=False, strip_urls=False) == [
        "b",
        "bold",
        "b",
        "amp",
        "a",
        "b",
    ]


# --- scripts -----------------------------------------------------------------------------------


def test_cjk_ideographs_and_kana_are_one_token_each() -> None:
    assert tokens("東京の新聞ニュース") == ["東", "京", "の", "新", "聞", "ニ", "ュ", "ー", "ス"]
    assert tokens("新闻abc报道") == ["新", "闻", "abc", "报", "道"]


def test_half_width_kana_with_voicing_mark_folds_to_one_character() -> None:
    assert tokens("ｶﾞ") == ["ガ"]
    assert spanned("ｶﾞ") == ["ｶﾞ"]


def test_hangul_words_stay_whole() -> None:
    assert tokens("서울 경찰청은") == ["서울", "경찰청은"]


def test_cyrillic_and_greek_words_are_kept_and_folded() -> None:
    assert tokens("Москва ЗАЯВИЛА, Αθήνα ΟΔΟΣ") == ["москва", "заявила", "αθήνα", "οδοσ"]


# --- folding flags -----------------------------------------------------------------------------


def test_casefold_folds_case_and_sharp_s() -> None:
    assert tokens("Straße STRASSE") == ["strasse", "strasse"]
    assert tokens("Straße", casefold=False) == ["Straße"]


def test_nfkc_folds_compatibility_characters() -> None:
    assert tokens("ﬁne ＡＢＣ １２") == ["fine", "abc", "12"]
    assert tokens("ＡＢＣ ²", unicode_nfkc=False) == ["ａｂｃ", "²"]
    # str.casefold alone already expands ligatures (full case folding).
    assert tokens("ﬁne", unicode_nfkc=False) == ["fine"]
    assert tokens("ﬁne", unicode_nfkc=False, casefold=False) == ["ﬁne"]


def test_nfkc_can_split_a_token_and_its_pieces_share_the_span() -> None:
    result = normalize("Take ½ cup")
    assert result.tokens == ("take", "1", "2", "cup")
    assert result.spans[1] == result.spans[2] == Span(5, 6)
    assert tokens("Take ½ cup", unicode_nfkc=False) == ["take", "½", "cup"]


def test_decomposed_and_precomposed_accents_are_equal_under_nfkc() -> None:
    assert tokens("Cafe\u0301") == tokens("Café") == ["café"]
    assert tokens("Cafe\u0301", unicode_nfkc=False) != tokens("Café", unicode_nfkc=False)


def test_all_rules_off_still_splits_on_separators() -> None:
    flags = {
        "unicode_nfkc": False,
        "casefold": False,
        "strip_markup": False,
        "strip_urls": False,
        "join_hyphenation": False,
    }
    assert tokens("The <b>U.S.</b>-Russia", **flags) == ["The", "b", "U", "S", "b", "Russia"]


# --- fast paths (dedup.normalize keeps spans in a table and tokenises a byte image) -----------


def test_long_texts_and_long_tokens_get_exact_spans() -> None:
    # Past 8192 characters, and for tokens of 64 characters or more, spans are built apart.
    long_word, accented = "x" * 100, "Caf\u00e9" + "e" * 70
    text = "Word, " * 2000 + long_word + " " + accented + " end"
    for fast_text in (text, text.replace("Word", "Wörd")):
        result = normalize(fast_text)
        assert len(result.tokens) == 2003
        assert result.tokens[-3:] == (long_word, accented.lower(), "end")
        assert [fast_text[s.start : s.end] for s in result.spans[-3:]] == [
            long_word,
            accented,
            "end",
        ]
        assert result == _normalize(fast_text, NormalizeConfig(), fast=False)


def test_mostly_ascii_text_with_typographic_punctuation_and_other_scripts() -> None:
    text = "Borisov’s “deal” — a café in Москва, coop\u2010\neration 東京 ﬁne"
    assert tokens(text) == [
        "borisovs", "deal", "a", "café", "in", "москва", "cooperation", "東", "京", "fine",
    ]  # fmt: skip
    assert spanned(text)[0] == "Borisov’s"
