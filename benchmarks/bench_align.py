"""dedup.align against difflib.SequenceMatcher: time and quality on the same pairs.

    python benchmarks/bench_align.py              # every section (about 5 minutes)
    python benchmarks/bench_align.py --quick      # smaller sizes, no 1 MB cases
    python benchmarks/bench_align.py --section sim --section seeds

Sections:

- ``seeds``: the seed pairs of ../shared/design/seeds-truth.md: share of each text found in
  shared passages, and time.
- ``synthetic``: 10,000-word pairs built from Reuters-21578 bodies, where which characters were
  copied is known by construction (an edited copy with shuffled paragraphs, a copy with 20 %
  of its words edited, passages planted in another story, an unrelated story).
- ``sim``: the syndication simulator (benchmarks/simulate.py) at edit strengths 0, 0.5, 1: each
  derived document against its source, scored on the simulator's truth spans.
- ``scale``: pathological inputs, each run in a fresh process for its time and peak memory
  (difflib gets the same inputs, and is stopped after a time limit).
- ``sentences``: sentence mode on ECB+ pairs: unrelated topics, same topic but another event,
  same event (independent write-ups).

Quality is character-level precision, recall and F1 of "copied" characters (white space not
counted), on both texts of a pair. dedup predicts the characters of the equal runs inside its
passages; difflib those of its matching blocks of at least 3 words (the anchor size; shorter
blocks are chance matches of common words). Both read the same normalised words, and the times
exclude normalisation. The ratio printed is difflib's time over dedup's.
"""

from __future__ import annotations

import argparse
import csv
import difflib
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pan_cases import OBFUSCATIONS
from plagdet import Plagdet, Range2

import dedup
from dedup.alignment import align_normalized
from dedup.model import AlignMode, EditOp, NormalizedText

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data"
SEEDS = REPO / "seeds"
MIN_BLOCK = 3
DIFFLIB_LIMIT = 60  # seconds, in the scale section
Spans = list[tuple[int, int]]
Row = dict[str, Any]


# --- the two aligners on one pair ----------------------------------------------------------------


class Side:
    """One text of a pair, normalised once."""

    def __init__(self, doc_id: str, text: str) -> None:
        self.id, self.text = doc_id, text
        self.words: NormalizedText = dedup.normalize(text)


#: Two texts and the truth: the copied character ranges in each.
Case = tuple[Side, Side, tuple[Spans, Spans]]


def run_dedup(a: Side, b: Side, mode: AlignMode = AlignMode.PASSAGES) -> tuple[float, Spans, Spans]:
    """Seconds, and the copied character ranges dedup finds in A and in B."""
    started = time.perf_counter()
    alignment = align_normalized((a.id, a.text, a.words), (b.id, b.text, b.words), mode=mode)
    seconds = time.perf_counter() - started
    # getattr: the bench also runs against versions before Passage.moved (see docs/diff.md).
    edits = [e for p in alignment.passages for e in (*p.edits, *getattr(p, "moved", ()))]
    equal = [e for e in edits if e.op is EditOp.EQUAL]
    spans_a = [(e.a_span.start, e.a_span.end) for e in equal]
    return seconds, spans_a, [(e.b_span.start, e.b_span.end) for e in equal]


def run_difflib(a: Side, b: Side) -> tuple[float, Spans, Spans]:
    """Seconds, and the ranges of difflib's matching blocks of at least MIN_BLOCK words."""
    started = time.perf_counter()
    blocks = difflib.SequenceMatcher(None, a.words.tokens, b.words.tokens).get_matching_blocks()
    seconds = time.perf_counter() - started
    kept = [block for block in blocks if block.size >= MIN_BLOCK]
    spans_a = [(a.words.spans[k.a].start, a.words.spans[k.a + k.size - 1].end) for k in kept]
    spans_b = [(b.words.spans[k.b].start, b.words.spans[k.b + k.size - 1].end) for k in kept]
    return seconds, spans_a, spans_b


# --- character-level scores ----------------------------------------------------------------------


def _mask(text: str, spans: Spans) -> np.ndarray:
    marked = np.zeros(len(text), dtype=bool)
    for start, end in spans:
        marked[start:end] = True
    visible = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    spaces = np.isin(visible, [ord(c) for c in " \t\n\r\u00a0"])
    return marked & ~spaces


class Tally:
    """Copied characters: true positives, false positives, misses; and seconds."""

    def __init__(self) -> None:
        self.counts = np.zeros(3, dtype=np.int64)
        self.seconds = 0.0

    def add(
        self, texts: tuple[str, str], found: tuple[Spans, Spans], truth: tuple[Spans, Spans]
    ) -> None:
        for text, predicted, actual in zip(texts, found, truth, strict=True):
            p, t = _mask(text, predicted), _mask(text, actual)
            self.counts += [int(np.sum(p & t)), int(np.sum(p & ~t)), int(np.sum(~p & t))]

    def prf(self) -> tuple[float, float, float]:
        tp, fp, fn = (int(x) for x in self.counts)
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return precision, recall, f1


def compare(pairs: Sequence[Case]) -> tuple[Tally, Tally]:
    """Both aligners on the same pairs, scored against the truth spans of each pair."""
    ours, theirs = Tally(), Tally()
    for a, b, truth in pairs:
        for tally, method in ((ours, run_dedup), (theirs, run_difflib)):
            seconds, found_a, found_b = method(a, b)
            tally.seconds += seconds
            tally.add((a.text, b.text), (found_a, found_b), truth)
    return ours, theirs


def quality_row(name: str, ours: Tally, theirs: Tally) -> str:
    ratio = theirs.seconds / ours.seconds if ours.seconds else float("nan")
    return (
        f"{name:<38} {_scores(ours)} {ours.seconds:7.3f}s | "
        f"{_scores(theirs)} {theirs.seconds:7.3f}s | x{ratio:5.1f}"
    )


def _scores(tally: Tally) -> str:
    tp, fp, fn = (int(x) for x in tally.counts)
    if tp + fn == 0:  # nothing to find: say how much was claimed anyway
        return f"{'claimed ' + str(fp) + ' chars':>17}"
    return "{:5.3f} {:5.3f} {:5.3f}".format(*tally.prf())


QUALITY_HEADER = (
    f"{'pairs':<38} {'dedup P':>7} {'R':>3} {'F1':>5} {'time':>8} | "
    f"{'difflib P':>9} {'R':>3} {'F1':>5} {'time':>8} | difflib/dedup time"
)


# --- text sources --------------------------------------------------------------------------------


def reuters_paragraphs(limit: int) -> list[list[str]]:
    """Word lists, one per Reuters body (or seed paragraph when Reuters is not there).

    A body sharing any 6-word sequence with one taken before is left out: Reuters re-sent many
    stories, and "unrelated" text must really not be copied, or the truth would be wrong.
    """
    root = DATA / "reuters21578"
    if any(root.glob("reut2-*.sgm")):
        from reuters_to_jsonl import stories

        bodies = (row["text"].split() for row in stories(root) if row["has_body"] == "yes")
    else:
        print(f"  ({root} not found: using the seeds' paragraphs)")
        texts = [path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))]
        bodies = (p.split() for t in texts for p in t.split("\n\n"))
    found: list[list[str]] = []
    seen: set[tuple[str, ...]] = set()
    for body in bodies:
        grams = {tuple(w.lower() for w in body[i : i + 6]) for i in range(len(body) - 5)}
        if len(body) >= 40 and not grams & seen:
            found.append(body)
            seen |= grams
        if len(found) >= limit:
            break
    return found


def take_words(paragraphs: Iterator[list[str]], count: int) -> list[list[str]]:
    taken: list[list[str]] = []
    while sum(len(p) for p in taken) < count:
        taken.append(list(next(paragraphs)))
    return taken


# --- synthetic pairs with known copied characters ------------------------------------------------

Word = tuple[str, int | None]  # a word, and the index of the word of A it copies (None: new)


def render(paragraphs: Sequence[Sequence[Word]]) -> tuple[str, Spans, list[int | None]]:
    """The text, each word's character range, and each word's origin in A."""
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    origins: list[int | None] = []
    cursor = 0
    for number, paragraph in enumerate(paragraphs):
        if number:
            parts.append("\n\n")
            cursor += 2
        for position, (word, origin) in enumerate(paragraph):
            if position:
                parts.append(" ")
                cursor += 1
            parts.append(word)
            spans.append((cursor, cursor + len(word)))
            origins.append(origin)
            cursor += len(word)
    return "".join(parts), spans, origins


def edit(words: Sequence[Word], rate: float, rng: random.Random, pool: Sequence[str]) -> list[Word]:
    """Each word replaced, dropped or followed by a new word with chance ``rate`` in all."""
    out: list[Word] = []
    for word in words:
        roll = rng.random()
        if roll < rate / 3:
            out.append((word[0][::-1] + "x", None))  # a word that was never there
        elif roll < 2 * rate / 3:
            continue
        elif roll < rate:
            out += [word, (rng.choice(pool), None)]
        else:
            out.append(word)
    return out


def pair_of(name: str, a: Sequence[Sequence[Word]], b: Sequence[Sequence[Word]]) -> Case:
    text_a, spans_a, _ = render(a)
    text_b, spans_b, origins = render(b)
    truth_b = [span for span, origin in zip(spans_b, origins, strict=True) if origin is not None]
    truth_a = [spans_a[origin] for origin in origins if origin is not None]
    return Side(f"{name}-a", text_a), Side(f"{name}-b", text_b), (truth_a, truth_b)


def synthetic_pairs(words: int, seed: int = 1) -> list[tuple[str, Case]]:
    rng = random.Random(seed)
    source = iter(reuters_paragraphs(2 * words // 40 + 50))
    base = take_words(source, words)
    counter = iter(range(10**9))
    a = [[(w, next(counter)) for w in p] for p in base]
    other: list[list[Word]] = [[(w, None) for w in p] for p in take_words(source, words)]
    pool = [w for p in other for w, _ in p]
    shuffled = [edit(p, 0.05, rng, pool) for p in a]
    rng.shuffle(shuffled)
    heavy = [edit(p, 0.20, rng, pool) for p in a]
    planted = [list(p) for p in other]
    flat = [w for p in a for w in p]
    for _ in range(12):
        start = rng.randrange(len(flat) - 80)
        passage = edit(flat[start : start + rng.randint(30, 80)], 0.05, rng, pool)
        planted.insert(rng.randrange(len(planted) + 1), passage)
    return [
        (f"edited copy, shuffled ({words} words)", pair_of("shuffled", a, shuffled)),
        ("copy with 20 % of its words edited", pair_of("heavy", a, heavy)),
        ("12 passages planted in another story", pair_of("planted", a, planted)),
        ("unrelated story", pair_of("unrelated", a, other)),
    ]


def section_synthetic(quick: bool) -> None:
    words = 2_000 if quick else 10_000
    print(f"\n== synthetic pairs from Reuters bodies ({words} words a side)\n{QUALITY_HEADER}")
    for name, pair in synthetic_pairs(words):
        ours, theirs = compare([pair])
        print(quality_row(name, ours, theirs))


# --- seeds ---------------------------------------------------------------------------------------

SEED_PAIRS = [("001", "002"), ("000", "004"), ("000", "001"), ("004", "001"), ("003", "000"),
              ("003", "001"), ("003", "004")]  # fmt: skip


def _share(side: Side, spans: Spans) -> float:
    marked = _mask(side.text, spans)
    return float(marked.sum()) / max(1, int(_mask(side.text, [(0, len(side.text))]).sum()))


def section_seeds() -> None:
    sides = {p.name[:3]: Side(p.name, p.read_text(encoding="utf-8")) for p in SEEDS.glob("*.txt")}
    print("\n== seeds: share of each text's characters found copied (a / b), and time")
    print(f"{'pair':<10} {'dedup a':>8} {'b':>6} {'time':>9} | "
          f"{'difflib a':>9} {'b':>6} {'time':>9}")  # fmt: skip
    for x, y in SEED_PAIRS:
        a, b = sides[x], sides[y]
        row = f"{x}-{y:<6}"
        for method in (run_dedup, run_difflib):
            seconds, found_a, found_b = method(a, b)
            row += f" {_share(a, found_a):8.1%} {_share(b, found_b):6.1%} {seconds * 1000:7.1f}ms |"
        print(row.rstrip(" |"))


# --- the syndication simulator -------------------------------------------------------------------


def simulated_pairs(folder: Path) -> list[Case]:
    """Each derived document of a ``dedup.simulate/1`` corpus with its source, and the truth."""
    truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    with (folder / "corpus.jsonl").open(encoding="utf-8") as lines:
        rows = {row["id"]: row for row in map(json.loads, lines)}
    rows.update({row["id"]: row for row in truth.get("latent", [])})
    pairs = []
    for edge in truth["edges"]:
        source, target = rows[edge["source"]], rows[edge["target"]]
        in_source = [(s, e) for s, e in truth["source_spans"][target["id"]]]
        in_target = [(s, e) for s, e in truth["spans"][target["id"]]]
        sides = Side(source["id"], source["text"]), Side(target["id"], target["text"])
        pairs.append((*sides, (in_source, in_target)))
    return pairs


def _simulate(strength: float, stories: int, out: Path) -> Path | None:
    simulator = Path(__file__).resolve().parent / "simulate.py"
    reuters = DATA / "reuters21578"
    if not simulator.exists() or not any(reuters.glob("reut2-*.sgm")):
        return None
    command = [sys.executable, str(simulator), "--reuters", str(reuters), "--stories",
               str(stories), "--distractors", "0", "--strength", str(strength), "--seed", "1",
               "--out", str(out)]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    return out if done.returncode == 0 else None


def section_sim(quick: bool, folders: Sequence[Path]) -> None:
    print("\n== simulated syndication: each derived text against its source (truth: simulator)")
    print(QUALITY_HEADER)
    with tempfile.TemporaryDirectory() as scratch:
        if not folders:
            stories = 15 if quick else 60
            made = [_simulate(s, stories, Path(scratch) / f"s{s}") for s in (0.0, 0.5, 1.0)]
            folders = [f for f in made if f is not None]
            if not folders:
                print("  skipped: needs benchmarks/simulate.py and ../shared/data/reuters21578")
        for folder in folders:
            pairs = simulated_pairs(folder)
            strength = json.loads((folder / "truth.json").read_text())["parameters"]["strength"]
            ours, theirs = compare(pairs)
            print(quality_row(f"strength {strength}: {len(pairs)} pairs", ours, theirs))


# --- scale: pathological inputs, one fresh process each ------------------------------------------


def _big_texts(words: int) -> tuple[str, str, str]:
    """A text of ``words`` Reuters words, an edited shuffled copy, and an unrelated text."""
    rng = random.Random(2)
    source = iter(reuters_paragraphs(2 * words // 40 + 100))
    base = take_words(source, words)
    other = take_words(source, words)
    pool = [w for p in other for w in p]
    copy = [[w for w, _ in edit([(w, 0) for w in p], 0.05, rng, pool)] for p in base]
    rng.shuffle(copy)
    joined = ["\n\n".join(" ".join(p) for p in text) for text in (base, copy, other)]
    return joined[0], joined[1], joined[2]


def _one_line_pair() -> tuple[str, str, AlignMode]:
    """A megabyte without line breaks or full stops: one "sentence" cut into pieces."""
    base, copy, _ = _big_texts(170_000)
    flat = [text.replace("\n", " ").replace(".", "") for text in (base, copy)]
    return flat[0], flat[1], AlignMode.SENTENCES


CASES: dict[str, Callable[[], tuple[str, str, AlignMode]]] = {
    "10k words, edited copy": lambda: (*_big_texts(10_000)[:2], AlignMode.PASSAGES),
    "one word 100,000 times": lambda: ("spam " * 100_000, "spam " * 100_001, AlignMode.PASSAGES),
    "1 MB, edited shuffled copy": lambda: (*_big_texts(170_000)[:2], AlignMode.PASSAGES),
    "1 MB, unrelated": lambda: (*_big_texts(170_000)[::2], AlignMode.PASSAGES),
    "1 MB one line, sentence mode": _one_line_pair,
}


def _rss_mib() -> float:
    """Peak resident memory of this process, in MiB."""
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss across exec, so a child started by a big
    # parent would report the parent's peak.
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_case(folder: Path, method: str) -> dict[str, Any]:
    """One case in this process, read from files: seconds (normalisation included), peak RSS."""
    text_a = (folder / "a.txt").read_text(encoding="utf-8")
    text_b = (folder / "b.txt").read_text(encoding="utf-8")
    mode = AlignMode((folder / "mode").read_text(encoding="utf-8"))
    started = time.perf_counter()
    found = 0
    if method == "dedup":
        run = dedup.align if mode is AlignMode.PASSAGES else dedup.align_sentences
        found = len(run(text_a, text_b).passages)
    elif method == "difflib":
        matcher = difflib.SequenceMatcher(
            None, dedup.normalize(text_a).tokens, dedup.normalize(text_b).tokens
        )
        found = sum(1 for block in matcher.get_matching_blocks() if block.size >= MIN_BLOCK)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "rss": _rss_mib(), "found": found, "chars": len(text_a)}


def _in_child(folder: Path, method: str, limit: float | None) -> dict[str, Any] | None:
    command = [sys.executable, __file__, "--case", str(folder), "--method", method]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=limit, check=True)
    except subprocess.TimeoutExpired:
        return None
    return dict(json.loads(done.stdout))


def _write_case(name: str, folder: Path) -> Path:
    text_a, text_b, mode = CASES[name]()
    folder.mkdir()
    (folder / "a.txt").write_text(text_a, encoding="utf-8")
    (folder / "b.txt").write_text(text_b, encoding="utf-8")
    (folder / "mode").write_text(str(mode), encoding="utf-8")
    return folder


def section_scale(quick: bool) -> None:
    print("\n== scale: each case in a fresh process; time includes normalisation; +MiB is the")
    print("   peak memory above a process that only reads the two texts")
    print(f"{'case':<30} {'chars':>9} {'dedup':>9} {'+MiB':>6} {'found':>6} | "
          f"{'difflib':>9} {'+MiB':>6} | difflib/dedup")  # fmt: skip
    with tempfile.TemporaryDirectory() as scratch:
        for number, name in enumerate(CASES):
            if quick and name.startswith("1 MB"):
                continue
            folder = _write_case(name, Path(scratch) / str(number))
            base = _in_child(folder, "none", None)
            ours = _in_child(folder, "dedup", None)
            assert base is not None and ours is not None
            skip = "sentence" in name
            theirs = None if skip else _in_child(folder, "difflib", DIFFLIB_LIMIT)
            row = (f"{name:<30} {ours['chars']:>9} {ours['seconds']:8.2f}s "
                   f"{ours['rss'] - base['rss']:6.0f} {ours['found']:>6} | ")  # fmt: skip
            if theirs is None:
                print(row + f"{'n/a' if skip else f'> {DIFFLIB_LIMIT}s':>9} {'':>6} |")
                continue
            ratio = theirs["seconds"] / ours["seconds"]
            print(row + f"{theirs['seconds']:8.2f}s {theirs['rss'] - base['rss']:6.0f} | "
                  f"x{ratio:.1f}")  # fmt: skip


# --- sentence mode on ECB+ -----------------------------------------------------------------------


def _ecb_pairs(rows: Sequence[Row], relation: str, count: int) -> Iterator[tuple[Row, Row]]:
    rng = random.Random(3)

    def wanted(x: Row, y: Row) -> bool:
        if relation == "other topic":
            return bool(x["topic"] != y["topic"])
        if relation == "same event":
            return bool(x["subtopic"] == y["subtopic"] and x["doc_id"] != y["doc_id"])
        return bool(x["topic"] == y["topic"] and x["subtopic"] != y["subtopic"])

    made = 0
    while made < count:
        x, y = rng.sample(rows, 2)
        if wanted(x, y):
            made += 1
            yield x, y


def section_sentences(quick: bool) -> None:
    path = DATA / "ecb_plus" / "ecbplus_docs.jsonl"
    print("\n== sentence mode on ECB+ (independent articles): what each mode claims per pair")
    if not path.exists():
        print(f"  skipped: {path} not found")
        return
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    count = 100 if quick else 300
    print(f"{'document pairs':<28} {'pairs':>6} {'with a sentence pair':>21} "
          f"{'sentence pairs':>15} {'with a passage':>15} {'seconds':>8}")  # fmt: skip
    for relation in ("other topic", "same topic, other event", "same event"):
        with_pair = with_passage = sentence_pairs = 0
        started = time.perf_counter()
        for x, y in _ecb_pairs(rows, relation, count):
            a, b = dedup.Document(x["doc_id"], x["text"]), dedup.Document(y["doc_id"], y["text"])
            found = dedup.align_sentences(a, b).passages
            sentence_pairs += len(found)
            with_pair += bool(found)
            with_passage += bool(dedup.align(a, b).passages)
        seconds = time.perf_counter() - started
        print(f"{relation:<28} {count:>6} {with_pair / count:>21.1%} {sentence_pairs:>15} "
              f"{with_passage / count:>15.1%} {seconds:>8.1f}")  # fmt: skip


# --- PAN measure on planted passages (simulate.py --pan) -----------------------------------------

PAN_METHODS = ("dedup passages", "dedup sentences", "difflib blocks >= 5 words")


def _pan_pairs(folder: Path | None, per_type: int, scratch: Path) -> list[Row] | None:
    """The rows of a ``dedup.pan/1`` folder, each with its cases; made when none is given."""
    if folder is None:
        reuters = DATA / "reuters21578"
        if not any(reuters.glob("reut2-*.sgm")):
            return None
        folder = scratch / "pan"
        command = [sys.executable, str(Path(__file__).resolve().parent / "simulate.py"),
                   "--reuters", str(reuters), "--pan", str(per_type), "--seed", "1",
                   "--out", str(folder)]  # fmt: skip
        subprocess.run(command, capture_output=True, text=True, check=True)
    truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    rows = [json.loads(line) for line in (folder / "pairs.jsonl").open(encoding="utf-8")]
    for row in rows:
        row["cases"] = [
            Range2(c["this_offset"], c["this_offset"] + c["this_length"],
                   c["source_offset"], c["source_offset"] + c["source_length"])
            for c in truth["cases"][row["id"]]
        ]  # fmt: skip
    return rows


def pan_detections(method: str, source: Side, suspicious: Side) -> list[Range2]:
    """What a method reports for a (source, suspicious) pair, as PAN detections."""
    if method.startswith("difflib"):
        a, b = source.words, suspicious.words
        blocks = difflib.SequenceMatcher(None, a.tokens, b.tokens).get_matching_blocks()
        return [
            Range2(b.spans[k.b].start, b.spans[k.b + k.size - 1].end,
                   a.spans[k.a].start, a.spans[k.a + k.size - 1].end)
            for k in blocks if k.size >= 5
        ]  # fmt: skip
    mode = AlignMode.SENTENCES if method.endswith("sentences") else AlignMode.PASSAGES
    alignment = align_normalized(
        (source.id, source.text, source.words), (suspicious.id, suspicious.text, suspicious.words),
        mode=mode,
    )
    return [
        Range2(p.b_span.start, p.b_span.end, p.a_span.start, p.a_span.end)
        for p in alignment.passages
    ]


def section_pan(quick: bool, folder: Path | None) -> None:
    print("\n== PAN measure on planted Reuters passages (simulate.py --pan): plagdet, precision,")
    print("   recall, granularity by obfuscation; 'unrelated' pairs have no case (only precision)")
    with tempfile.TemporaryDirectory() as scratch:
        rows = _pan_pairs(folder, 10 if quick else 40, Path(scratch))
    if rows is None:
        print("  skipped: needs ../shared/data/reuters21578")
        return
    kinds = sorted({row["obfuscation"] for row in rows}, key=OBFUSCATIONS.index)
    scores = {(m, k): Plagdet() for m in PAN_METHODS for k in [*kinds, "all"]}
    seconds = dict.fromkeys(PAN_METHODS, 0.0)
    for row in rows:
        source = Side(row["id"] + "-src", row["source"])
        suspicious = Side(row["id"] + "-susp", row["suspicious"])
        for method in PAN_METHODS:
            started = time.perf_counter()
            found = pan_detections(method, source, suspicious)
            seconds[method] += time.perf_counter() - started
            for key in (row["obfuscation"], "all"):
                scores[method, key].add(row["cases"], found)
    print(f"{'method':<27} {'obfuscation':<11} {'cases':>5} {'plagdet':>7} {'prec':>5} "
          f"{'rec':>5} {'gran':>5}")  # fmt: skip
    for method in PAN_METHODS:
        for kind in [*kinds, "all"]:
            m = scores[method, kind]
            print(f"{method:<27} {kind:<11} {len(m.recalls):>5} {m.plagdet:7.3f} "
                  f"{m.precision:5.3f} {m.recall:5.3f} {m.granularity:5.2f}")  # fmt: skip
        print(f"{method:<27} {len(rows)} pairs in {seconds[method]:.2f}s")


# --- word-level edit recovery on arXivEdits ------------------------------------------------------


def _token_spans(sentence: str) -> Spans:
    spans, cursor = [], 0
    for token in sentence.split(" "):
        spans.append((cursor, cursor + len(token)))
        cursor += len(token) + 1
    return spans


def _changed_truth(row: Row) -> tuple[set[int], set[int]]:
    """Tokens of each sentence inside an annotated edit (combination 0)."""
    first: set[int] = set()
    second: set[int] = set()
    for edit in row["edits-combination-0"].values():
        for key, marked in (("sentence-1-token-indices", first),
                            ("sentence-2-token-indices", second)):  # fmt: skip
            if edit[key]:
                marked.update(range(edit[key][0], edit[key][1]))
    return first, second


def _unchanged(method: str, a: Side, b: Side) -> tuple[Spans, Spans]:
    """Character ranges each method finds kept unchanged between two sentences."""
    if method == "difflib opcodes":
        blocks = difflib.SequenceMatcher(None, a.words.tokens, b.words.tokens).get_matching_blocks()
        kept = [k for k in blocks if k.size]
        return (
            [(a.words.spans[k.a].start, a.words.spans[k.a + k.size - 1].end) for k in kept],
            [(b.words.spans[k.b].start, b.words.spans[k.b + k.size - 1].end) for k in kept],
        )
    mode = AlignMode.SENTENCES if method.endswith("sentences") else AlignMode.PASSAGES
    _, spans_a, spans_b = run_dedup(a, b, mode)
    return spans_a, spans_b


def _word_tokens(sentence: str) -> set[int]:
    """Tokens with a letter or digit: punctuation is not a word, and no word-level method
    (dedup's normalisation drops it) can say it changed."""
    return {i for i, token in enumerate(sentence.split(" ")) if any(c.isalnum() for c in token)}


def _predicted(sentence: str, kept: Spans) -> set[int]:
    """Tokens that meet no kept range: changed, cut or added. (A kept range runs from a
    word's first letter to a word's last, so "[MATH]" is kept when its "MATH" is.)"""
    return {
        index for index, (lo, hi) in enumerate(_token_spans(sentence))
        if not any(start < hi and lo < end for start, end in kept)
    }  # fmt: skip


def section_arxiv(quick: bool) -> None:
    folder = DATA / "arxivedits_sentence_edits"
    print("\n== arXivEdits: word-level edit recovery (tokens inside an annotated insertion,")
    print("   deletion or substitution, both sentences pooled; tokens without a letter or digit")
    print("   not scored), 1,000 real revised sentence pairs")
    if not folder.exists():
        print(f"  skipped: {folder} not found")
        return
    rows = [v for split in ("train", "dev", "test")
            for v in json.loads((folder / f"{split}.json").read_text(encoding="utf-8")).values()]
    rows = rows[:200] if quick else rows
    methods = ("dedup passages", "dedup sentences", "difflib opcodes", "every token changed")
    counts = {m: [0, 0, 0] for m in methods}  # tp, fp, fn
    for row in rows:
        a, b = Side("s1", row["sentence-1"]), Side("s2", row["sentence-2"])
        truth = _changed_truth(row)
        for method in methods:
            if method == "every token changed":
                found = (set(range(len(a.text.split(" ")))), set(range(len(b.text.split(" ")))))
            else:
                kept_a, kept_b = _unchanged(method, a, b)
                found = (_predicted(a.text, kept_a), _predicted(b.text, kept_b))
            words = (_word_tokens(a.text), _word_tokens(b.text))
            for predicted, actual, scored in zip(found, truth, words, strict=True):
                predicted, actual = predicted & scored, actual & scored
                tally = counts[method]
                tally[0] += len(predicted & actual)
                tally[1] += len(predicted - actual)
                tally[2] += len(actual - predicted)
    print(f"{'method':<22} {'P':>5} {'R':>5} {'F1':>5}   ({len(rows)} pairs)")
    for method, (tp, fp, fn) in counts.items():
        p, r = tp / max(1, tp + fp), tp / max(1, tp + fn)
        print(f"{method:<22} {p:5.3f} {r:5.3f} {2 * p * r / max(1e-9, p + r):5.3f}")


# --- real rewriting: Clough & Stevenson answers against their Wikipedia source -------------------


def section_clough(quick: bool) -> None:
    folder = DATA / "clough_stevenson"
    print("\n== Clough & Stevenson: 95 short answers against their task's Wikipedia source,")
    print("   written by cut-and-paste, light or heavy revision, or independently ('non');")
    print("   share of each answer's characters inside a passage, and passages per answer")
    if not (folder / "file_information.csv").exists():
        print(f"  skipped: {folder} not found")
        return

    def read(name: str) -> str:
        return (folder / name).read_bytes().decode("utf-8", errors="replace")

    rows = list(csv.DictReader(read("file_information.csv").splitlines()))
    sources = {task: Side(f"orig_task{task}", read(f"orig_task{task}.txt")) for task in "abcde"}
    print(f"{'category':<9} {'answers':>7} | {'passages: share':>15} {'per answer':>10} | "
          f"{'sentences: share':>16} {'per answer':>10}")  # fmt: skip
    for category in ("cut", "light", "heavy", "non"):
        chosen = [r for r in rows if r["Category"] == category]
        line = f"{category:<9} {len(chosen):>7}"
        for mode in (AlignMode.PASSAGES, AlignMode.SENTENCES):
            shares, counts = [], []
            for row in chosen:
                answer = Side(row["File"], read(row["File"]))
                source = sources[row["Task"]]
                alignment = align_normalized(
                    (source.id, source.text, source.words), (answer.id, answer.text, answer.words),
                    mode=mode,
                )
                spans = [(p.b_span.start, p.b_span.end) for p in alignment.passages]
                shares.append(_share(answer, spans))
                counts.append(len(alignment.passages))
            line += f" | {np.mean(shares):15.1%} {np.mean(counts):10.2f}"
        print(line)


# --- command line --------------------------------------------------------------------------------

SECTIONS = ("seeds", "synthetic", "sim", "scale", "sentences", "pan", "arxiv", "clough")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes, no 1 MB cases")
    parser.add_argument("--section", action="append", choices=SECTIONS, help="run only these")
    parser.add_argument("--simulated", type=Path, action="append", default=[],
                        help="a simulate.py output folder to score (default: generate three)")
    parser.add_argument("--pan", type=Path, help="a simulate.py --pan folder (default: make one)")
    parser.add_argument("--case", help=argparse.SUPPRESS)
    parser.add_argument("--method", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.case:  # a child process of the scale section
        print(json.dumps(run_case(Path(args.case), args.method)))
        return 0
    chosen = args.section or SECTIONS
    print(f"dedup {dedup.__version__}: dedup.align vs difflib.SequenceMatcher (autojunk on)")
    runs: dict[str, Callable[[], None]] = {
        "seeds": section_seeds,
        "synthetic": lambda: section_synthetic(args.quick),
        "sim": lambda: section_sim(args.quick, args.simulated),
        "scale": lambda: section_scale(args.quick),
        "sentences": lambda: section_sentences(args.quick),
        "pan": lambda: section_pan(args.quick, args.pan),
        "arxiv": lambda: section_arxiv(args.quick),
        "clough": lambda: section_clough(args.quick),
    }
    for name in SECTIONS:
        if name in chosen:
            runs[name]()
    return 0


if __name__ == "__main__":
    sys.exit(main())
