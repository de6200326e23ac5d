"""Looser matches of one text against candidates, by alignment: the persistent index's story
tier (``dedup query``), where a query meets its candidates one at a time and no corpus-wide
postings exist. A scan names its pairs from postings instead (``dedup.tiers``).

Candidates come from a MinHash sketch over content words (``dedup.tiers.words``); each is
verified by the alignment module:

- ``partial-reuse``: a passage of at least ``min_reused_words`` equal words is shared, yet the
  pair is no copy;
- ``same-story``: the sentence alignment pairs at least ``min_sentences`` sentences in order,
  covering at least ``min_sentence_cover`` of the shorter text's words.
"""

from __future__ import annotations

import bisect
import collections
from collections.abc import Callable, Iterable, Sequence

import numpy as np
import numpy.typing as npt

from dedup.alignment import align_normalized
from dedup.config import ScanConfig
from dedup.model import Alignment, AlignMode, EditOp, NormalizedText, Passage, Relation
from dedup.tiers.words import content_jaccard
from dedup.verify import ShingleSets

U64 = npt.NDArray[np.uint64]
U32 = npt.NDArray[np.uint32]
I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]

#: What one side of a pair is for the alignment: ``(id, text, normalised text)``.
Side = tuple[str, str, NormalizedText]


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
