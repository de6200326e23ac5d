"""Content words: what a text tells, without its function words, and where each first occurs.

A text's content words are its tokens less a small English stopword list, one-character tokens
and pure numbers, each cut to its first ``stem`` characters (a light stem, so Borisov/Borissov
and Prokopiev/Prokopyev match), hashed. The tier below copies pairs texts by them
(``dedup.tiers``); the persistent index sketches them (``content_params``).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Protocol

import numpy as np
import numpy.typing as npt

from dedup.config import SketchParams, StoryConfig
from dedup.shingling import JoinedTokens, PackedStore, joined_tokens, token_hashes
from dedup.xxh3 import hash_spans

U64 = npt.NDArray[np.uint64]
U32 = npt.NDArray[np.uint32]
I64 = npt.NDArray[np.int64]

#: A small English stopword list: function words that say nothing about the story.
_STOPWORDS_TEXT = """
    a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each
    few for from further had has have having he her here hers herself him himself his how
    i if in into is it its itself just me more most my myself no nor not now of off on
    once only or other our ours ourselves out over own same she should so some such than
    that the their theirs them themselves then there these they this those through to too
    under until up very was we were what when where which while who whom why will with
    would you your yours yourself yourselves said says say told according one two new last
    first year years mr mrs ms s t
"""
STOPWORDS = frozenset(_STOPWORDS_TEXT.split())

def content_terms(tokens: Sequence[str], stem: int = 5) -> U64:
    """Sorted unique hashes of a text's content words, each cut to its first ``stem`` characters.

    Stopwords, one-character tokens and pure numbers are left out.
    """
    words = [
        t[:stem] for t in tokens if len(t) > 1 and t not in STOPWORDS and not t.isdigit()
    ]
    return np.unique(token_hashes(words))


def content_terms_of_texts(
    texts: Sequence[bytes], stem: int = 5, tokens: JoinedTokens | None = None
) -> list[U64]:
    """``content_terms`` of each normalised text (tokens joined by single spaces, UTF-8);
    ``tokens`` may give ``joined_tokens(texts)`` when the caller has it already."""
    return [terms for terms, _ in content_words_of_texts(texts, stem, tokens)]


def content_words_of_texts(
    texts: Sequence[bytes], stem: int = 5, tokens: JoinedTokens | None = None
) -> list[tuple[U64, U32]]:
    """Each normalised text's ``content_terms`` and, for each term, the position of the token
    where it first occurs (the order in which a text tells its story).

    ASCII texts, where a character is a byte, are done a batch at once on token spans: no
    Python step per token, which made content words the costliest part of a default scan's
    features. Other texts take ``content_terms``' rule on their split words.
    """
    joined = joined_tokens(texts) if tokens is None else tokens
    starts, ends = joined.starts, joined.ends
    keep = (ends - starts > 1) & ~_stopword(joined.hashes)
    keep[_digits_only(joined)] = False
    first_token = np.r_[0, np.cumsum(joined.counts)]
    owner = np.repeat(np.arange(len(texts)), joined.counts)
    position = (np.arange(starts.size) - first_token[owner])[keep]
    owner = owner[keep]
    starts = starts[keep]
    terms = hash_spans(joined.buffer, starts, np.minimum(ends[keep], starts + stem))
    # One stable sort for the batch by (document, term): the document in the top bits, the
    # term's top bits below it (two terms of one text alike in all those bits are one word to
    # the scan, as to the 32-bit stores). Tokens come in order, so each (document, term) run
    # starts at the term's first occurrence.
    bits = max(1, (len(texts) - 1).bit_length())
    key = (owner.astype(np.uint64) << np.uint64(64 - bits)) | (terms >> np.uint64(bits))
    order = np.argsort(key, kind="stable")
    key, owner, terms, position = key[order], owner[order], terms[order], position[order]
    first = np.r_[True, key[1:] != key[:-1]][: key.size]
    owner, terms, position = owner[first], terms[first], position[first].astype(np.uint32)
    bounds = np.searchsorted(owner, np.arange(len(texts) + 1)).tolist()
    return [
        (terms[bounds[d] : bounds[d + 1]], position[bounds[d] : bounds[d + 1]])
        if text.isascii()
        else _words_of_text(text.decode("utf-8").split(), stem)
        for d, text in enumerate(texts)
    ]


def _words_of_text(tokens: Sequence[str], stem: int) -> tuple[U64, U32]:
    kept = [
        (t[:stem], at)
        for at, t in enumerate(tokens)
        if len(t) > 1 and t not in STOPWORDS and not t.isdigit()
    ]
    hashes = token_hashes([word for word, _ in kept])
    return _first_occurrences(hashes, np.array([at for _, at in kept], dtype=np.int64))


def _first_occurrences(terms: U64, positions: I64) -> tuple[U64, U32]:
    """The sorted unique ``terms`` and the position of each one's first occurrence."""
    unique, first = np.unique(terms, return_index=True)
    return unique, positions[first].astype(np.uint32)


def _digits_only(tokens: JoinedTokens) -> I64:
    """The tokens of ASCII digits only, among those that start with one (few in prose)."""
    first = np.frombuffer(tokens.buffer, dtype=np.uint8)[tokens.starts]
    maybe = np.flatnonzero((first >= ord("0")) & (first <= ord("9")))
    buffer, starts, ends = tokens.buffer, tokens.starts[maybe], tokens.ends[maybe]
    digits = [buffer[s:e].isdigit() for s, e in zip(starts.tolist(), ends.tolist(), strict=True)]
    return maybe[np.array(digits, dtype=bool)] if maybe.size else maybe


def _stopword(hashes: U64) -> npt.NDArray[np.bool_]:
    """Which token hashes are a stopword's (another word with the same 64-bit hash is out of
    reach): one lookup in a table where each stopword has a slot of its own."""
    table, shift = _stopword_table()
    found: npt.NDArray[np.bool_] = table[(hashes >> shift) & np.uint64(table.size - 1)] == hashes
    return found


@functools.cache
def _stopword_table() -> tuple[U64, np.uint64]:
    """Stopword hashes placed by ``(hash >> shift) & (size - 1)``, a shift at which no two
    share a slot; empty slots hold a stopword's hash too, so nothing else matches them."""
    known = token_hashes(sorted(STOPWORDS))
    size = 1 << 13
    for shift in range(64 - 13):
        slots = (known >> np.uint64(shift)) & np.uint64(size - 1)
        if np.unique(slots).size == known.size:
            table = np.full(size, known[0], dtype=np.uint64)
            table[slots] = known
            return table, np.uint64(shift)
    raise AssertionError("no collision-free stopword table")  # pragma: no cover


def content_params(config: StoryConfig) -> SketchParams:
    """The sketch parameters of the content-word signatures."""
    return SketchParams(num_perm=config.num_perm, seed=config.seed)



_SHIFT = np.uint64(32)


class WordSets(Protocol):
    """Anything that gives document ``i``'s content-word keys as ``sets[i]`` (``WordStore``)."""

    def __getitem__(self, index: int, /) -> U64: ...


class WordStore(PackedStore[np.uint64]):
    """Content words of many documents as 64-bit keys, ``term << 32 | first position``, packed
    like shingles (``dedup.shingling.PackedStore``): 8 bytes a word, no array per document.

    ``term`` is the top 32 bits of the word's hash, as ``ShingleStore`` keeps shingles; a
    document's keys are sorted (by term) and hold each term once, at its first position.
    """

    def append(self, terms: U64, positions: U32) -> None:
        """Add the next document's sorted unique term hashes and their first positions."""
        self._add(np.sort(((terms >> _SHIFT) << _SHIFT) | positions.astype(np.uint64)))

    def _kept(self, values: U64, keep: npt.NDArray[np.bool_]) -> U64:
        # Two words may share their top 32 bits: the first occurrence is kept (keys of one
        # term sort by position).
        kept: U64 = values[keep]
        return kept
