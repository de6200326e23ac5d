"""PAN-style text-alignment cases: passages of real text planted in other real text.

Built the way the PAN text-alignment corpora built their artificial cases (Potthast et al.,
"An evaluation framework for plagiarism detection", COLING 2010): a passage of a source
document (a run of whole sentences, 40-160 words) is obfuscated and inserted at a sentence
boundary of a suspicious document; the truth is the character offset and length of the passage
in each document. Source and suspicious documents are two Reuters-21578 bodies each, chosen to
share no word 8-gram with any other document used (``simulate._select``).

Obfuscations (``OBFUSCATIONS``), one per document pair:

- ``none``: the passage verbatim;
- ``random``: random word operations (PAN's "random obfuscation"): each word, with chance
  10-30 % for the case, is deleted, replaced by a corpus word, followed by an inserted corpus
  word, or swapped with the next word;
- ``same-kind``: 30-50 % of the content words replaced by a corpus word of the same kind (the
  same capitalisation, digits, and ending: -ing, -ed, -ly, -s, -tion), PAN's word variation
  without a thesaurus;
- ``reordered``: the passage cut into 2-4 runs of sentences, the runs put in another order;
- ``one-source``: 2-3 passages of one source document planted apart, each lightly edited
  (random operations at 5 %), each its own case.

Pairs of a suspicious document and an unrelated source document (``unrelated``) have no case:
what is found there counts against precision.

    python benchmarks/simulate.py --reuters ../shared/data/reuters21578 --pan 40 --seed 1 \\
        --out benchmarks/out/pan

writes ``pairs.jsonl`` (id, obfuscation, source, suspicious) and ``truth.json`` (schema
``dedup.pan/1``: for each pair id, its cases as ``this_offset``/``this_length`` in the
suspicious text and ``source_offset``/``source_length`` in the source text).
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

PAN_SCHEMA = "dedup.pan/1"
OBFUSCATIONS = ("none", "random", "same-kind", "reordered", "one-source", "unrelated")
_ENDS = re.compile(r"[.!?][\"')]*$")
_INITIAL = re.compile(r"^(?:\w\.)+$")
_STOP = frozenset(
    re.findall(
        r"\w+",
        "a an the and or but of in on at to for from by with as is are was were be been it its "
        "this that these those he she they we you i his her their our not no said says will "
        "would has have had do does did than then also which who whom",
    )
)
_PUNCTUATION = ".,;:!?\"'()"
_SUFFIXES = ("tion", "ing", "ed", "ly", "s")


@dataclass(frozen=True)
class PanCase:
    """One planted passage: where it is in the suspicious text and where it came from."""

    obfuscation: str
    this_offset: int
    this_length: int
    source_offset: int
    source_length: int


@dataclass(frozen=True)
class PanPair:
    """A source and a suspicious document, and the cases of the first planted in the second."""

    id: str
    obfuscation: str
    source: str
    suspicious: str
    cases: tuple[PanCase, ...]


Sentence = list[str]
Paragraph = list[Sentence]


def sentences_of(text: str) -> list[Paragraph]:
    """Paragraphs (blank-line separated) as lists of sentences, each a list of words."""
    paragraphs: list[Paragraph] = []
    for block in re.split(r"\n\s*\n", text):
        words = block.split()
        current: Sentence = []
        sentences: Paragraph = []
        for index, word in enumerate(words):
            current.append(word)
            following = words[index + 1] if index + 1 < len(words) else ""
            if _ENDS.search(word) and not _INITIAL.match(word) and following[:1].isupper():
                sentences.append(current)
                current = []
        if current:
            sentences.append(current)
        if sentences:
            paragraphs.append(sentences)
    return paragraphs


def _kind(word: str) -> tuple[bool, bool, str]:
    """What a replacement must share with a word: capital, digits, and ending."""
    bare = word.strip(_PUNCTUATION)
    ending = next((s for s in _SUFFIXES if bare.lower().endswith(s)), "")
    return bare[:1].isupper(), any(c.isdigit() for c in bare), ending


def _is_content(word: str) -> bool:
    bare = word.strip(_PUNCTUATION).lower()
    return len(bare) > 3 and bare not in _STOP


class _Pool:
    """Corpus words to insert or substitute, all and by kind."""

    def __init__(self, words: Sequence[str]) -> None:
        self.words = [w for w in words if w.strip(_PUNCTUATION)]
        self.by_kind: dict[tuple[bool, bool, str], list[str]] = {}
        for word in self.words:
            if _is_content(word):
                self.by_kind.setdefault(_kind(word), []).append(word.strip(_PUNCTUATION))

    def same_kind(self, word: str, rng: random.Random) -> str:
        """Another word of the kind of ``word``, with the punctuation around ``word``."""
        bare = word.strip(_PUNCTUATION)
        choices = self.by_kind.get(_kind(word)) or [bare]
        start = word.index(bare) if bare else 0
        return word[:start] + rng.choice(choices) + word[start + len(bare) :]


def random_operations(
    words: Sequence[str], rate: float, rng: random.Random, pool: _Pool
) -> list[str]:
    """Each word deleted, replaced, followed by a new word or swapped, with chance ``rate``."""
    out = list(words)
    index = 0
    while index < len(out):
        if rng.random() >= rate:
            index += 1
            continue
        operation = rng.randrange(4)
        if operation == 0 and len(out) > 1:
            del out[index]
            continue
        if operation == 1:
            out[index] = rng.choice(pool.words)
        elif operation == 2:
            out.insert(index + 1, rng.choice(pool.words))
            index += 1
        elif index + 1 < len(out):
            out[index], out[index + 1] = out[index + 1], out[index]
            index += 1
        index += 1
    return out


def same_kind_words(
    words: Sequence[str], rate: float, rng: random.Random, pool: _Pool
) -> list[str]:
    """Content words replaced, with chance ``rate``, by corpus words of the same kind."""
    return [
        pool.same_kind(w, rng) if _is_content(w) and rng.random() < rate else w for w in words
    ]


def reorder(sentences: Sequence[Sentence], rng: random.Random) -> list[str]:
    """The sentences cut into 2-4 runs, and the runs put in another order."""
    units = [list(s) for s in sentences]
    if len(units) < 2:  # one long sentence: cut it in halves
        words = units[0]
        units = [words[: len(words) // 2], words[len(words) // 2 :]]
    runs = min(len(units), rng.randint(2, 4))
    cuts = sorted(rng.sample(range(1, len(units)), runs - 1))
    pieces = [units[lo:hi] for lo, hi in zip([0, *cuts], [*cuts, len(units)], strict=True)]
    order = list(range(len(pieces)))
    while order == sorted(order):
        rng.shuffle(order)
    return [w for k in order for s in pieces[k] for w in s]


class _Text:
    """A document rendered from paragraphs of sentences: words joined by single spaces,
    paragraphs by a blank line; remembers each sentence's character range."""

    def __init__(self, paragraphs: Sequence[Paragraph]) -> None:
        self.text = ""
        self.sentence_spans: list[tuple[int, int, int]] = []  # start, end, word count
        for number, paragraph in enumerate(paragraphs):
            if number:
                self.text += "\n\n"
            for index, sentence in enumerate(paragraph):
                if index:
                    self.text += " "
                start = len(self.text)
                self.text += " ".join(sentence)
                self.sentence_spans.append((start, len(self.text), len(sentence)))


def _passage(
    source: _Text, rng: random.Random, taken: list[tuple[int, int]]
) -> tuple[int, int] | None:
    """A run of whole sentences of 40-160 words (sentence indices), apart from ``taken``."""
    spans = source.sentence_spans
    for _ in range(50):
        first = rng.randrange(len(spans))
        target = rng.randint(40, 160)
        last, words = first, spans[first][2]
        while words < target and last + 1 < len(spans):
            last += 1
            words += spans[last][2]
        if words < 40 or words > 200:
            continue
        if all(last + 2 < lo or first > hi + 2 for lo, hi in taken):
            return first, last
    return None


def _obfuscated(
    kind: str, sentences: list[Sentence], rng: random.Random, pool: _Pool
) -> list[str]:
    words = [w for s in sentences for w in s]
    if kind == "random":
        return random_operations(words, rng.uniform(0.1, 0.3), rng, pool)
    if kind == "same-kind":
        return same_kind_words(words, rng.uniform(0.3, 0.5), rng, pool)
    if kind == "reordered":
        return reorder(sentences, rng)
    if kind == "one-source":
        return random_operations(words, 0.05, rng, pool)
    return words


def _words_of(text: _Text, first: int, last: int) -> list[Sentence]:
    return [text.text[s:e].split(" ") for s, e, _ in text.sentence_spans[first : last + 1]]


def _plant(
    host: list[Paragraph], planted: list[tuple[list[str], tuple[int, int]]], rng: random.Random
) -> tuple[str, list[tuple[int, int, tuple[int, int]]]]:
    """Insert each planted passage at its own sentence boundary of ``host``; the text and
    each passage's character range with its source range."""
    slots = [(p, s) for p, paragraph in enumerate(host) for s in range(len(paragraph) + 1)]
    chosen = sorted(rng.sample(slots, len(planted)))
    marker_of = {slot: index for index, slot in enumerate(chosen)}
    pieces: list[tuple[str, int | None]] = []  # text, planted index
    for p, paragraph in enumerate(host):
        if p:
            pieces.append(("\n\n", None))
        for s in range(len(paragraph) + 1):
            if (p, s) in marker_of:
                pieces.append((" ", None))
                pieces.append((" ".join(planted[marker_of[p, s]][0]), marker_of[p, s]))
                pieces.append((" ", None))
            if s < len(paragraph):
                pieces.append((" ".join(paragraph[s]) + " ", None))
    text, found = "", []
    for piece, index in pieces:
        if index is not None:
            found.append((len(text), len(text) + len(piece), planted[index][1]))
        text += piece
    return text, found


def plant_pan_cases(stories: Sequence[Any], pairs_per_type: int, seed: int) -> list[PanPair]:
    """``pairs_per_type`` document pairs of each obfuscation (``OBFUSCATIONS``), from
    ``stories`` (objects with a ``text``) that share no word 8-gram with one another."""
    from simulate import _select

    rng = random.Random(f"{seed}:pan")
    need = 4 * pairs_per_type * len(OBFUSCATIONS)
    chosen, rest, _ = _select(stories, need, rng)
    # Inserted and substituted words come from stories used nowhere else, if there are any.
    pool = _Pool([w for s in (rest[:300] or chosen) for w in s.text.split()])
    texts = iter(sentences_of(s.text) for s in chosen)
    pairs: list[PanPair] = []
    for kind in OBFUSCATIONS:
        for number in range(pairs_per_type):
            source = _Text(next(texts) + next(texts))
            host = next(texts) + next(texts)
            pairs.append(_pair(f"{kind}-{number:03d}", kind, source, host, rng, pool))
    return pairs


def _pair(
    pair_id: str, kind: str, source: _Text, host: list[Paragraph], rng: random.Random, pool: _Pool
) -> PanPair:
    count = 0 if kind == "unrelated" else rng.randint(2, 3) if kind == "one-source" else 1
    taken: list[tuple[int, int]] = []
    planted: list[tuple[list[str], tuple[int, int]]] = []
    for _ in range(count):
        chosen = _passage(source, rng, taken)
        if chosen is None:
            break
        taken.append(chosen)
        first, last = chosen
        start, end = source.sentence_spans[first][0], source.sentence_spans[last][1]
        words = _obfuscated(kind, _words_of(source, first, last), rng, pool)
        planted.append((words, (start, end)))
    text, found = _plant(host, planted, rng)
    cases = tuple(
        PanCase(kind, start, end - start, src[0], src[1] - src[0]) for start, end, src in found
    )
    return PanPair(pair_id, kind, source.text, text, cases)


def write_pan(pairs: Sequence[PanPair], out: Path, parameters: dict[str, Any]) -> None:
    """``pairs.jsonl`` and ``truth.json`` (``dedup.pan/1``) in ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    with (out / "pairs.jsonl").open("w", encoding="utf-8") as lines:
        for pair in pairs:
            row = {"id": pair.id, "obfuscation": pair.obfuscation, "source": pair.source,
                   "suspicious": pair.suspicious}  # fmt: skip
            lines.write(json.dumps(row) + "\n")
    truth = {"schema": PAN_SCHEMA, "parameters": parameters,
             "cases": {p.id: [asdict(c) for c in p.cases] for p in pairs}}  # fmt: skip
    (out / "truth.json").write_text(json.dumps(truth, indent=1), encoding="utf-8")
