import numpy as np

from dedup.config import ShingleConfig
from dedup.model import NormalizedText, Span
from dedup.shingling import ngram_hashes, shingle, token_hashes


def text(words: str) -> NormalizedText:
    tokens = tuple(words.split())
    return NormalizedText(tokens, tuple(Span(i, i + 1) for i in range(len(tokens))))


def test_word_shingles_are_sorted_unique_and_count_windows() -> None:
    hashes = shingle(text("a b c d e f g"), ShingleConfig(size=3))
    assert hashes.dtype == np.uint64
    assert hashes.size == 5
    assert np.all(np.diff(hashes.astype(np.float64)) > 0)


def test_repeated_ngrams_collapse_to_one_shingle() -> None:
    assert shingle(text("x y x y x y"), ShingleConfig(size=2)).size == 2


def test_word_order_matters_within_an_ngram() -> None:
    assert not np.array_equal(
        shingle(text("a b c"), ShingleConfig(size=3)), shingle(text("c b a"), ShingleConfig(size=3))
    )


def test_text_shorter_than_n_yields_one_shingle_of_all_words() -> None:
    short = shingle(text("a b"), ShingleConfig(size=5))
    assert short.size == 1
    assert short[0] != shingle(text("a"), ShingleConfig(size=5))[0]


def test_empty_text_has_no_shingles() -> None:
    assert shingle(text(""), ShingleConfig()).size == 0


def test_shingle_hashes_are_pinned_across_releases() -> None:
    # Signatures stored by one release must compare with the next one's: changing the token
    # hash or the n-gram combination must be a deliberate, versioned change.
    units = token_hashes(["the", "head", "of", "russian", "space"])
    assert int(units[0]) == 0xCB1283631CF33D7D
    assert int(ngram_hashes(units, 5)[0]) == 0xB5957660B32045E1


def test_char_shingles_differ_from_word_shingles_and_see_spelling() -> None:
    a = shingle(text("borisov said"), ShingleConfig(kind="char", size=4))
    b = shingle(text("borissov said"), ShingleConfig(kind="char", size=4))
    shared = np.intersect1d(a, b).size
    assert 0 < shared < min(a.size, b.size)
