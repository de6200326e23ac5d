"""``align`` and ``align_sentences``: what two documents share, as passages with offsets."""

from __future__ import annotations

import collections
import threading
from collections.abc import Callable

import numpy as np

from dedup.alignment.anchors import seeds
from dedup.alignment.edits import WordOp
from dedup.alignment.extend import Fragment, merge
from dedup.alignment.passages import passage_ops
from dedup.alignment.result import coverage, sentence_ops, swap_ops, to_passage
from dedup.alignment.sentences import Sentences, align_sentence_words, sentences_of
from dedup.config import AlignConfig, NormalizeConfig
from dedup.model import Alignment, AlignMode, Document, EditOp, NormalizedText, PassageKind
from dedup.normalization import normalize
from dedup.shingling import U64, token_hashes

_DEFAULT = AlignConfig()
#: Fragments of one reuse lie at most this many times ``max_gap`` words apart in each text.
_MERGE_GAP_FACTOR = 4
_DEFAULT_NORMALIZE = NormalizeConfig()

#: What both modes compute: each passage as word-level ops, its similarity (None: computed from
#: the ops) and its moved runs.
_Found = list[Fragment]
_Mode = Callable[["_Text", "_Text", AlignConfig], _Found]


class _Text:
    """A document prepared for alignment: its text, tokens and token hashes, and its sentences
    once sentence mode asks for them."""

    def __init__(self, text: str, normalized: NormalizedText) -> None:
        self.text = text
        self.normalized = normalized
        self.hashes: U64 = token_hashes(normalized.tokens)
        self._sentences: dict[int, Sentences] = {}

    def sentences(self, n: int) -> Sentences:
        if n not in self._sentences:
            self._sentences[n] = sentences_of(self.text, self.normalized, n)
        return self._sentences[n]

    def key(self) -> tuple[int, bytes, str]:
        """An order on texts that fixes which one is aligned against which (see _oriented)."""
        return self.hashes.size, self.hashes.tobytes(), self.text


def align(
    a: Document | str,
    b: Document | str,
    config: AlignConfig = _DEFAULT,
    *,
    normalize_config: NormalizeConfig = _DEFAULT_NORMALIZE,
) -> Alignment:
    """The passages two documents share, verbatim or through small edits, with coverage.

    Each passage has character spans into each document's ``text``, a similarity, and the
    word-level edits that turn A's passage into B's. Passages may be moved or reordered; each
    word of either text lies in at most one passage. Texts identical after normalisation are one
    verbatim passage whatever their length; otherwise a passage holds at least
    ``config.min_words`` equal words. ``align(b, a)`` is ``align(a, b).swapped()``.
    """
    return _align(a, b, config, normalize_config, AlignMode.PASSAGES)


def align_sentences(
    a: Document | str,
    b: Document | str,
    config: AlignConfig = _DEFAULT,
    *,
    normalize_config: NormalizeConfig = _DEFAULT_NORMALIZE,
) -> Alignment:
    """Corresponding sentences of two texts, in any order: translations, rewrites, paraphrases.

    Similar sentences (``config.sentence_threshold`` at least) are paired whatever their order,
    and the pairs of one reused stretch, with the runs of words the texts share, are joined
    into one passage of kind ``paraphrase`` (``verbatim`` when every word is equal), with its
    similarity and the word-level edits between the two. Unrelated texts give no passages.
    """
    return _align(a, b, config, normalize_config, AlignMode.SENTENCES)


def align_normalized(
    a: tuple[str, str, NormalizedText],
    b: tuple[str, str, NormalizedText],
    config: AlignConfig = _DEFAULT,
    mode: AlignMode = AlignMode.PASSAGES,
) -> Alignment:
    """``align`` for texts already normalised: each side is ``(id, text, normalised text)``."""
    text_a, text_b = _prepared(a[1], a[2]), _prepared(b[1], b[2])
    run = _passages if mode is AlignMode.PASSAGES else _sentences
    passages = tuple(
        to_passage(f.ops, text_a.normalized, text_b.normalized, _kind(mode, f.ops),
                   f.similarity, f.moved)
        for f in _oriented(run, text_a, text_b, config)
    )  # fmt: skip
    cover = coverage(passages, text_a.hashes.size, text_b.hashes.size)
    return Alignment(a=a[0], b=b[0], passages=passages, coverage=cover, mode=mode)


def _kind(mode: AlignMode, ops: list[WordOp]) -> PassageKind | None:
    """Sentence mode's passages are paraphrases unless every word is equal; None: from ops."""
    if mode is AlignMode.PASSAGES or all(op.op is EditOp.EQUAL for op in ops):
        return None
    return PassageKind.PARAPHRASE


#: Texts prepared lately, by the identity of their normalised text: a story is aligned with each
#: of its candidates in turn (scan and index query alike), and preparing its sentences cost
#: about a fifth of a sentence alignment. Entries hold their objects, so an id is not reused
#: while cached.
_RECENT: collections.OrderedDict[int, _Text] = collections.OrderedDict()
_RECENT_SIZE = 64
_RECENT_LOCK = threading.Lock()


def _prepared(text: str, normalized: NormalizedText) -> _Text:
    """``_Text(text, normalized)``, the same one again while these very objects are recent."""
    key = id(normalized)
    with _RECENT_LOCK:
        found = _RECENT.get(key)
        if found is not None and found.normalized is normalized and found.text is text:
            _RECENT.move_to_end(key)
            return found
    prepared = _Text(text, normalized)
    with _RECENT_LOCK:
        _RECENT[key] = prepared
        if len(_RECENT) > _RECENT_SIZE:
            _RECENT.popitem(last=False)
    return prepared


def _align(
    a: Document | str,
    b: Document | str,
    config: AlignConfig,
    normalize_config: NormalizeConfig,
    mode: AlignMode,
) -> Alignment:
    doc_a = a if isinstance(a, Document) else Document(id="a", text=a)
    doc_b = b if isinstance(b, Document) else Document(id="b", text=b)
    return align_normalized(
        (doc_a.id, doc_a.text, normalize(doc_a.text, normalize_config)),
        (doc_b.id, doc_b.text, normalize(doc_b.text, normalize_config)),
        config,
        mode,
    )


def _oriented(run: _Mode, a: _Text, b: _Text, config: AlignConfig) -> _Found:
    """Run a mode with the texts in a fixed order, so that swapping A and B swaps the result.

    The greedy steps break ties by position in the first text; always putting the same text
    first makes ``align(b, a)`` exactly ``align(a, b)`` seen from the other side.
    """
    if a.key() <= b.key():
        found = run(a, b, config)
    else:
        found = [
            Fragment(swap_ops(f.ops), f.similarity, tuple(swap_ops(f.moved)))
            for f in run(b, a, config)
        ]
    return sorted(found, key=lambda f: (f.a0, f.b0))


def merge_gap(config: AlignConfig) -> int:
    """Words between two fragments of one reuse, in each text, that a passage spans."""
    return _MERGE_GAP_FACTOR * config.max_gap


def _passages(a: _Text, b: _Text, config: AlignConfig) -> _Found:
    if np.array_equal(a.hashes, b.hashes):
        # The same words: one verbatim passage, also for texts too short or too repetitive
        # for anchors (a run of one word has no rare n-gram).
        size = a.hashes.size
        return [Fragment([WordOp(EditOp.EQUAL, 0, size, 0, size)], None)] if size else []
    shared = seeds(a.hashes, b.hashes, config.anchor, config.max_occurrences)
    fragments = [Fragment(ops, None) for ops in passage_ops(a.hashes, b.hashes, config, shared)]
    # The seeds are also weak fragments: too short to be a passage alone, one may extend a
    # passage near it (an unchanged clause beyond a long insertion).
    return merge(fragments, a.hashes.tolist(), b.hashes.tolist(), merge_gap(config), shared)


def _sentences(a: _Text, b: _Text, config: AlignConfig) -> _Found:
    n = config.sentence_ngram
    pairs = align_sentence_words(a.sentences(n), b.sentences(n), config)
    hashes_a, hashes_b = a.hashes.tolist(), b.hashes.tolist()
    fragments = [
        Fragment(
            sentence_ops(
                hashes_a[wa.start : wa.end], hashes_b[wb.start : wb.end], wa.start, wb.start
            ),
            similarity,
        )
        for wa, wb, similarity in pairs
    ]
    # Shared runs of words are evidence too: a sentence copied with a clause cut scores low
    # as a whole but keeps its long equal runs.
    shared = seeds(a.hashes, b.hashes, config.anchor, config.max_occurrences)
    fragments += [Fragment(ops, None) for ops in passage_ops(a.hashes, b.hashes, config, shared)]
    return merge(fragments, hashes_a, hashes_b, merge_gap(config), shared)
