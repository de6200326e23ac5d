"""Simulate news syndication: outlets' versions of wire stories, with the true derivation tree.

Each wire story W (a Reuters-21578 body, or a story from ``--source`` JSONL) is republished by
2-6 outlets; each outlet version is W put through a pipeline of newsroom edits, each a small
function below (``OUTLET_PIPELINE``): trim from the bottom, sentence reordering, house style,
British/American spelling, name transliteration, synonyms, dropped words, local paragraphs (real
sentences of other stories), dateline, page furniture (captions, "Related article", adverts),
byline or credit line, headline, site chrome (cookie banner, newsletter box, share line, footer),
markup (markdown or HTML-ish) and, for some outlets, hard wraps at a column in 60-100. With
chance 0.35 an outlet version is republished by an aggregator, from the outlet's text, not W's,
with the edits at half strength (``AGGREGATOR_PIPELINE``); the aggregator keeps some of the
outlet's furniture (its headline, a "Related article" line): shared innovations for lineage.
Distractors are other stories, once each, as sent or lightly wrapped by an outlet.

``strength`` s in [0, 1] scales every edit (``RATES``). s = 0 copies the body verbatim (only
furniture, dateline, byline, headline and wrapping are added). s = 0.5, "moderate": 70-90 % of
the sentences kept; each house-style form (pct, mln, dlrs, U.S., three, ...) and each spelling
variant rewritten throughout with chance 0.5; 15 % of the proper names respelled; 12.5 % of the
words in the synonym table swapped; 20 % of "also", "still", ... dropped; local paragraphs in 30 %
of the versions; a sentence pair swapped in 7.5 % of the later paragraphs; 0-2 furniture items
between paragraphs and 0-2 bold/link runs. s = 1: 40-80 % kept, every form rewritten, ...

    python benchmarks/simulate.py --reuters ../shared/data/reuters21578 --stories 200 \\
        --distractors 1000 --strength 0.5 --seed 1 --out benchmarks/out/sim-0.5

With ``--pan N`` it writes PAN-style text-alignment cases instead: passages of real text
planted in other real text with PAN's obfuscations, and their offsets (``pan_cases.py``).

writes ``corpus.jsonl`` (id, text, date, outlet; ids are opaque and the order shuffled) and
``truth.json``, schema ``dedup.simulate/1``:

- ``parameters``; ``roles``: doc id -> wire | outlet | aggregator | distractor;
- ``families``: doc id -> story id (a distractor is its own family); dropped wires included, so
  restrict it to the corpus's documents before scoring;
- ``edges``: [{source, target, kind (outlet | aggregator), edits: names of the edits that changed
  something, kept_furniture: what an aggregator kept of the outlet's furniture}];
- ``wire``: {ids, dropped}; ``latent``: the dropped wire documents (as corpus rows);
- ``spans``: derived doc id -> [[start, end], ...], the ranges of its text copied verbatim from
  its source, and ``source_spans``: the matching ranges of the source's text. ``text[s:e]``
  equals the source range up to whitespace (hard wraps, paragraph breaks); everything outside
  the spans is new (furniture, local paragraphs, rewritten or respelled words).

Text is built token by token and each token remembers the source characters it copies (or None
for new text), so the spans are exact by construction. Every random choice comes from
``random.Random`` seeded by the seed and the story id: same arguments, same bytes.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

_HERE = Path(__file__).resolve().parent
if str(_HERE) not in sys.path:
    sys.path.insert(0, str(_HERE))
from pan_cases import plant_pan_cases, write_pan  # noqa: E402
from reuters_to_jsonl import stories as _reuters_stories  # noqa: E402

SCHEMA = "dedup.simulate/1"
MIN_WORDS = 150
# Edit rates as functions of the strength s (each edit's docstring says what it does).
RATES: dict[str, Callable[[float], float]] = {
    "keep_min": lambda s: 1 - 0.6 * s,  # trim: share of sentences kept ~ U[keep_min, keep_max]
    "keep_max": lambda s: 1 - 0.2 * s,
    "reorder": lambda s: 0.3 * s * s,  # per paragraph with 2+ sentences (not the lead)
    "house_style": lambda s: s,  # per word form (pct, mln, ...), then in the whole text
    "spelling": lambda s: s,  # per word form with a British/American variant, ditto
    "transliteration": lambda s: 0.3 * s,  # per proper name with a variant, ditto
    "synonyms": lambda s: 0.25 * s,  # per token in the synonym table
    "drop_words": lambda s: 0.4 * s,  # per droppable word ("also", "still", ...)
    "local": lambda s: 0.6 * s,  # chance of local paragraphs (1, or 2 with chance s)
    "inline_furniture": lambda s: 1 + 3 * s,  # up to this many items between paragraphs
    "inline_markup": lambda s: 4 * s,  # up to this many bold/link runs (markup outlets)
}
AGGREGATOR_DAMPING = 0.5  # aggregators edit at half the strength
AGGREGATION_CHANCE = 0.35  # per outlet version
NGRAM = 8  # stories sharing word 8-grams are not both used (Reuters re-sends and updates)


# ---------------------------------------------------------------- data


@dataclass(frozen=True)
class Story:
    """A source story: the wire copy. ``date`` is an ISO date (or datetime), or ""."""

    id: str
    text: str
    date: str
    title: str = ""


@dataclass(frozen=True)
class Tok:
    """A word or markup, written as a unit; ``src`` = the source characters it copies verbatim."""

    text: str
    src: tuple[int, int] | None = None
    glue: bool = False  # written with no whitespace before it (markup)


@dataclass(frozen=True)
class Block:
    """A paragraph: kind is body, local, headline, byline or furniture (label says which)."""

    kind: str
    sentences: tuple[tuple[Tok, ...], ...]
    label: str = ""


CONTENT = ("body", "local")
Run = tuple[int, int, int, int]  # start, end in the text; start, end in the source


@dataclass(frozen=True)
class Rendered:
    """A written text, its blocks with ``src`` re-pointed at this text, and its copied runs."""

    text: str
    blocks: tuple[Block, ...]
    runs: tuple[Run, ...] = ()


@dataclass(frozen=True)
class Outlet:
    name: str
    domain: str
    aggregator: bool
    byline: str  # staff | agency | credit
    spelling: str  # us | uk
    markup: str | None  # markdown | html | None
    wrap: int | None
    cookie: str | None
    newsletter: str | None
    footer: str


@dataclass
class Ctx:
    """What an edit may use: the random source, strength, outlet and the story's context."""

    rng: random.Random
    strength: float
    outlet: Outlet
    title: str
    city: str
    when: datetime
    headlines: Sequence[str]
    pool: Sequence[Story]
    avoid: set[tuple[str, ...]]
    source_norm: str
    story_id: str
    vocabulary: frozenset[str]  # words the corpus writes in lower case
    source_outlet: Outlet | None = None
    kept: list[str] = field(default_factory=list)


@dataclass
class _Doc:
    key: str
    text: str
    when: datetime
    outlet: str
    role: str  # wire | outlet | aggregator | distractor
    family: str
    source: str | None = None
    edits: list[str] = field(default_factory=list)
    runs: tuple[Run, ...] = ()
    kept: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class SimulatedCorpus:
    """``documents``: dicts as in corpus.jsonl; ``truth``: the dict written to truth.json."""

    documents: list[dict[str, str]]
    truth: dict[str, Any]

    def write(self, out: Path) -> None:
        out.mkdir(parents=True, exist_ok=True)
        with (out / "corpus.jsonl").open("w", encoding="utf-8", newline="\n") as lines:
            for doc in self.documents:
                lines.write(json.dumps(doc, ensure_ascii=False) + "\n")
        (out / "truth.json").write_text(
            json.dumps(self.truth, ensure_ascii=False) + "\n", encoding="utf-8", newline="\n"
        )


# ---------------------------------------------------------------- loading


_SIGNOFF = re.compile(r"\s*\breuter\b[\s.^M]*$", re.I)


def _distinct(stories: Iterable[Story]) -> list[Story]:
    """Stories with at least MIN_WORDS words, the first of each id and of each body."""
    seen_ids: set[str] = set()
    seen_bodies: set[str] = set()
    kept = []
    for story in stories:
        body = " ".join(story.text.split())
        if len(body.split()) < MIN_WORDS or story.id in seen_ids or body in seen_bodies:
            continue
        seen_ids.add(story.id)
        seen_bodies.add(body)
        kept.append(story)
    return kept


def load_reuters_stories(root: Path) -> list[Story]:
    """Reuters-21578 bodies (sign-off removed), >= MIN_WORDS words, de-duplicated by body."""
    if not any(root.glob("reut2-*.sgm")):
        raise FileNotFoundError(f"no reut2-*.sgm files in {root}")
    return _distinct(
        Story(row["id"], _SIGNOFF.sub("", row["text"]), row["date"], row["title"])
        for row in _reuters_stories(root)
        if row["has_body"] == "yes"
    )


def load_jsonl_stories(path: Path) -> list[Story]:
    """Stories from JSONL (fields id, text; optional date, title), filtered like Reuters."""
    rows = (json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line)
    return _distinct(
        Story(str(r["id"]), str(r["text"]), str(r.get("date") or ""), str(r.get("title") or ""))
        for r in rows
    )


# ---------------------------------------------------------------- parsing


_WORDS = re.compile(r"\S+")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*|\n(?=[ \t])")
_ABBREVIATIONS = frozenset(
    [
        "mr.",
        "mrs.",
        "ms.",
        "dr.",
        "st.",
        "co.",
        "corp.",
        "inc.",
        "ltd.",
        "no.",
        "vs.",
        "gov.",
        "sen.",
        "rep.",
        "gen.",
        "jr.",
        "sr.",
        "jan.",
        "feb.",
        "mar.",
        "apr.",
        "jun.",
        "jul.",
        "aug.",
        "sep.",
        "sept.",
        "oct.",
        "nov.",
        "dec.",
        "e.g.",
        "i.e.",
        "etc.",
    ]
)


def _ends_sentence(tok: str, following: str) -> bool:
    core = tok.rstrip("\"')]")
    if not core.endswith((".", "!", "?")) or core.lower() in _ABBREVIATIONS:
        return False
    if re.fullmatch(r"(?:[A-Za-z]\.)+", core):  # an initial or U.S.
        return False
    return following[:1].isupper() or following[:1].isdigit() or following[:1] in "\"'("


def split_sentences(toks: Sequence[Tok]) -> tuple[tuple[Tok, ...], ...]:
    """Cut a paragraph's tokens into sentences (abbreviations and initials do not end one)."""
    sentences: list[tuple[Tok, ...]] = []
    start = 0
    for i in range(len(toks) - 1):
        if _ends_sentence(toks[i].text, toks[i + 1].text):
            sentences.append(tuple(toks[start : i + 1]))
            start = i + 1
    if start < len(toks):
        sentences.append(tuple(toks[start:]))
    return tuple(sentences)


def parse_blocks(text: str) -> tuple[Block, ...]:
    """Body paragraphs of a text (blank lines or indented lines start one); src = offsets."""
    bounds = [0]
    for gap in _PARAGRAPH_BREAK.finditer(text):
        bounds += [gap.start(), gap.end()]
    bounds.append(len(text))
    blocks = []
    for start, end in zip(bounds[::2], bounds[1::2], strict=True):
        toks = [Tok(m.group(), m.span()) for m in _WORDS.finditer(text, start, end)]
        if toks:
            blocks.append(Block("body", split_sentences(toks)))
    return tuple(blocks)


def _toks(text: str) -> tuple[Tok, ...]:
    return tuple(Tok(w) for w in text.split())


def _new_block(kind: str, text: str, label: str = "") -> Block:
    return Block(kind, (_toks(text),), label)


def _unsourced(blocks: Iterable[Block]) -> tuple[Block, ...]:
    def bare(sentence: tuple[Tok, ...]) -> tuple[Tok, ...]:
        return tuple(Tok(t.text, None, t.glue) for t in sentence)

    return tuple(replace(b, sentences=tuple(bare(s) for s in b.sentences)) for b in blocks)


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def _ngrams(text: str) -> set[tuple[str, ...]]:
    words = text.lower().split()
    return {tuple(words[i : i + NGRAM]) for i in range(len(words) - NGRAM + 1)}


# ---------------------------------------------------------------- rendering


class _Writer:
    """Writes tokens, hard-wrapping at a column, and remembers where each token went."""

    def __init__(self, wrap: int | None) -> None:
        self.parts: list[str] = []
        self.pos = 0
        self.col = 0
        self.wrap = wrap
        self.placed: list[tuple[Tok, int, int]] = []

    def write(self, text: str) -> None:
        self.parts.append(text)
        self.pos += len(text)
        newline = text.rfind("\n")
        self.col = len(text) - newline - 1 if newline >= 0 else self.col + len(text)

    def token(self, tok: Tok, first: bool) -> Tok:
        """Write one token; return it with ``src`` pointing at where it now is."""
        size = len(tok.text)  # tokens hold no newline
        if not first and not tok.glue:
            wraps = self.wrap is not None and self.col + 1 + size > self.wrap
            self.parts.append("\n" if wraps else " ")
            self.pos += 1
            self.col = 0 if wraps else self.col + 1
        start = self.pos
        self.parts.append(tok.text)
        self.pos += size
        self.col += size
        self.placed.append((tok, start, self.pos))
        return Tok(tok.text, (start, self.pos), tok.glue)


def _joins(run: list[int], tok: Tok, start: int, source: str) -> bool:
    """Does ``tok`` (written at ``start``) continue the copied run verbatim?"""
    assert tok.src is not None
    gap = source[run[3] : tok.src[0]]
    if tok.src[0] < run[3] or gap.strip():
        return False
    return (gap == "") == (start == run[1])  # glued in the source <=> glued here


def _copied_runs(placed: Sequence[tuple[Tok, int, int]], source: str) -> tuple[Run, ...]:
    """Maximal runs of consecutive tokens that copy consecutive source text."""
    runs: list[list[int]] = []
    last = -2
    for i, (tok, start, end) in enumerate(placed):
        if tok.src is None:
            continue
        if runs and last == i - 1 and _joins(runs[-1], tok, start, source):
            runs[-1][1], runs[-1][3] = end, tok.src[1]
        else:
            runs.append([start, end, tok.src[0], tok.src[1]])
        last = i
    return tuple((r[0], r[1], r[2], r[3]) for r in runs)


def render(blocks: Sequence[Block], source: str, wrap: int | None = None) -> Rendered:
    """Write blocks (paragraphs apart by a blank line), optionally hard-wrapped at ``wrap``."""
    writer = _Writer(wrap)
    rebased = []
    for i, block in enumerate(blocks):
        if i:
            writer.write("\n\n")
        first = True
        sentences = []
        for sentence in block.sentences:
            written = []
            for tok in sentence:
                written.append(writer.token(tok, first))
                first = False
            sentences.append(tuple(written))
        rebased.append(replace(block, sentences=tuple(sentences)))
    return Rendered("".join(writer.parts), tuple(rebased), _copied_runs(writer.placed, source))


# ---------------------------------------------------------------- word-level edits


HOUSE_STYLE = {
    "pct": "percent", "mln": "million", "bln": "billion", "dlrs": "dollars", "dlr": "dollar",
    "U.S.": "US", "U.K.": "UK", "vs": "versus", "Shr": "Share", "shr": "share",
    "qtr": "quarter", "avg": "average", "Jan": "January", "Feb": "February", "Aug": "August",
    "Sept": "September", "Oct": "October", "Nov": "November", "Dec": "December",
    "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
    "eight": "8", "nine": "9",
}  # fmt: skip
US_TO_UK = {
    "labor": "labour", "favor": "favour", "favorable": "favourable", "center": "centre",
    "program": "programme", "programs": "programmes", "defense": "defence", "analyze": "analyse",
    "behavior": "behaviour", "neighbor": "neighbour", "honor": "honour", "color": "colour",
    "traveled": "travelled", "canceled": "cancelled", "fulfill": "fulfil", "gray": "grey",
    "aluminum": "aluminium", "sulfur": "sulphur", "catalog": "catalogue", "offense": "offence",
    "labeled": "labelled", "modeling": "modelling", "jewelry": "jewellery",
}  # fmt: skip
UK_TO_US = {uk: us for us, uk in US_TO_UK.items()}
SYNONYMS = {
    "said": "noted", "rose": "climbed", "fell": "dropped", "company": "firm", "companies": "firms",
    "expected": "anticipated", "about": "around", "nearly": "almost", "almost": "nearly",
    "announced": "unveiled", "reported": "posted", "large": "big", "major": "key",
    "officials": "authorities", "agreement": "deal", "talks": "negotiations", "proposal": "plan",
    "purchase": "buy", "increase": "rise", "decline": "drop", "began": "started",
    "sharply": "steeply", "profit": "earnings", "help": "assist", "plans": "intends",
}  # fmt: skip
DROPPABLE = frozenset(
    ["also", "still", "now", "just", "very", "already", "currently", "further", "recently"]
)
_COMMON_CAPS = frozenset(
    [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "the",
        "this",
        "that",
        "there",
        "these",
    ]
)
_AFFIX = re.compile(r"^([\"'(\[]*)(.*?)([\"'),.;:!?\]]*)$", re.S)
_PUNCTUATION = "\"'()[],.;:!?"
_IZE = re.compile(r"(?<=[a-z]{3})iz(e|ed|es|ing|ation|ations|er|ers)$")
Change = Callable[[Tok, bool], str | None]  # (token, first in sentence) -> new text / "" drop


def _affixes(text: str) -> tuple[str, str, str]:
    found = _AFFIX.match(text)
    assert found is not None
    lead, core, trail = found.groups()
    return lead, core, trail


def _swap(text: str, table: dict[str, str]) -> str | None:
    """The token with its word replaced from ``table`` (punctuation kept), or None."""
    key = text.strip(_PUNCTUATION)
    if key not in table and key + "." not in table and key.lower() not in table:
        return None  # the fast path for most tokens
    lead, core, trail = _affixes(text)
    if trail.startswith(".") and core + "." in table:
        return lead + table[core + "."] + trail[1:]
    if core in table:
        return lead + table[core] + trail
    new = table.get(core.lower())
    if new and core[:1].isupper() and new.isalpha():
        return lead + new.capitalize() + trail
    return None


def _edit_sentence(
    sentence: tuple[Tok, ...], change: Change, rate: float, rng: random.Random
) -> tuple[Tok, ...]:
    out = []
    for i, tok in enumerate(sentence):
        new = change(tok, i == 0)
        if new is None or new == tok.text or rng.random() >= rate:
            out.append(tok)
        elif new:
            out.append(Tok(new, None, tok.glue))
    return tuple(out)


def _rewrite(blocks: tuple[Block, ...], ctx: Ctx, rate: float, change: Change) -> tuple[Block, ...]:
    """Content tokens replaced by ``change`` with probability ``rate`` ("" drops the token)."""
    if rate <= 0:
        return blocks
    out = []
    for block in blocks:
        if block.kind in CONTENT:
            edited = (_edit_sentence(s, change, rate, ctx.rng) for s in block.sentences)
            sentences = tuple(s for s in edited if s)
            if sentences:
                out.append(replace(block, sentences=sentences))
        else:
            out.append(block)
    return tuple(out)


def _per_form(ctx: Ctx, rate: float, change: Change) -> Change:
    """``change`` applied to every occurrence of a word form or to none, decided once per form
    with probability ``rate``: a house rule or a name's spelling is consistent in a text."""
    decided: dict[str, bool] = {}

    def consistent(tok: Tok, first: bool) -> str | None:
        new = change(tok, first)
        if new is None:
            return None
        form = tok.text.strip(_PUNCTUATION).lower()
        if form not in decided:
            decided[form] = ctx.rng.random() < rate
        return new if decided[form] else None

    return consistent


def house_style(blocks: tuple[Block, ...], ctx: Ctx) -> tuple[Block, ...]:
    """pct -> percent, mln -> million, U.S. -> US, Feb -> February, three -> 3, ..."""
    rate = RATES["house_style"](ctx.strength)
    change = _per_form(ctx, rate, lambda tok, _: _swap(tok.text, HOUSE_STYLE))
    return _rewrite(blocks, ctx, rate and 1.0, change)


def _respell(text: str, spelling: str) -> str | None:
    if spelling == "us":
        return _swap(text, UK_TO_US)
    lead, core, trail = _affixes(text)
    if core.islower() and _IZE.search(core):
        return lead + _IZE.sub(r"is\1", core) + trail
    return _swap(text, US_TO_UK)


def spelling_variants(blocks: tuple[Block, ...], ctx: Ctx) -> tuple[Block, ...]:
    """British or American spelling, as the outlet prefers (-ize/-ise, -or/-our, ...)."""
    rate = RATES["spelling"](ctx.strength)
    spelling = ctx.outlet.spelling
    change = _per_form(ctx, rate, lambda tok, _: _respell(tok.text, spelling))
    return _rewrite(blocks, ctx, rate and 1.0, change)


def name_variant(word: str) -> str | None:
    """Another transliteration of a proper name: Borisov -> Borissov, Dmitry -> Dmitri."""
    if len(word) < 5 or not word.isalpha() or not word[0].isupper() or word.isupper():
        return None
    if word.lower() in _COMMON_CAPS or re.search(r"(?:ean|ian|ese|ish)$", word):
        return None  # months, days, nationality adjectives
    for letter in "snlrt":  # a doubled consonant between vowels
        double = re.search(f"(?<=[aeiou]){letter}(?=[aeiou])", word[1:])
        if double:
            i = double.start() + 1
            return word[:i] + letter + word[i:]
    if word.endswith(("ov", "ev")):
        return word + "f"
    if re.search(r"[^aeiou]y$", word):
        return word[:-1] + "i"
    return None


def transliterate_names(blocks: tuple[Block, ...], ctx: Ctx) -> tuple[Block, ...]:
    """Respell some proper names, the same way throughout: capitalised words, not at the start
    of a sentence, that the corpus never writes in lower case (so not "Community")."""
    rate = RATES["transliteration"](ctx.strength)

    def change(tok: Tok, first: bool) -> str | None:
        if first or not tok.text.lstrip(_PUNCTUATION)[:1].isupper():
            return None
        lead, core, trail = _affixes(tok.text)
        variant = None if core.lower() in ctx.vocabulary else name_variant(core)
        return lead + variant + trail if variant else None

    return _rewrite(blocks, ctx, rate and 1.0, _per_form(ctx, rate, change))


def swap_synonyms(blocks: tuple[Block, ...], ctx: Ctx) -> tuple[Block, ...]:
    """said -> says, rose -> climbed, company -> firm, ..."""
    rate = RATES["synonyms"](ctx.strength)
    return _rewrite(blocks, ctx, rate, lambda tok, _: _swap(tok.text, SYNONYMS))


def drop_words(blocks: tuple[Block, ...], ctx: Ctx) -> tuple[Block, ...]:
    """Tighten: drop words like "also", "still", "currently" (not sentence-initial)."""
    rate = RATES["drop_words"](ctx.strength)
    return _rewrite(
        blocks, ctx, rate, lambda tok, first: "" if not first and tok.text in DROPPABLE else None
    )


# ---------------------------------------------------------------- structural edits


def trim_bottom(blocks: tuple[Block, ...], ctx: Ctx) -> tuple[Block, ...]:
    """Inverted pyramid: keep the first share of content sentences, share ~ U[keep_min, max]."""
    s = ctx.strength
    share = ctx.rng.uniform(RATES["keep_min"](s), RATES["keep_max"](s))
    total = sum(len(b.sentences) for b in blocks if b.kind in CONTENT)
    budget = max(1, math.ceil(share * total - 1e-9))
    out = []
    for block in blocks:
        if block.kind not in CONTENT:
            out.append(block)
            continue
        if budget > 0:
            out.append(replace(block, sentences=block.sentences[:budget]))
        budget -= len(block.sentences)
    return tuple(out)


def reorder_sentences(blocks: tuple[Block, ...], ctx: Ctx) -> tuple[Block, ...]:
    """Swap two adjacent sentences in some paragraphs (never in the lead paragraph)."""
    rate = RATES["reorder"](ctx.strength)
    out: list[Block] = []
    after_lead = False
    for block in blocks:
        swap = block.kind in CONTENT and after_lead and len(block.sentences) > 1
        after_lead = after_lead or block.kind in CONTENT
        if swap and ctx.rng.random() < rate:
            i = ctx.rng.randrange(len(block.sentences) - 1)
            s = list(block.sentences)
            s[i], s[i + 1] = s[i + 1], s[i]
            out.append(replace(block, sentences=tuple(s)))
        else:
            out.append(block)
    return tuple(out)


def _local_sentences(ctx: Ctx, story_id: str) -> tuple[tuple[Tok, ...], ...]:
    """1-3 consecutive sentences of another story, none of them found in the source."""
    for _ in range(10):
        story = ctx.rng.choice(ctx.pool)
        if story.id == story_id:
            continue
        sentences = [s for b in parse_blocks(story.text) for s in b.sentences]
        start = ctx.rng.randrange(len(sentences))
        chosen = sentences[start : start + ctx.rng.randint(1, 3)]
        texts = [" ".join(t.text for t in s) for s in chosen]
        if all(_norm(t) not in ctx.source_norm and not _ngrams(t) & ctx.avoid for t in texts):
            return tuple(_toks(t) for t in texts)
    return ()


def add_local_paragraphs(blocks: tuple[Block, ...], ctx: Ctx) -> tuple[Block, ...]:
    """Local angle: paragraphs of real text from other stories, after the lead."""
    if ctx.rng.random() >= RATES["local"](ctx.strength):
        return blocks
    out = list(blocks)
    for _ in range(1 + (ctx.rng.random() < ctx.strength)):
        sentences = _local_sentences(ctx, ctx.story_id)
        if sentences:
            out.insert(ctx.rng.randint(1, max(1, len(out))), Block("local", sentences))
    return tuple(out)


# ---------------------------------------------------------------- furniture


OUTLET_NAMES = (
    "The Daily Ledger", "Northgate Herald", "Riverside Courier", "Metro Business Times",
    "Capital Gazette Online", "Harbour City News", "The Financial Sentinel", "Lakeshore Tribune",
    "Pacific Wire Review", "The Morning Chronicle", "Midland Observer", "Commodities Weekly",
    "The Global Markets Journal", "Eastbridge Examiner", "Valley Press", "The Evening Post",
)  # fmt: skip
AGGREGATOR_NAMES = (
    "NewsNow Digest", "TopStories Hub", "MarketPulse", "DailyBrief", "Headline Harvest",
)  # fmt: skip
CITIES = (
    "LONDON", "NEW YORK", "WASHINGTON", "TOKYO", "CHICAGO", "FRANKFURT", "PARIS", "SYDNEY",
    "HONG KONG", "TORONTO", "BRUSSELS", "SINGAPORE",
)  # fmt: skip
FIRST_NAMES = (
    "Jane", "John", "Maria", "David", "Aisha", "Peter", "Sofia", "Kenji", "Laura", "Ahmed",
    "Claire", "Tomasz", "Nadia", "Robert", "Elena", "Samuel",
)  # fmt: skip
LAST_NAMES = (
    "Doe", "Hartley", "Okafor", "Lindqvist", "Moreau", "Tanaka", "Brennan", "Kowalski",
    "Haddad", "Fischer", "Alvarez", "Whitfield", "Novak", "Chen", "Sutherland", "Patel",
)  # fmt: skip
CAPTIONS = (
    "Traders work on the floor of the exchange", "A file photo of the company's headquarters",
    "Containers are stacked at a port terminal", "The central bank building at dusk",
    "Workers inspect the harvest at a farm", "Delegates arrive for the meeting",
    "An oil refinery at night", "Shoppers walk past a bank branch",
    "A cargo ship is loaded at the docks", "The skyline of the financial district",
)  # fmt: skip
COOKIES = (
    "We use cookies to personalise content and ads and to analyse our traffic. By continuing to "
    "browse this site you agree to our use of cookies. Accept | Manage preferences",
    "This website uses cookies to improve your experience. Read our cookie policy to find out "
    "more. OK, got it",
    "Cookies help us deliver our services. By using our services, you agree to our use of "
    "cookies. Learn more | Accept",
)
NEWSLETTERS = (
    "Subscribe to our newsletter: the day's top business stories from {name}, in your inbox "
    "every morning.",
    "Sign up for our morning briefing from {name}. Enter your email address to get our "
    "headlines every weekday.",
    "Get {name} alerts: subscribe to our free daily newsletter.",
)
FOOTERS = (
    "© {name}. All rights reserved. https://www.{domain}/terms | https://www.{domain}/privacy | "
    "Contact us",
    "Copyright {name}. Reproduction without permission is prohibited. Visit "
    "https://www.{domain}/ for more.",
    "{name} | About us | Advertise with us | Careers | https://www.{domain}/contact",
)
AGGREGATOR_FOOTERS = (
    "{name} collects headlines from around the web. https://{domain}/about | Report a problem",
    "Powered by {name}. Content belongs to its original publishers. https://{domain}/",
)
SHARE = "Share this article: Facebook | Twitter | LinkedIn | Email"
HEADLINES = ("{t}", "{t}", "{t}", "{t}, sources say", "{t}: what we know", "UPDATE - {t}",
             "{t} - analysis")  # fmt: skip
_ACRONYMS = frozenset(
    ["us", "uk", "ec", "eec", "opec", "gatt", "imf", "icco", "usda", "ccc", "sec", "gnp", "gdp",
     "ussr", "nyse", "ldc", "fed"]
)  # fmt: skip
_SMALL_WORDS = frozenset(
    ["a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "the", "to", "vs", "with"]
)


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def _slug(text: str) -> str:
    return "-".join(re.findall(r"[a-z0-9]+", text.lower())[:6]) or "story"


def _title_word(word: str, first: bool) -> str:
    low = word.lower()
    if any(c.isdigit() for c in word) or "." in word or low in _ACRONYMS:
        return word
    if not first and low in _SMALL_WORDS:
        return low
    return "-".join(part.capitalize() for part in word.split("-"))


def title_case(title: str) -> str:
    """A wire title as a headline: tickers and slugs removed, upper case made Title Case."""
    title = re.sub(r"<[^>]*>", "", title)
    title = re.sub(r"^[A-Z ]+/(?=[A-Z])", "", title)
    title = re.sub(r"\s+(?=[,;:])", "", title)
    if not title.isupper():
        return " ".join(title.split())
    return " ".join(_title_word(w, i == 0) for i, w in enumerate(title.split()))


def _headline_text(title: str, rng: random.Random, templates: Sequence[str]) -> str:
    cased = title_case(title)
    if not cased:
        return rng.choice(("Business news in brief", "Markets: the latest", "Today's briefing"))
    return rng.choice(templates).format(t=cased)


def _marked(toks: tuple[Tok, ...], opening: str, closing: str) -> tuple[Tok, ...]:
    """Tokens inside markup: opening and closing glued to the first and last token."""
    return (Tok(opening), replace(toks[0], glue=True), *toks[1:], Tok(closing, glue=True))


def _headline_block(text: str, markup: str | None) -> Block:
    toks = _toks(text)
    if markup == "markdown":
        toks = (Tok("#"), *toks)
    elif markup == "html":
        toks = _marked(toks, "<h1>", "</h1>")
    return Block("headline", (toks,))


def _other_headline(ctx: Ctx) -> str:
    """The headline of another story (for "Related article" lines)."""
    for _ in range(5):
        title = ctx.rng.choice(ctx.headlines) if ctx.headlines else ""
        if title and title != ctx.title:
            return title_case(title)
    return "More business news"


def _inline_item(ctx: Ctx) -> Block:
    rng, outlet = ctx.rng, ctx.outlet
    kind = rng.choice(("caption", "related", "related", "readmore", "advert"))
    other = _other_headline(ctx)
    text = {
        "caption": f"Photo: {rng.choice(CAPTIONS)}. ({_person(rng)}/{outlet.name})",
        "related": f"Related article: {other}",
        "readmore": f"Read more: {other} https://www.{outlet.domain}/news/{_slug(other)}",
        "advert": "Advertisement",
    }[kind]
    return _new_block("furniture", text, kind)


def add_furniture(blocks: tuple[Block, ...], ctx: Ctx) -> tuple[Block, ...]:
    """Captions, "Related article" lines, adverts between paragraphs (more at higher strength)."""
    out = list(blocks)
    for _ in range(ctx.rng.randint(0, int(RATES["inline_furniture"](ctx.strength)))):
        out.insert(ctx.rng.randint(1, max(1, len(out))), _inline_item(ctx))
    return tuple(out)


def add_dateline(blocks: tuple[Block, ...], ctx: Ctx) -> tuple[Block, ...]:
    """Agency-style outlets open the lead with "LONDON, March 3 (Reuters) -"."""
    lead = next((i for i, b in enumerate(blocks) if b.kind == "body"), None)
    if ctx.outlet.byline == "staff" or lead is None:
        return blocks
    day = f"{ctx.when:%B} {ctx.when.day}"
    prefix = ctx.rng.choice(
        (f"{ctx.city}, {day} (Reuters) -", f"{ctx.city} (Reuters) -", f"{ctx.city}, {day} -")
    )
    first = (*_toks(prefix), *blocks[lead].sentences[0])
    block = replace(blocks[lead], sentences=(first, *blocks[lead].sentences[1:]))
    return (*blocks[:lead], block, *blocks[lead + 1 :])


def add_byline(blocks: tuple[Block, ...], ctx: Ctx) -> tuple[Block, ...]:
    """A staff byline on top, or a Reuters-style credit line after the story."""
    rng, outlet = ctx.rng, ctx.outlet
    if outlet.byline == "agency":
        last = max((i for i, b in enumerate(blocks) if b.kind in CONTENT), default=len(blocks) - 1)
        credit = _new_block(
            "furniture", f"(Reporting by {_person(rng)}; Editing by {_person(rng)})", "credit"
        )
        return (*blocks[: last + 1], credit, *blocks[last + 1 :])
    if outlet.byline == "staff":
        text = f"By {_person(rng)}, Staff Writer"
    else:
        text = f"By {_person(rng)} and {_person(rng)} | {outlet.name}"
    return (_new_block("byline", text), *blocks)


def add_headline(blocks: tuple[Block, ...], ctx: Ctx) -> tuple[Block, ...]:
    """A new headline on top, from the wire title (house markup: "# " or <h1>)."""
    text = _headline_text(ctx.title, ctx.rng, HEADLINES)
    return (_headline_block(text, ctx.outlet.markup), *blocks)


def add_site_chrome(blocks: tuple[Block, ...], ctx: Ctx) -> tuple[Block, ...]:
    """The outlet's fixed page furniture: cookie banner, newsletter box, share line, footer."""
    outlet = ctx.outlet
    top = [_new_block("furniture", outlet.cookie, "cookie")] if outlet.cookie else []
    bottom = [_new_block("furniture", outlet.newsletter, "newsletter")] if outlet.newsletter else []
    if ctx.rng.random() < 0.5:
        bottom.append(_new_block("furniture", SHARE, "share"))
    bottom.append(_new_block("furniture", outlet.footer, "footer"))
    return (*top, *blocks, *bottom)


def _markup_run(block: Block, ctx: Ctx) -> Block:
    """Bold or link 1-3 plain words of one sentence, in the outlet's markup."""
    k = ctx.rng.randrange(len(block.sentences))
    sentence = block.sentences[k]
    size = ctx.rng.randint(1, 3)
    starts = [i for i in range(len(sentence) - size + 1) if _plain(sentence, i, size)]
    if not starts:
        return block
    i = ctx.rng.choice(starts)
    words = " ".join(t.text for t in sentence[i : i + size])
    url = f"https://www.{ctx.outlet.domain}/topic/{_slug(words)}"
    pairs = {
        "markdown": (("**", "**"), ("[", f"]({url})")),
        "html": (("<b>", "</b>"), (f'<a href="{url}">', "</a>")),
    }[ctx.outlet.markup or "markdown"]
    opening, closing = ctx.rng.choice(pairs)
    marked = _marked(sentence[i : i + size], opening, closing)
    new = (*sentence[:i], *marked, *sentence[i + size :])
    return replace(block, sentences=(*block.sentences[:k], new, *block.sentences[k + 1 :]))


def _plain(sentence: tuple[Tok, ...], i: int, size: int) -> bool:
    run = sentence[i : i + size]
    after = sentence[i + size] if i + size < len(sentence) else None
    words = all(re.fullmatch(r"[A-Za-z][A-Za-z'-]*", t.text) and not t.glue for t in run)
    return words and not (after is not None and after.glue)


def add_markup(blocks: tuple[Block, ...], ctx: Ctx) -> tuple[Block, ...]:
    """Markup outlets bold or link a few phrases (**bold**, [text](url), <b>, <a href>)."""
    if ctx.outlet.markup is None:
        return blocks
    out = list(blocks)
    content = [i for i, b in enumerate(out) if b.kind in CONTENT]
    for _ in range(ctx.rng.randint(0, int(RATES["inline_markup"](ctx.strength)))):
        if content:
            i = ctx.rng.choice(content)
            out[i] = _markup_run(out[i], ctx)
    return tuple(out)


# ---------------------------------------------------------------- aggregators


KEEP_CHANCE = {
    "headline": 0.7, "byline": 0.3, "related": 0.6, "readmore": 0.4, "caption": 0.5,
    "credit": 0.5, "advert": 0.1, "cookie": 0.1, "newsletter": 0.2, "share": 0.1, "footer": 0.2,
}  # fmt: skip


def strip_furniture(blocks: tuple[Block, ...], ctx: Ctx) -> tuple[Block, ...]:
    """Drop most of the outlet's furniture; what is kept (its headline, a "Related article"
    line) is the outlet's innovation carried along: evidence for lineage. Noted in ctx.kept."""
    out = []
    for block in blocks:
        name = block.label or block.kind
        if block.kind in CONTENT or ctx.rng.random() < KEEP_CHANCE.get(name, 0.3):
            out.append(block)
            if block.kind not in CONTENT:
                ctx.kept.append(name)
    return tuple(out)


def retitle(blocks: tuple[Block, ...], ctx: Ctx) -> tuple[Block, ...]:
    """Keep the outlet's headline (sometimes with "| via Outlet"), or write a new one."""
    at = next((i for i, b in enumerate(blocks) if b.kind == "headline"), None)
    via = ctx.source_outlet.name if ctx.source_outlet else "the wire"
    if at is None:
        text = _headline_text(ctx.title, ctx.rng, ("{t} | " + ctx.outlet.name,))
        return (_headline_block(text, ctx.outlet.markup), *blocks)
    if ctx.rng.random() < 0.5:
        return blocks
    head = blocks[at]
    sentence = (*head.sentences[0], *_toks(f"| via {via}"))
    return (*blocks[:at], replace(head, sentences=(sentence,)), *blocks[at + 1 :])


def add_attribution(blocks: tuple[Block, ...], ctx: Ctx) -> tuple[Block, ...]:
    """Credit the outlet the aggregator took the story from, on top or at the bottom."""
    src = ctx.source_outlet
    if src is None:
        return blocks
    line = _new_block("furniture", ctx.rng.choice((
        f"Source: {src.name}. This story first appeared at https://www.{src.domain}/news/"
        f"{_slug(title_case(ctx.title))}",
        f"Originally published by {src.name}.",
    )), "attribution")  # fmt: skip
    return (line, *blocks) if ctx.rng.random() < 0.5 else (*blocks, line)


def add_aggregator_chrome(blocks: tuple[Block, ...], ctx: Ctx) -> tuple[Block, ...]:
    """The aggregator's own page: a "Trending on ..." line and its footer."""
    bottom = [_new_block("furniture", ctx.outlet.footer, "footer")]
    if ctx.rng.random() < 0.6:
        other = _other_headline(ctx)
        trending = f"Trending on {ctx.outlet.name}: {other}"
        bottom.insert(0, _new_block("furniture", trending, "trending"))
    return (*blocks, *bottom)


Edit = Callable[[tuple[Block, ...], Ctx], tuple[Block, ...]]
OUTLET_PIPELINE: tuple[tuple[str, Edit], ...] = (
    ("trim", trim_bottom),
    ("reorder_sentences", reorder_sentences),
    ("house_style", house_style),
    ("spelling", spelling_variants),
    ("transliteration", transliterate_names),
    ("synonyms", swap_synonyms),
    ("drop_words", drop_words),
    ("local_paragraphs", add_local_paragraphs),
    ("dateline", add_dateline),
    ("furniture", add_furniture),
    ("byline", add_byline),
    ("headline", add_headline),
    ("site_chrome", add_site_chrome),
    ("markup", add_markup),
)
AGGREGATOR_PIPELINE: tuple[tuple[str, Edit], ...] = (
    ("strip_furniture", strip_furniture),
    ("trim", trim_bottom),
    ("house_style", house_style),
    ("spelling", spelling_variants),
    ("synonyms", swap_synonyms),
    ("drop_words", drop_words),
    ("attribution", add_attribution),
    ("headline", retitle),
    ("site_chrome", add_aggregator_chrome),
    ("markup", add_markup),
)
BODY_EDITS = frozenset(
    [
        "trim",
        "reorder_sentences",
        "house_style",
        "spelling",
        "transliteration",
        "synonyms",
        "drop_words",
        "local_paragraphs",
        "markup",
    ]
)  # the edits that change copied text; the others only add furniture or wrap lines


def _derive(
    source: Rendered, pipeline: Sequence[tuple[str, Edit]], ctx: Ctx
) -> tuple[Rendered, list[str]]:
    """Run the edits over the source's blocks; the names of those that changed something."""
    blocks, edits = source.blocks, []
    for name, edit in pipeline:
        edited = edit(blocks, ctx)
        if edited != blocks:
            edits.append(name)
        blocks = edited
    if ctx.outlet.wrap:
        edits.append("hard_wrap")
    return render(blocks, source.text, ctx.outlet.wrap), edits


# ---------------------------------------------------------------- corpus


def _outlet(name: str, aggregator: bool, rng: random.Random) -> Outlet:
    domain = re.sub(r"[^a-z0-9]", "", name.lower().removeprefix("the "))
    domain += ".io" if aggregator else ".com"
    footers = AGGREGATOR_FOOTERS if aggregator else FOOTERS
    return Outlet(
        name=name,
        domain=domain,
        aggregator=aggregator,
        byline=rng.choice(("staff", "agency", "both")),
        spelling=rng.choice(("us", "us", "uk")),
        markup=rng.choice((None, None, "markdown", "html")),
        wrap=rng.randint(60, 100) if rng.random() < 0.3 else None,
        cookie=None if aggregator or rng.random() < 0.4 else rng.choice(COOKIES),
        newsletter=None
        if aggregator or rng.random() < 0.4
        else rng.choice(NEWSLETTERS).format(name=name),
        footer=rng.choice(footers).format(name=name, domain=domain),
    )


def _wire_time(story: Story, rng: random.Random) -> datetime:
    try:
        day = datetime.fromisoformat(story.date[:10])
    except ValueError:
        day = datetime(1987, 3, 2)
    return day + timedelta(hours=rng.randint(6, 20), minutes=rng.randint(0, 59))


def _delay(rng: random.Random, hours: int) -> timedelta:
    """Minutes to hours later, and with chance 0.2 one to three days more."""
    minutes = rng.randint(15, hours * 60)
    if rng.random() < 0.2:
        minutes += rng.randint(1, 3) * 24 * 60
    return timedelta(minutes=minutes)


@dataclass(frozen=True)
class _Env:
    seed: int
    strength: float
    outlets: tuple[Outlet, ...]
    aggregators: tuple[Outlet, ...]
    headlines: tuple[str, ...]
    pool: tuple[Story, ...]
    avoid: set[tuple[str, ...]]
    vocabulary: frozenset[str]

    def ctx(self, rng: random.Random, story: Story, outlet: Outlet, **extra: Any) -> Ctx:
        return Ctx(
            rng=rng, strength=extra.pop("strength", self.strength), outlet=outlet,
            title=story.title, city=extra.pop("city"), when=extra.pop("when"),
            headlines=self.headlines, pool=self.pool,
            avoid=self.avoid, source_norm=extra.pop("source_norm", ""), story_id=story.id,
            vocabulary=self.vocabulary,
            **extra,
        )  # fmt: skip


def _aggregate(parent: _Doc, rendered: Rendered, ctx: Ctx) -> _Doc:
    derived, edits = _derive(rendered, AGGREGATOR_PIPELINE, ctx)
    return _Doc(
        f"a:{parent.key}:{ctx.outlet.name}",
        derived.text,
        parent.when + _delay(ctx.rng, 36),
        ctx.outlet.name,
        "aggregator",
        parent.family,
        parent.key,
        edits,
        derived.runs,
        list(ctx.kept),
    )


def _family(story: Story, env: _Env) -> list[_Doc]:
    """The wire story, its outlet versions and their aggregations."""
    rng = random.Random(f"{env.seed}:story:{story.id}")
    when, city = _wire_time(story, rng), rng.choice(CITIES)
    wire = _Doc(f"w:{story.id}", story.text, when, "Reuters", "wire", story.id)
    source = Rendered(story.text, parse_blocks(story.text))
    norm = _norm(story.text)
    aggregators = list(env.aggregators)
    rng.shuffle(aggregators)
    docs = [wire]
    for outlet in rng.sample(env.outlets, rng.randint(2, min(6, len(env.outlets)))):
        ctx = env.ctx(rng, story, outlet, city=city, when=when, source_norm=norm)
        rendered, edits = _derive(source, OUTLET_PIPELINE, ctx)
        doc = _Doc(
            f"o:{story.id}:{outlet.name}",
            rendered.text,
            when + _delay(rng, 12),
            outlet.name,
            "outlet",
            story.id,
            wire.key,
            edits,
            rendered.runs,
        )
        docs.append(doc)
        if aggregators and rng.random() < AGGREGATION_CHANCE:
            agg_ctx = env.ctx(
                rng,
                story,
                aggregators.pop(),
                city=city,
                when=when,
                source_outlet=outlet,
                strength=env.strength * AGGREGATOR_DAMPING,
                source_norm=_norm(rendered.text),
            )
            docs.append(_aggregate(doc, rendered, agg_ctx))
    return docs


def _distractor(story: Story, env: _Env) -> _Doc:
    """An unrelated story, once: as the wire sent it, or lightly wrapped by an outlet."""
    rng = random.Random(f"{env.seed}:distractor:{story.id}")
    when, key = _wire_time(story, rng), f"d:{story.id}"
    if rng.random() < 0.3:
        return _Doc(key, story.text, when, "Reuters", "distractor", story.id)
    outlet = rng.choice(env.outlets)
    ctx = env.ctx(rng, story, outlet, city=rng.choice(CITIES), when=when, strength=0.0)
    bare = Rendered(story.text, _unsourced(parse_blocks(story.text)))
    rendered, _ = _derive(bare, OUTLET_PIPELINE, ctx)
    return _Doc(key, rendered.text, when + _delay(rng, 12), outlet.name, "distractor", story.id)


def _vocabulary(stories: Iterable[Story]) -> frozenset[str]:
    """The words the stories write in lower case (punctuation stripped)."""
    words = (w.strip(_PUNCTUATION) for s in stories for w in s.text.split())
    return frozenset(w for w in words if w[:1].islower())


def _select(
    stories: Sequence[Story], need: int, rng: random.Random
) -> tuple[list[Story], list[Story], set[tuple[str, ...]]]:
    """``need`` stories sharing (almost) no word 8-gram, the others, and the chosen 8-grams."""
    order = list(stories)
    rng.shuffle(order)
    chosen: list[Story] = []
    rest: list[Story] = []
    taken: set[tuple[str, ...]] = set()
    for story in order:
        if len(chosen) < need:
            grams = _ngrams(story.text)
            if grams and len(grams & taken) <= 0.05 * len(grams):
                chosen.append(story)
                taken |= grams
                continue
        rest.append(story)
    if len(chosen) < need:
        raise ValueError(f"need {need} distinct stories, found {len(chosen)} of {len(order)}")
    return chosen, rest, taken


def _row(doc: _Doc, ids: dict[str, str]) -> dict[str, str]:
    return {
        "id": ids[doc.key], "text": doc.text, "date": doc.when.isoformat(), "outlet": doc.outlet,
    }  # fmt: skip


def _edge(doc: _Doc, ids: dict[str, str]) -> dict[str, Any]:
    assert doc.source is not None
    return {
        "source": ids[doc.source], "target": ids[doc.key], "kind": doc.role, "edits": doc.edits,
        "kept_furniture": doc.kept,
    }  # fmt: skip


def _truth(docs: list[_Doc], ids: dict[str, str], params: dict[str, Any]) -> dict[str, Any]:
    ordered = sorted(docs, key=lambda d: ids[d.key])
    derived = [d for d in ordered if d.source is not None]
    wire = [ids[d.key] for d in ordered if d.role == "wire"]
    dropped = bool(params["drop_wire"])
    return {
        "schema": SCHEMA,
        "parameters": params,
        "roles": {ids[d.key]: d.role for d in ordered},
        "families": {ids[d.key]: d.family for d in ordered},
        "edges": [_edge(d, ids) for d in derived],
        "wire": {"ids": wire, "dropped": wire if dropped else []},
        "latent": [_row(d, ids) for d in ordered if dropped and d.role == "wire"],
        "spans": {ids[d.key]: [[r[0], r[1]] for r in d.runs] for d in derived},
        "source_spans": {ids[d.key]: [[r[2], r[3]] for r in d.runs] for d in derived},
    }


def simulate(
    stories: Sequence[Story],
    *,
    n_stories: int,
    n_distractors: int,
    strength: float,
    seed: int,
    drop_wire: bool = False,
) -> SimulatedCorpus:
    """A syndicated corpus from ``stories`` and its truth (see the module doc)."""
    if not 0.0 <= strength <= 1.0:
        raise ValueError(f"strength must be in [0, 1], not {strength}")
    select_rng = random.Random(f"{seed}:select")
    chosen, rest, taken = _select(stories, n_stories + n_distractors, select_rng)
    outlet_rng = random.Random(f"{seed}:outlets")
    env = _Env(
        seed, strength,
        tuple(_outlet(name, False, outlet_rng) for name in OUTLET_NAMES),
        tuple(_outlet(name, True, outlet_rng) for name in AGGREGATOR_NAMES),
        tuple(s.title for s in chosen if s.title),
        tuple(rest) or tuple(chosen),  # local paragraphs: stories left out, if there are any
        taken if rest else set(),
        _vocabulary(chosen),
    )  # fmt: skip
    docs = [d for s in chosen[:n_stories] for d in _family(s, env)]
    docs += [_distractor(s, env) for s in chosen[n_stories:]]
    shuffled = docs[:]
    random.Random(f"{seed}:ids").shuffle(shuffled)
    width = max(5, len(str(len(docs))))
    ids = {d.key: f"doc{i:0{width}d}" for i, d in enumerate(shuffled)}
    params = {"stories": n_stories, "distractors": n_distractors, "strength": strength,
              "seed": seed, "drop_wire": drop_wire}  # fmt: skip
    documents = [_row(d, ids) for d in shuffled if not (drop_wire and d.role == "wire")]
    return SimulatedCorpus(documents, _truth(docs, ids, params))


# ---------------------------------------------------------------- command line


def _strength(text: str) -> float:
    value = float(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"strength must be in [0, 1], not {text}")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--reuters", type=Path, help="folder with Reuters-21578 reut2-*.sgm")
    source.add_argument("--source", type=Path, help="JSONL stories: id, text (date, title)")
    parser.add_argument("--stories", type=int, default=200, help="wire stories to syndicate")
    parser.add_argument("--distractors", type=int, default=1000, help="unrelated stories")
    parser.add_argument("--strength", type=_strength, default=0.5, help="edit strength, 0-1")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--drop-wire", action="store_true", help="keep wire texts out")
    parser.add_argument("--out", type=Path, required=True, help="writes corpus.jsonl, truth.json")
    parser.add_argument("--pan", type=int, metavar="N",
                        help="instead: N PAN-style pairs per obfuscation (benchmarks/pan_cases.py)")
    return parser


def _write_pan(stories: Sequence[Story], args: argparse.Namespace) -> int:
    """PAN-style planted passages instead of a syndicated corpus (see pan_cases.py)."""
    if args.pan < 1:
        raise ValueError(f"--pan needs at least 1 pair per obfuscation, not {args.pan}")
    pairs = plant_pan_cases(stories, args.pan, args.seed)
    parameters = {"pairs_per_type": args.pan, "seed": args.seed,
                  "source": str(args.reuters or args.source)}  # fmt: skip
    write_pan(pairs, args.out, parameters)
    cases = sum(len(p.cases) for p in pairs)
    print(f"wrote {len(pairs)} pairs with {cases} cases to {args.out}", file=sys.stderr)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.reuters is not None:
            stories = load_reuters_stories(args.reuters)
        else:
            stories = load_jsonl_stories(args.source)
        if args.pan is not None:
            return _write_pan(stories, args)
        corpus = simulate(
            stories, n_stories=args.stories, n_distractors=args.distractors,
            strength=args.strength, seed=args.seed, drop_wire=args.drop_wire,
        )  # fmt: skip
    except (OSError, ValueError, KeyError) as error:
        print(f"simulate: {error}", file=sys.stderr)
        return 1
    corpus.truth["parameters"]["source"] = str(args.reuters or args.source)
    corpus.write(args.out)
    roles = list(corpus.truth["roles"].values())
    print(
        f"wrote {len(corpus.documents)} documents to {args.out}: "
        + ", ".join(f"{roles.count(r)} {r}" for r in ("wire", "outlet", "aggregator", "distractor"))
        + (" (wire dropped)" if args.drop_wire else ""),
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
