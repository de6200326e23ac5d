"""The looser tiers beyond copies: ``partial-reuse`` and ``same-story`` pairs, and story families.

Candidates come from a second MinHash sketch over *content words*: stopwords dropped, each word
cut to its first few characters (a light stem, so Borisov/Borissov and Prokopiev/Prokopyev
match), as a set of unigrams. LSH at a low threshold proposes pairs; each is verified by the
alignment module:

- ``partial-reuse``: a passage of at least ``min_reused_words`` equal words is shared, yet the
  pair is no copy;
- ``same-story``: the sentence alignment pairs at least ``min_sentences`` sentences in order,
  covering at least ``min_sentence_cover`` of the shorter text's words.

Story families are the connected components of copy and same-story edges.
"""

from __future__ import annotations

import bisect
import collections
import functools
from collections.abc import Callable, Iterable, Sequence

import numpy as np
import numpy.typing as npt

from dedup.align import align_normalized
from dedup.config import ScanConfig, SketchParams, StoryConfig
from dedup.model import Alignment, AlignMode, EditOp, NormalizedText, Passage, Relation
from dedup.shingle import JoinedTokens, joined_tokens, token_hashes
from dedup.verify import Hashes, ShingleSets
from dedup.xxh3 import hash_spans

U64 = npt.NDArray[np.uint64]
U32 = npt.NDArray[np.uint32]
I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]

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

#: What one side of a pair is for the alignment: ``(id, text, normalised text)``.
Side = tuple[str, str, NormalizedText]


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


def content_jaccard(a: Hashes, b: Hashes) -> float:
    """Exact Jaccard similarity of two sorted, unique content-term arrays."""
    shared = np.intersect1d(a, b, assume_unique=True).size
    union = a.size + b.size - shared
    return shared / union if union else 0.0


def relate(a: Side, b: Side, config: ScanConfig) -> Relation | None:
    """``same-story``, ``partial-reuse`` or None for a pair that is not a copy.

    Corresponding sentences in order make one story, even when they share quoted passages;
    otherwise a long shared passage is partial reuse.
    """
    story = config.stories
    sentences = align_normalized(a, b, config.align, AlignMode.SENTENCES)
    count, cover = ordered_sentences(sentences, len(a[2].tokens), len(b[2].tokens))
    if count >= story.min_sentences and cover >= story.min_sentence_cover:
        return Relation.SAME_STORY
    passages = align_normalized(a, b, config.align)
    if reused_words(passages) >= story.min_reused_words:
        return Relation.PARTIAL_REUSE
    return None


def reused_words(alignment: Alignment) -> int:
    """Equal words in the largest shared passage (0 when none)."""
    return max((_equal_words(p) for p in alignment.passages), default=0)


def _equal_words(passage: Passage) -> int:
    return sum(e.a_words.size for e in passage.edits if e.op is EditOp.EQUAL)


def ordered_sentences(alignment: Alignment, a_words: int, b_words: int) -> tuple[int, float]:
    """Sentence pairs in the longest chain in order in both texts, and the share of the
    shorter text's words they cover."""
    chain = _in_order(sorted(alignment.passages, key=lambda p: p.a_words.start))
    if a_words <= b_words:
        covered, total = sum(p.a_words.size for p in chain), a_words
    else:
        covered, total = sum(p.b_words.size for p in chain), b_words
    return len(chain), covered / total if total else 0.0


def _in_order(passages: Sequence[Passage]) -> list[Passage]:
    """The longest subsequence whose B positions increase (passages sorted by A position)."""
    tails: list[int] = []
    tail_index: list[int] = []
    previous = [-1] * len(passages)
    for index, passage in enumerate(passages):
        key = passage.b_words.start
        where = bisect.bisect_left(tails, key)
        if where == len(tails):
            tails.append(key)
            tail_index.append(index)
        else:
            tails[where] = key
            tail_index[where] = index
        previous[index] = tail_index[where - 1] if where else -1
    chain: list[Passage] = []
    at = tail_index[-1] if tail_index else -1
    while at >= 0:
        chain.append(passages[at])
        at = previous[at]
    return chain[::-1]


def nearest_candidates(
    pairs: npt.NDArray[np.int64], signatures: npt.NDArray[np.uint32], per_document: int
) -> npt.NDArray[np.bool_]:
    """Which candidate pairs (rows of ``signatures``, shape ``(m, 2)``) are among the
    ``per_document`` most similar of either of their documents, by the share of equal sketch
    values (ties by position, so the choice does not depend on the order of equal pairs)."""
    m = len(pairs)
    if m == 0:
        return np.zeros(0, dtype=bool)
    similarity = np.empty(m, dtype=np.float64)
    for start in range(0, m, _CHUNK_PAIRS):
        part = pairs[start : start + _CHUNK_PAIRS]
        similarity[start : start + len(part)] = sketch_similarity(
            signatures[part[:, 0]], signatures[part[:, 1]]
        )
    # Each pair once under each of its documents, ranked within the document.
    doc = np.concatenate([pairs[:, 0], pairs[:, 1]])
    index = np.concatenate([np.arange(m), np.arange(m)])
    order = np.lexsort((index, -similarity[index], doc))
    first = np.r_[True, doc[order][1:] != doc[order][:-1]]
    at = np.arange(2 * m)
    rank = at - np.maximum.accumulate(np.where(first, at, 0))
    keep = np.zeros(m, dtype=bool)
    keep[index[order[rank < per_document]]] = True
    return keep


def sketch_similarity(a: npt.NDArray[np.uint32], b: npt.NDArray[np.uint32]) -> F64:
    """The share of equal values of each row of ``a`` with ``b`` (a row each, or one
    signature for all): the estimated Jaccard by which story candidates are ranked."""
    similarity: F64 = (a == b).mean(axis=1)
    return similarity


#: Candidate pairs compared per step (bounds the temporary ``(pairs, num_perm)`` array).
_CHUNK_PAIRS = 1 << 16


def verify_candidates(
    candidates: Iterable[tuple[int, int]],
    content: ShingleSets,
    side: Callable[[int], Side],
    config: ScanConfig,
    family: Callable[[int], int] = lambda i: i,
) -> list[tuple[int, int, Relation]]:
    """The candidate pairs (indices into ``content``) that align as partial reuse or one story.

    Candidates are taken in the order given; between two copy families (``family`` of each
    index) at most ``pairs_per_families`` related pairs are reported and four times as many
    candidates looked at, so a story told by a hundred copies costs a few alignments, not ten
    thousand.
    """
    found = []
    tried: collections.Counter[tuple[int, int]] = collections.Counter()
    looked: collections.Counter[tuple[int, int]] = collections.Counter()
    cap = config.stories.pairs_per_families
    for i, j in candidates:
        key = (min(family(i), family(j)), max(family(i), family(j)))
        if tried[key] >= cap or looked[key] >= 4 * cap:
            continue
        looked[key] += 1
        if content_jaccard(content[i], content[j]) < config.stories.min_content_jaccard:
            continue
        relation = relate(side(i), side(j), config)
        if relation is not None:
            tried[key] += 1
            found.append((i, j, relation))
    return found
